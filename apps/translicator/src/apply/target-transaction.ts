import { Inject, Injectable } from '@nestjs/common';
import { SkipRecord, TargetApplier } from '@kasho/apply';
import { ChangeEnvelope, CommitChange, Position, changeSize } from '@kasho/contracts';
import { ApplyMetrics } from '../metrics/apply.metrics';
import { TargetTransactionError } from './apply-loop.errors';
import { APPLY_LOOP_OPTIONS } from './apply-loop.module-definition';
import { ApplyLoopOptions } from './apply-loop.options';

/** What a target transaction uses of the applier and of the metrics. */
export type TargetWriter = Pick<TargetApplier, 'begin' | 'write' | 'commit' | 'recordSkip' | 'rollback'>;
export type TransactionMetrics = Pick<ApplyMetrics, 'began' | 'written' | 'committed' | 'rolledBack'>;

/** What one commit made durable on the target. */
export interface CommittedTransactions {
  /** The applied position now on the target: the last source commit's. */
  position: Position;
  /** Source commit time of that last commit (µs since epoch, decimal). */
  commitTimeMicros: string;
  changes: number;
  /** Source transactions committed together. */
  transactions: number;
}

/**
 * The target transaction apply has open (one at a time, on the applier's one connection): it holds
 * whole source transactions and commits them with the applied position of the last one (I3).
 * Changes are written in chunks as they come, but committed only at a source commit: a source
 * transaction is never split across target transactions.
 */
@Injectable()
export class TargetTransaction {
  static readonly WRITE_CHUNK = 1_000;
  /** Pending changes are also written once they hold this many bytes (changeSize), inside the open target transaction. */
  static readonly WRITE_BYTES = 32 * 1024 * 1024;

  private isOpen = false;
  private ddl = false;
  private transactions = 0;
  private changes = 0;
  private pending: ChangeEnvelope[] = [];
  private pendingBytes = 0;
  /** The last source commit added: what commit() moves the applied position to. */
  private last?: { position: Position; commit: CommitChange };

  constructor(
    @Inject(TargetApplier) private readonly applier: TargetWriter,
    @Inject(ApplyMetrics) private readonly metrics: TransactionMetrics,
    @Inject(APPLY_LOOP_OPTIONS) private readonly options: Pick<ApplyLoopOptions, 'maxTransactions' | 'maxChanges'>,
  ) {}

  get open(): boolean {
    return this.isOpen;
  }

  /** Whether a source commit was added since the last commit (then commit() has a position to commit). */
  get holdsCommit(): boolean {
    return this.last !== undefined;
  }

  async begin(): Promise<void> {
    await this.applier.begin();
    this.metrics.began();
    this.isOpen = true;
  }

  /** Adds a change (already transformed, or DDL to replay) or a source commit, at its position. */
  async add(envelope: ChangeEnvelope): Promise<void> {
    const { change, position } = envelope;
    // Commit entries stay in the pending batch: inserts batch across small source transactions.
    this.pending.push(envelope);
    switch (change.kind) {
      case 'commit':
        this.transactions++;
        this.last = { position, commit: change };
        return;
      case 'ddl':
        this.changes++;
        // DDL ends the target transaction at its source commit: a later source transaction may use
        // what it created (a new enum value cannot be used in the transaction that added it, 55P04).
        this.ddl = true;
        return;
      default:
        this.changes++;
        this.pendingBytes += changeSize(change);
        // Written, not committed: a source transaction is never split across target transactions.
        if (this.pending.length >= TargetTransaction.WRITE_CHUNK || this.pendingBytes >= TargetTransaction.WRITE_BYTES) await this.flush();
    }
  }

  /**
   * At a source commit: commit now unless more is waiting (`moreWaiting`) and the limits allow one
   * more source transaction. DDL commits at once; while apply is stopped at a change
   * (`oneSourceTransaction`) each target transaction holds one source transaction, so a failure's
   * position names exactly one.
   */
  shouldCommit(moreWaiting: boolean, oneSourceTransaction: boolean): boolean {
    const maxTransactions = oneSourceTransaction ? 1 : this.options.maxTransactions;
    return !moreWaiting || this.ddl || this.transactions >= maxTransactions || this.changes >= this.options.maxChanges;
  }

  /** Writes what is pending into the open target transaction (not committed): DDL among it then shows in the target's catalog. */
  async writePending(): Promise<void> {
    if (this.isOpen) await this.flush();
  }

  /** Writes what is pending, then commits it with the last source commit's position; durable once this resolves. */
  async commit(): Promise<CommittedTransactions> {
    const last = this.last;
    if (!last) throw new TargetTransactionError('commit() needs a source commit in the target transaction');
    await this.flush();
    await this.applier.commit(last.position, last.commit.commitEndLsn);
    this.metrics.committed(this.changes, last.commit.commitTimeMicros);
    const committed = { position: last.position, commitTimeMicros: last.commit.commitTimeMicros, changes: this.changes, transactions: this.transactions };
    this.reset();
    return committed;
  }

  /** A skipped source transaction's commit (kasho skip): its record and the applied position past it, in a target transaction of their own. */
  async commitSkip(record: SkipRecord, position: Position, commit: CommitChange): Promise<void> {
    await this.applier.begin();
    this.metrics.began();
    await this.applier.recordSkip(record);
    await this.applier.commit(position, commit.commitEndLsn);
    this.metrics.committed(0, commit.commitTimeMicros);
  }

  /** Drops what the open target transaction holds and rolls it back on the target (nothing when none is open). */
  async rollback(): Promise<void> {
    this.metrics.rolledBack();
    this.reset();
    await this.applier.rollback();
  }

  private async flush(): Promise<void> {
    this.pendingBytes = 0;
    if (this.pending.length === 0) return;
    const changes = this.pending.splice(0, this.pending.length);
    await this.applier.write(changes);
    this.metrics.written(changes);
  }

  private reset(): void {
    this.isOpen = false;
    this.ddl = false;
    this.transactions = 0;
    this.changes = 0;
    this.pending = [];
    this.pendingBytes = 0;
    this.last = undefined;
  }
}
