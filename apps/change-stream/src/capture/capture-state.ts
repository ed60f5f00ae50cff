import { Injectable } from '@nestjs/common';

export type CapturePhase = 'starting' | 'streaming' | 'paused' | 'retrying' | 'snapshot' | 'stopped';

/** The capture loop's state, as readiness and metrics see it. Holds no row values. */
@Injectable()
export class CaptureState {
  phase: CapturePhase = 'starting';
  lastError?: string;
  lastErrorAt?: Date;

  set(phase: CapturePhase, error?: string): void {
    this.phase = phase;
    if (error !== undefined) {
      this.lastError = error;
      this.lastErrorAt = new Date();
    } else if (phase === 'streaming') {
      this.lastError = undefined;
    }
  }
}
