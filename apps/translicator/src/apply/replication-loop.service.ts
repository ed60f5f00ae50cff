import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ApplyError, DdlDecision, TargetApplier, decideDdl, loadDdlPolicy } from '@kasho/apply';
import { ChangeEnvelope, CommitChange, DdlChange, Position, RowChange, changeSize } from '@kasho/contracts';
import { Backoff, sleep } from '@kasho/runtime';
import { TransformEngine, TransformError } from '@kasho/transforms';
import { TranslicatorEnv } from '../config/translicator.env';
import { BatchQueue } from '../ingest/batch-queue';
import { ChangeStreamGrpcClient } from '../ingest/change-stream.client';
import { ApplyMetrics } from '../metrics/apply.metrics';
import { SnapshotCoordinator } from '../snapshot/snapshot-coordinator.service';
import { ApplyState } from './apply-state';
import { changePosition, describe, isChangeError } from './change-errors';
import { TransactionSkip } from './transaction-skip';

/**
 * Stream → transform → apply, exactly once (invariant I3): the changes of one or more whole source
 * transactions and the new applied position are committed in one target transaction; a change at
 * or below the applied position is skipped. Any failure rolls back, reconnects, re-reads the
 * position from the target and resumes from there, with backoff; it never skips a change (I6),
 * except the one source transaction an operator names with `kasho skip` (docs/operations.md): the
 * change it is stopped at is recorded on the target; while stopped, each target transaction holds one
 * source transaction, so a failure's position names exactly one.
 */
@Injectable()
export class ReplicationLoopService implements OnApplicationBootstrap, OnApplicationShutdown {
  private static readonly WRITE_CHUNK = 1_000;
  /** Pending changes are also written once they hold this many bytes (changeSize), inside the open target transaction. */
  private static readonly WRITE_BYTES = 32 * 1024 * 1024;
  private readonly logger = new Logger(ReplicationLoopService.name);
  private readonly abort = new AbortController();
  /** Aborted a bounded time after shutdown starts: the source transaction in flight gets until then to complete. */
  private readonly drain = new AbortController();
  private lastAck?: Promise<void>;
  private readonly backoff = new Backoff(250, 15_000);
  private loop?: Promise<void>;
  private applied: Position = Position.ZERO;
  /** The target's stable identity (kasho.target_identity), sent with every stream. */
  private targetId = '';
  /** The change apply stopped at, until a commit passes it: meanwhile one source transaction per target transaction. */
  private stuckAt?: Position;
  /** The source transaction `kasho skip` asked to skip, armed when its request names the change apply is stopped at. */
  private skip?: TransactionSkip;

