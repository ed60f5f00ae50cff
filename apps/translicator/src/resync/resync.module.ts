import { Module } from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard';
import { ResyncController } from './resync.controller';
import { ConfigurableResyncModule } from './resync.module-definition';
import { ResyncFilter } from './resync-filter';
import { TableResyncService } from './table-resync.service';

/**
 * One-table resync over HTTP (docs/snapshot.md): `/snapshot/resync` behind ADMIN_TOKEN, the requests,
 * and the filter that drops a resynced table's changes already in its copy. The apply loop runs the
 * requests through SnapshotCoordinator. `ResyncModule.forRootAsync({ imports: [ingest, rangeCopy],
 * useFactory: (cfg) => ({ targetUrl, adminToken }) })`: the imports must provide SnapshotGrpcClient
 * (IngestModule), RangeCopier and SnapshotProgress (RangeCopyModule).
 */
@Module({
  controllers: [ResyncController],
  providers: [TableResyncService, ResyncFilter, AdminTokenGuard],
  exports: [TableResyncService, ResyncFilter],
})
export class ResyncModule extends ConfigurableResyncModule {}
