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
  /** Position of the change apply is stopped at (what `kasho skip --position` must name), while it is known. */
  stuckAt?: string;
  /** The error is about a change (cleared only once it commits), not a connection (cleared when streaming resumes). */
  private errorAtChange = false;

  set(phase: ApplyPhase): void {
    this.phase = phase;
    // Reconnected: a connection error is over; a failing change stays reported until it goes through (I6).
    if (phase === 'streaming' && !this.errorAtChange) this.lastError = undefined;
  }

  failed(message: string, atChange = true, position?: string): void {
    this.phase = 'retrying';
    this.lastError = message;
    this.lastErrorAt = new Date();
    this.errorAtChange = atChange;
    if (atChange) this.stuckAt = position ?? this.stuckAt;
  }

  committed(position: Position, commitTimeMicros: bigint, changes: number, transactions: number): void {
    this.appliedPosition = position;
    this.lastCommitTimeMicros = commitTimeMicros;
    this.lastAppliedAt = new Date();
    this.changesApplied += changes;
    this.transactionsApplied += transactions;
    this.lastError = undefined;
    this.errorAtChange = false;
    this.stuckAt = undefined;
    this.phase = 'streaming';
  }
}
