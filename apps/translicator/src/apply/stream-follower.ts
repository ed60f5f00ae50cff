import { Inject, Injectable } from '@nestjs/common';
import { Position } from '@kasho/contracts';
import { SnapshotCoordinator } from '../snapshot/snapshot-coordinator.service';
import { ApplyShutdown } from './apply-shutdown';
import { ApplyState } from '../state/apply-state';
import { ChangeFeed } from './change-feed';
import type { SnapshotGate } from './snapshot-gate';
import { TransactionBatcher } from './transaction-batcher';

/**
 * One stream session: takes batches from the change stream, acknowledges them as received and hands
 * them to the batcher; runs requested table resyncs between target transactions; once shutdown
 * starts, lets only the target transaction in flight take more batches, until the drain bound.
 */
@Injectable()
export class StreamFollower {
  constructor(
    private readonly feed: ChangeFeed,
    private readonly batcher: TransactionBatcher,
    private readonly shutdown: ApplyShutdown,
    private readonly state: ApplyState,
    @Inject(SnapshotCoordinator) private readonly snapshot: SnapshotGate,
  ) {}

  /** Follows the stream after `after`: returns when the stream ends or shutdown starts; throws on any failure. */
  async follow(after: Position, targetId: string): Promise<void> {
    const feed = this.feed.open(after, targetId);
    try {
      this.state.set('streaming');
      for (;;) {
        // Once shutdown starts, only the target transaction in flight may take more batches, until the drain bound.
        if (this.shutdown.stopping && !this.batcher.inTransaction) return;
        const batch = await feed.take(
          this.batcher.inTransaction ? this.shutdown.drainSignal : AbortSignal.any([this.shutdown.signal, this.snapshot.resyncWakeSignal]),
        );
        if (!batch) {
          // Woken by a table resync request: run it now, between target transactions.
          if (!this.batcher.inTransaction && !this.shutdown.stopping && this.snapshot.resyncPending) {
            await this.snapshot.runResyncs();
            continue;
          }
          return;
        }
        feed.ack({ received: batch[batch.length - 1].position });
        if (!(await this.batcher.applyBatch(batch, feed))) return;
      }
    } finally {
      feed.close();
    }
  }
}
