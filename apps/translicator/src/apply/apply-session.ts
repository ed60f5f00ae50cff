import { Inject, Injectable } from '@nestjs/common';
import { TargetApplier } from '@kasho/apply';
import { SnapshotCoordinator } from '../snapshot/snapshot-coordinator.service';
import { ApplyProgress } from './apply-progress';
import type { SnapshotGate } from './snapshot-gate';
import { StreamFollower } from './stream-follower';
import { TargetTransaction } from './target-transaction';

/**
 * One attempt of the apply loop: take the target's lock and read its position, run the initial
 * snapshot when one is due, else resume the stream from the target's position; end() rolls back
 * whatever is in flight and releases the target.
 */
@Injectable()
export class ApplySession {
  constructor(
    private readonly applier: TargetApplier,
    private readonly progress: ApplyProgress,
    private readonly follower: StreamFollower,
    private readonly tx: TargetTransaction,
    @Inject(SnapshotCoordinator) private readonly snapshot: SnapshotGate,
  ) {}

  /** Returns when a snapshot ran (the next attempt reads the position it wrote), the stream ended or shutdown started; throws on any failure. */
  async run(signal: AbortSignal): Promise<void> {
    const opened = await this.applier.open();
    // Initial snapshot first when the target needs one; then re-open to read the position it wrote.
    if (await this.snapshot.beforeFollow(opened, signal)) {
      this.progress.recovered();
      return;
    }
    await this.progress.resume(opened.position);
    await this.follower.follow(opened.position, opened.targetId);
  }

  /** Rolls back the target transaction in flight (if any) and closes the target connection; never throws. */
  async end(): Promise<void> {
    await this.tx.rollback().catch(() => undefined);
    await this.close().catch(() => undefined);
  }

  /** Ends the target session, which releases the advisory lock (and makes a query stuck on it fail). */
  close(): Promise<void> {
    return this.applier.close();
  }
}
