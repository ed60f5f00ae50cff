import { Injectable, Logger } from '@nestjs/common';
import { SkipRecord, TargetApplier } from '@kasho/apply';
import { ChangePayload, Position } from '@kasho/contracts';
import { Backoff } from '@kasho/runtime';
import { ApplyMetrics } from '../metrics/apply.metrics';
import { ApplyState } from '../state/apply-state';
import { changePosition, describe, isChangeError } from './apply-loop.errors';
import { CommittedTransactions } from './target-transaction';
import { TransactionSkip } from './transaction-skip';

/**
 * Where apply stands, mirrored into ApplyState: the applied position, the change apply is stopped at
 * (recorded on the target), the source transaction `kasho skip` asked to skip (docs/operations.md),
 * and the pace of retries (backoff, reset by every commit).
 */
@Injectable()
export class ApplyProgress {
  private readonly logger = new Logger(ApplyProgress.name);
  private readonly backoff = new Backoff(250, 15_000);
  private position: Position = Position.ZERO;
  /** The change apply stopped at, until a commit passes it: meanwhile one source transaction per target transaction. */
  private stuckAt?: Position;
  /** The source transaction `kasho skip` asked to skip, armed when its request names the change apply is stopped at. */
  private skip?: TransactionSkip;

  constructor(
    private readonly applier: TargetApplier,
    private readonly state: ApplyState,
    private readonly metrics: ApplyMetrics,
  ) {}

  get applied(): Position {
    return this.position;
  }

  /** Apply is stopped at a change (until a commit passes it). */
  get stopped(): boolean {
    return this.stuckAt !== undefined;
  }

  /** After the target is opened at `position`: what it recorded of a stop at a change, and an operator's request to skip it. */
  async resume(position: Position): Promise<void> {
    this.position = position;
    this.state.appliedPosition = position;
    this.logger.log(`Resuming after position ${position}`);
    const { stuck, skip } = await this.applier.stuckChange();
    this.stuckAt = stuck?.position;
    if (stuck) this.state.stuckAt ??= stuck.position.toString();
    this.skip = skip ? new TransactionSkip(skip) : undefined;
    if (skip) this.logger.warn(`kasho skip requested for position ${skip.position} (reason: ${skip.reason}): its source transaction will be skipped`);
  }

  /** A change at or below the applied position is already on the target. */
  isApplied(position: Position): boolean {
    return !position.isAfter(this.position);
  }

  /** Whether the change belongs to the source transaction `kasho skip` asked to skip (then it must not be applied). */
  skips(position: Position, change: ChangePayload): boolean {
    return this.skip?.covers(position, change) ?? false;
  }

  /** The record of the skipped transaction, to commit with the applied position past it. */
  skipRecord(): SkipRecord {
    return this.skip!.record();
  }

  committed(committed: CommittedTransactions): void {
    const { position } = committed;
    this.position = position;
    if (this.stuckAt && !this.stuckAt.isAfter(position)) this.stuckAt = undefined;
    this.state.committed(position, BigInt(committed.commitTimeMicros), committed.changes, committed.transactions);
    this.backoff.reset();
  }

  /** The skipped transaction's commit is on the target, at `position`. */
  skipCommitted(position: Position, commitTimeMicros: string): void {
    this.position = position;
    this.state.committed(position, BigInt(commitTimeMicros), 0, 1);
    this.stuckAt = undefined;
    this.skip = undefined;
    this.backoff.reset();
  }

  /** An initial snapshot completed. */
  recovered(): void {
    this.backoff.reset();
  }

  /** Counts and reports a failure, records the change it stopped at (if any) on the target; the delay before the retry. */
  async failed(err: unknown): Promise<{ message: string; delay: number }> {
    this.metrics.recordError(err);
    const message = describe(err);
    const at = changePosition(err);
    this.state.failed(message, isChangeError(err), at?.toString());
    if (at) await this.recordFailure(at, message);
    return { message, delay: this.backoff.next() };
  }

  private async recordFailure(at: Position, message: string): Promise<void> {
    this.stuckAt = at;
    try {
      await this.applier.recordFailure(at, message);
    } catch (err) {
      this.logger.warn(`could not record the failing position ${at} on the target: ${describe(err)}`);
    }
  }
}
