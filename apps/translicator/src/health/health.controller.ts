import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { TargetHealthIndicator } from '@kasho/apply';
import { ApplyHealthIndicator } from './apply.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly target: TargetHealthIndicator,
    private readonly apply: ApplyHealthIndicator,
  ) {}

  /** Readiness: the target database and the apply loop (which also fails while the change stream is unreachable). */
  @Get()
  @HealthCheck()
  ready() {
    return this.health.check([() => this.target.isHealthy('target'), () => this.apply.check('apply')]);
  }

  /** Liveness: the process answers; no dependency is called. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }
}
