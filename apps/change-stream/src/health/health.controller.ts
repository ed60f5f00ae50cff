import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { BufferHealthIndicator } from '@kasho/buffer';
import { SourceHealthIndicator } from '@kasho/replication';
import { CaptureHealthIndicator } from './capture.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly source: SourceHealthIndicator,
    private readonly buffer: BufferHealthIndicator,
    private readonly capture: CaptureHealthIndicator,
  ) {}

  /** Readiness: the source and its slot, Redis, and the capture loop. 503 names what is down. */
  @Get()
  @HealthCheck()
  ready() {
    return this.health.check([() => this.source.check('source'), () => this.buffer.check('redis'), () => this.capture.check('capture')]);
  }

  /** Liveness: the process answers; no dependency is called, so a Redis blip never restarts it. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }
}
