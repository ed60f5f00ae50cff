import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CaptureState } from '../capture/capture-state';

/** Ready while changes flow from the source (or are deliberately paused by backpressure). */
@Injectable()
export class CaptureHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly state: CaptureState,
  ) {}

  check(key = 'capture') {
    const indicator = this.health.check(key);
    const { phase, lastError } = this.state;
    if (phase === 'streaming' || phase === 'paused') return indicator.up({ phase });
    return indicator.down({ phase, ...(lastError ? { error: lastError } : {}) });
  }
}