  constructor(
    private readonly applier: TargetApplier,
    private readonly stream: ChangeStreamGrpcClient,
    private readonly transforms: TransformEngine,
    private readonly state: ApplyState,
    private readonly env: TranslicatorEnv,
    private readonly metrics: ApplyMetrics,
    private readonly snapshot: SnapshotCoordinator,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  /**
   * Intake stops first: no new target transaction begins. The one in flight takes the rest of its
   * source transaction from the batches still arriving, commits and is acknowledged, if that
   * completes within half of SHUTDOWN_TIMEOUT_MS; otherwise it is rolled back (and re-applied after
   * the restart). Then connections close.
   */
  async onApplicationShutdown(): Promise<void> {
    const bound = this.env.SHUTDOWN_TIMEOUT_MS;
    this.abort.abort();
    const drainTimer = setTimeout(() => this.drain.abort(), bound * 0.5);
    if (!(await settlesWithin(this.loop, bound * 0.7))) {
      // Stuck in a query (e.g. waiting for the advisory lock): ending the session makes it fail.
      this.logger.warn('the apply loop did not stop in time; closing the target connection');
      await settlesWithin(this.applier.close(), bound * 0.1);
      await settlesWithin(this.loop, bound * 0.1);
    }
    clearTimeout(drainTimer);
    if (this.lastAck) await settlesWithin(this.lastAck, bound * 0.1);
    await this.applier.close().catch(() => undefined);
    this.state.set('stopped');
    this.logger.log(`Stopped at applied position ${this.applied}`);
  }

  private async run(): Promise<void> {
    await loadDdlPolicy();
    while (!this.abort.signal.aborted) {
      try {
        this.state.set('waiting-for-lock');
        const opened = await this.applier.open();
        // Initial snapshot first when the target needs one; then re-open to read the position it wrote.
        if (await this.snapshot.beforeFollow(opened, this.abort.signal)) {
          this.backoff.reset();
          continue;
        }
        const { position } = opened;
        this.targetId = opened.targetId;
        this.applied = position;
        this.state.appliedPosition = position;
        this.logger.log(`Resuming after position ${position}`);
        await this.readStuckChange();
        await this.follow();
      } catch (err) {
        if (this.abort.signal.aborted) break;
        this.metrics.recordError(err);
        const message = describe(err);
        const at = changePosition(err);
        this.state.failed(message, isChangeError(err), at?.toString());
        if (at) await this.recordFailure(at, message);
        const delay = this.backoff.next();
        this.logger.error(`Apply stopped: ${message}; retrying in ${delay} ms`);
        await sleep(delay, this.abort.signal);
      } finally {
        this.metrics.rolledBack();
        await this.applier.rollback().catch(() => undefined);
        await this.applier.close().catch(() => undefined);
      }
    }
  }

  /** What the target recorded of a stop at a change, and an operator's request to skip it. */
  private async readStuckChange(): Promise<void> {
    const { stuck, skip } = await this.applier.stuckChange();
    this.stuckAt = stuck?.position;
    if (stuck) this.state.stuckAt ??= stuck.position.toString();
    this.skip = skip ? new TransactionSkip(skip) : undefined;
    if (skip) this.logger.warn(`kasho skip requested for position ${skip.position} (reason: ${skip.reason}): its source transaction will be skipped`);
  }

  private async recordFailure(at: Position, message: string): Promise<void> {
    this.stuckAt = at;
    try {
      await this.applier.recordFailure(at, message);
    } catch (err) {
      this.logger.warn(`could not record the failing position ${at} on the target: ${describe(err)}`);
    }
  }

  /** One stream session: returns when the stream ends or shutdown starts; throws on any failure. */
  private async follow(): Promise<void> {
    const { consumerId, batches } = this.stream.open(this.applied, this.env.STREAM_WINDOW, this.targetId);
    const queue = new BatchQueue();
    const subscription = batches.subscribe({ next: (b) => queue.push(b), error: (e: Error) => queue.fail(e), complete: () => queue.end() });
    const tx = { open: false, ddl: false, transactions: 0, changes: 0, pending: [] as ChangeEnvelope[], pendingBytes: 0, last: undefined as undefined | { position: Position; commit: CommitChange } };
    try {
      this.state.set('streaming');
      for (;;) {
        // Once shutdown starts, only the target transaction in flight may take more batches, until the drain bound.
        if (this.abort.signal.aborted && !tx.open) return;
        const batch = await queue.take(tx.open ? this.drain.signal : AbortSignal.any([this.abort.signal, this.snapshot.resyncWakeSignal]));
        if (!batch) {
          // Woken by a table resync request: run it now, between target transactions.
          if (!tx.open && !this.abort.signal.aborted && this.snapshot.resyncPending) {
            await this.snapshot.runResyncs();
            continue;
          }
          return;
        }
        this.ackQuietly(consumerId, { received: batch[batch.length - 1].position });
        for (let i = 0; i < batch.length; i++) {
          const envelope = batch[i];
          const { position } = envelope;
          if (!position.isAfter(this.applied)) continue;
          if (this.skip?.covers(position, envelope.change)) {
            if (tx.open && tx.last) {
              await this.flush(tx);
              await this.commit(consumerId, tx);
            }
            if (envelope.change.kind === 'commit') await this.commitSkip(consumerId, position, envelope.change);
            continue;
          }
          // A change of a resynced table committed before its copy's snapshot is already in the copy.
          const change = this.snapshot.keep(envelope.change, position);
          if (change === null) continue;
          if (!tx.open) {
            if (this.abort.signal.aborted) return;
            await this.applier.begin();
            this.metrics.began();
            tx.open = true;
          }
          if (change.kind === 'ddl') {
            const replayed = this.replayedDdl(change, position);
            if (!replayed) continue;
            tx.pending.push({ position, change: replayed });
            tx.changes++;
            // DDL ends the target transaction at its source commit: a later source transaction may use
            // what it created (a new enum value cannot be used in the transaction that added it, 55P04).
            tx.ddl = true;
            continue;
          }
          if (change.kind !== 'commit') {
            const transformed = change.kind === 'insert' || change.kind === 'update' || change.kind === 'delete' ? await this.transformRow(change, position) : change;
            tx.pending.push({ position, change: transformed });
            tx.changes++;
            tx.pendingBytes += changeSize(transformed);
            // Written, not committed: a source transaction is never split across target transactions.
            if (tx.pending.length >= ReplicationLoopService.WRITE_CHUNK || tx.pendingBytes >= ReplicationLoopService.WRITE_BYTES) await this.flush(tx);
            continue;
          }
          // Commit entries stay in the pending batch: inserts batch across small source transactions.
          tx.pending.push(envelope);
          tx.transactions++;
          tx.last = { position, commit: change };
          const moreWaiting = (i < batch.length - 1 || queue.hasReady) && !this.abort.signal.aborted;
          const maxTransactions = this.stuckAt ? 1 : this.env.APPLY_MAX_TRANSACTIONS;
          if (!moreWaiting || tx.ddl || tx.transactions >= maxTransactions || tx.changes >= this.env.APPLY_MAX_CHANGES) {
            await this.flush(tx);
            await this.commit(consumerId, tx);
            if (this.snapshot.resyncPending) await this.snapshot.runResyncs();
          }
        }
      }
    } finally {
      subscription.unsubscribe();
    }
  }

  /**
   * The DDL policy (docs/ddl-policy.md): the statement to replay, or undefined when the policy skips
   * it (logged by tag and object, never by its text, which may hold literals; counted at commit).
   */
  private replayedDdl(change: DdlChange, position: Position): DdlChange | undefined {
    let decision: DdlDecision;
    try {
      decision = decideDdl(change);
    } catch (err) {
      throw new ApplyError({ kind: 'ddl', position }, `DDL ${change.tag} on ${change.object || 'an unnamed object'}: ${describe(err)}`);
    }
    if (decision.action === 'replay') return decision.sql === change.sql ? change : { ...change, sql: decision.sql };
    this.logger.warn(`DDL ${change.tag} on ${change.object || 'an unnamed object'} at position ${position} skipped by the DDL policy (${decision.rule})`);
    this.metrics.ddlSkipped(decision.rule, change.tag);
    return undefined;
  }

  private async transformRow(change: RowChange, position: Position): Promise<RowChange> {
    try {
      return await this.transforms.transformRow(change);
    } catch (err) {
      throw err instanceof TransformError ? err.at(position) : err;
    }
  }

  /** The skipped transaction's commit: its record and the applied position past it, in one target transaction. */
  private async commitSkip(consumerId: string, position: Position, commit: CommitChange): Promise<void> {
    const record = this.skip!.record();
    await this.applier.begin();
    this.metrics.began();
    await this.applier.recordSkip(record);
    await this.applier.commit(position, commit.commitEndLsn);
    this.metrics.committed(0, commit.commitTimeMicros);
    this.applied = position;
    this.state.committed(position, BigInt(commit.commitTimeMicros), 0, 1);
    this.stuckAt = undefined;
    this.skip = undefined;
    this.backoff.reset();
    this.ackQuietly(consumerId, { applied: position });
    this.logger.warn(
      `Skipped the source transaction of position ${record.position} (commit ${position}; tables: ${record.tables.join(', ') || 'none'}) ` +
        `as kasho skip requested (reason: ${record.reason}); recorded in kasho.skipped_changes`,
    );
  }

  private async flush(tx: { pending: ChangeEnvelope[]; pendingBytes: number }): Promise<void> {
    tx.pendingBytes = 0;
    if (tx.pending.length === 0) return;
    const changes = tx.pending.splice(0, tx.pending.length);
    await this.applier.write(changes);
    this.metrics.written(changes);
  }

  private async commit(
    consumerId: string,
    tx: { open: boolean; ddl: boolean; transactions: number; changes: number; last?: { position: Position; commit: CommitChange } },
  ): Promise<void> {
    const last = tx.last!;
    await this.applier.commit(last.position, last.commit.commitEndLsn);
    this.metrics.committed(tx.changes, last.commit.commitTimeMicros);
    this.applied = last.position;
    if (this.stuckAt && !this.stuckAt.isAfter(last.position)) this.stuckAt = undefined;
    this.state.committed(last.position, BigInt(last.commit.commitTimeMicros), tx.changes, tx.transactions);
    this.backoff.reset();
    this.ackQuietly(consumerId, { applied: last.position });
    tx.open = false;
    tx.ddl = false;
    tx.transactions = 0;
    tx.changes = 0;
    tx.last = undefined;
  }

  /** Acks are idempotent progress reports; a lost one only delays slot/window advance until the next. */
  private ackQuietly(consumerId: string, progress: Parameters<ChangeStreamGrpcClient['ack']>[1]): void {
    this.lastAck = this.stream.ack(consumerId, progress).catch((err: Error) => this.logger.debug(`ack failed: ${err.message}`));
  }
}

/** Waits for `promise` (never throws); false when it did not settle within `ms`. */
async function settlesWithin(promise: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([Promise.resolve(promise).then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
