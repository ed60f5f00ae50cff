import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChangeEnvelope, CommitChange, Position } from '@kasho/contracts';
import { SnapshotCoordinator } from '../snapshot/snapshot-coordinator.service';
import { ApplyProgress } from './apply-progress';
import { ApplyShutdown } from './apply-shutdown';
import { ChangeDispatcher } from './change-dispatcher';
import { FeedSession } from './change-feed';
import type { SnapshotGate } from './snapshot-gate';
import { TargetTransaction } from './target-transaction';

/**
 * Batches of the stream into target transactions of whole source transactions (I3): a change at or
 * below the applied position is skipped, so is the source transaction `kasho skip` names; the rest
 * goes through the resync filter and the transforms into the open target transaction, which commits
 * at a source commit when nothing more is waiting or a limit is reached.
 */
@Injectable()
export class TransactionBatcher {
  private readonly logger = new Logger(TransactionBatcher.name);

  constructor(
    private readonly tx: TargetTransaction,
    private readonly dispatcher: ChangeDispatcher,
    private readonly progress: ApplyProgress,
    private readonly shutdown: ApplyShutdown,
    @Inject(SnapshotCoordinator) private readonly snapshot: SnapshotGate,
  ) {}

  /** A target transaction is open (it may need more batches to reach its source commit). */
  get inTransaction(): boolean {
    return this.tx.open;
  }

  /** Applies one batch; false when shutdown started before the next target transaction could begin (the stream session then ends). */
  async applyBatch(batch: ChangeEnvelope[], feed: FeedSession): Promise<boolean> {
    for (let i = 0; i < batch.length; i++) {
      const envelope = batch[i];
      const { position } = envelope;
      if (this.progress.isApplied(position)) continue;
      if (this.progress.skips(position, envelope.change)) {
        if (this.tx.open && this.tx.holdsCommit) await this.commit(feed);
        if (envelope.change.kind === 'commit') await this.commitSkip(feed, position, envelope.change);
        continue;
      }
      // A change of a resynced table committed before its copy's snapshot is already in the copy.
      const change = this.snapshot.keep(envelope.change, position);
      if (change === null) continue;
      if (!this.tx.open) {
        if (this.shutdown.stopping) return false;
        await this.tx.begin();
      }
      if (change.kind !== 'commit') {
        const prepared = await this.dispatcher.prepare(change, position);
        if (prepared) await this.tx.add({ position, change: prepared });
        continue;
      }
      await this.tx.add(envelope);
      const moreWaiting = (i < batch.length - 1 || feed.hasReady) && !this.shutdown.stopping;
      if (this.tx.shouldCommit(moreWaiting, this.progress.stopped)) {
        await this.commit(feed);
        if (this.snapshot.resyncPending) await this.snapshot.runResyncs();
      }
    }
    return true;
  }

  private async commit(feed: FeedSession): Promise<void> {
    const committed = await this.tx.commit();
    this.progress.committed(committed);
    feed.ack({ applied: committed.position });
  }

  /** The skipped transaction's commit: its record and the applied position past it, in one target transaction. */
  private async commitSkip(feed: FeedSession, position: Position, commit: CommitChange): Promise<void> {
    const record = this.progress.skipRecord();
    await this.tx.commitSkip(record, position, commit);
    this.progress.skipCommitted(position, commit.commitTimeMicros);
    feed.ack({ applied: position });
    this.logger.warn(
      `Skipped the source transaction of position ${record.position} (commit ${position}; tables: ${record.tables.join(', ') || 'none'}) ` +
        `as kasho skip requested (reason: ${record.reason}); recorded in kasho.skipped_changes`,
    );
  }
}
