import { Injectable } from '@nestjs/common';
import { Position } from '@kasho/contracts';

export type ApplyPhase = 'starting' | 'waiting-for-lock' | 'snapshot' | 'streaming' | 'retrying' | 'stopped';

/** The apply loop's state as readiness and metrics see it. Never holds row values. */
@Injectable()
export class ApplyState {
  phase: ApplyPhase = 'starting';
  appliedPosition: Position = Position.ZERO;
  /** Source commit time of the last applied transaction (µs since epoch). */
  lastCommitTimeMicros?: bigint;
  lastAppliedAt?: Date;
  changesApplied = 0;
  transactionsApplied = 0;
  /** Set while the pipeline is stopped at a change it cannot transform, apply or receive. */
  lastError?: string;
  lastErrorAt?: Date;

  set(phase: ApplyPhase): void {
    this.phase = phase;
  }

  failed(message: string): void {
    this.phase = 'retrying';
    this.lastError = message;
    this.lastErrorAt = new Date();
  }

  committed(position: Position, commitTimeMicros: bigint, changes: number, transactions: number): void {
    this.appliedPosition = position;
    this.lastCommitTimeMicros = commitTimeMicros;
    this.lastAppliedAt = new Date();
    this.changesApplied += changes;
    this.transactionsApplied += transactions;
    this.lastError = undefined;
    this.phase = 'streaming';
  }
}
