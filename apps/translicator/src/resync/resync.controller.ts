import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard';
import { ResyncRequest, TableResyncService } from './table-resync.service';

/**
 * `POST /snapshot/resync {"table": "schema.table"}` → 202 with the request (its id);
 * `GET /snapshot/resync/<id>` → its status (pending, running, done, failed); `GET /snapshot/resync` → recent ones.
 * Used by `kasho resync --table schema.table`. Behind ADMIN_TOKEN; without it not served (404).
 */
@Controller('snapshot/resync')
@UseGuards(AdminTokenGuard)
export class ResyncController {
  constructor(private readonly resync: TableResyncService) {}

  @Post()
  @HttpCode(202)
  request(@Body() body: { table?: unknown }): ResyncRequest {
    if (typeof body?.table !== 'string' || !/^[^.\s]+\.[^.\s]+$|^[^.\s]+$/.test(body.table)) {
      throw new BadRequestException('body must be {"table": "schema.table"}');
    }
    return this.resync.request(body.table);
  }

  @Get()
  list(): ResyncRequest[] {
    return this.resync.list();
  }

  @Get(':id')
  get(@Param('id') id: string): ResyncRequest {
    const request = this.resync.get(id);
    if (!request) throw new NotFoundException(`no resync request ${id}`);
    return request;
  }
}
