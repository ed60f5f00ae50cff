import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { TargetHealthIndicator } from '@kasho/apply';
import { EventLoopHealthIndicator } from '@kasho/runtime';
import { ChangeStreamPeerHealthIndicator } from '../ingest/change-stream.health';
import { ApplyHealthIndicator } from './apply.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly target: TargetHealthIndicator,
    private readonly changeStream: ChangeStreamPeerHealthIndicator,
    private readonly apply: ApplyHealthIndicator,
    private readonly eventLoop: EventLoopHealthIndicator,
  ) {}

  /** Readiness: the target database, the gRPC peer (pg-change-stream serving), and the apply loop. 503 names what is down. */
  @Get()
  @HealthCheck()
  ready() {
    return this.health.check([() => this.target.isHealthy('target'), () => this.changeStream.check('change-stream'), () => this.apply.check('apply')]);
  }

  /** Liveness: the process and its event loop; no dependency is called. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.eventLoop.check('event_loop')]);
  }
}
