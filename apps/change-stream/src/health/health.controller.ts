import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { EventLoopHealthIndicator } from '@kasho/runtime';
import { ChangeStreamReadiness } from './readiness.service';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ChangeStreamReadiness,
    private readonly eventLoop: EventLoopHealthIndicator,
  ) {}

  /** Readiness: the source and its slot, Redis, and the capture loop. 503 names what is down. */
  @Get()
  @HealthCheck()
  ready() {
    return this.health.check(this.readiness.checks);
  }

  /** Liveness: the process and its event loop; no dependency is called, so a Redis blip never restarts it. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.eventLoop.check('event_loop')]);
  }
}
