import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ApplyState } from '../state/apply-state';

/** Down while the pipeline is stopped at a change it cannot receive, transform or apply (I6). */
@Injectable()
export class ApplyHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly state: ApplyState,
  ) {}

  check(key = 'apply') {
    const indicator = this.health.check(key);
    const { phase, lastError, appliedPosition, stuckAt } = this.state;
    const details = { phase, appliedPosition: appliedPosition.toString() };
    if (phase === 'streaming' && !lastError) return indicator.up(details);
    return indicator.down({ ...details, ...(lastError ? { error: lastError } : {}), ...(stuckAt ? { stuckAt } : {}) });
  }
}
