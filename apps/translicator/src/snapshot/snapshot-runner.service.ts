import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from 'pg';
import {
  doneRanges,
  ensureSnapshotTables,
  finishRun,
  indexedTables,
  openTargetSession,
  rangeKey,
  readRun,
  recordRange,
  setSequencesForward,
  startRun,
  writeSnapshotPosition,
} from '@kasho/apply';
import { BlockRange, CopyFormat, Position, SnapshotPlan, SnapshotTable, relationKey, snapshotPosition } from '@kasho/contracts';
import { closePg } from '@kasho/runtime';
import { SnapshotGrpcClient } from '../ingest/snapshot.client';
import { RangeCopier } from '../range-copy/range-copier';
import { SnapshotProgress } from '../range-copy/snapshot-progress';
import { TargetCatalog } from '../range-copy/target-catalog';
import { CopyTransformers } from '../copy-transform/copy-transformers';
import { buildTableIndexes, dropForeignKeys, runDumpSql } from './schema-apply';
import { SnapshotInterruptedError, SnapshotPositionConflictError, SnapshotStepError } from './snapshot.errors';
import { SNAPSHOT_OPTIONS, SnapshotOptions } from './snapshot.module-definition';

interface RangeTask {
  kind: 'range';
  table: SnapshotTable;
  range: BlockRange;
  format: CopyFormat;
}

/** A table's own indexes and constraints, due once all its ranges are committed. */
interface IndexTask {
  kind: 'indexes';
  table: SnapshotTable;
}

/** Which tables have their own indexes and constraints built, and the time that took (summed over workers). */
interface IndexedSoFar {
  keys: Set<string>;
  built: number;
  ms: number;
}

/**
 * The full initial snapshot into the target (docs/snapshot.md), run by the apply loop while it
 * holds the target's advisory lock (I8), before it follows the stream:
 * Prepare → schema (pre-data) → ranges copied by SNAPSHOT_WORKERS workers, each range in its own
 * target transaction with its bookkeeping row; as soon as a table's last range is in, a worker builds
 * that table's own indexes and constraints (one transaction, with its bookkeeping row) while the
 * others keep copying → foreign keys and the rest of post-data, sequences and the applied position
 * in one transaction → Finish.
 * A restart resumes the ranges not yet committed when the exported snapshot is still held, and
 * redoes everything (pre-data drops what was there) when it is not.
 */
@Injectable()
export class SnapshotRunner {
  private readonly logger = new Logger('Snapshot');

  constructor(
    private readonly client: SnapshotGrpcClient,
    private readonly transformers: CopyTransformers,
    private readonly copier: RangeCopier,
    private readonly progress: SnapshotProgress,
    @Inject(SNAPSHOT_OPTIONS) private readonly options: SnapshotOptions,
  ) {}

  /** Whether a snapshot is half done on the target (it must be finished before streaming). */
  async inProgress(): Promise<boolean> {
    return this.withAdmin(async (admin) => {
      await ensureSnapshotTables(admin);
      return (await readRun(admin))?.phase === 'data';
    });
  }

  /** Runs (or resumes) the full snapshot of target `targetId`; resolves once the target holds the snapshot position. */
  async run(applied: Position, targetId: string, signal: AbortSignal): Promise<Position> {
    return this.withAdmin(async (admin) => {
      await ensureSnapshotTables(admin);
      const previous = await readRun(admin);
      const resumeId = previous?.phase === 'data' ? previous.snapshotId : '';
      // Transform threads: loading since boot, or (a retried snapshot) from now on, while the snapshot is prepared.
      this.transformers.open();
      try {
        const plan = await this.client.prepare({ resumeSnapshotId: resumeId, workers: this.options.workers, targetId });
        const resumed = plan.resumed && plan.snapshotId === resumeId;
        this.logger.log(
          `${resumed ? 'Resuming' : 'Starting'} snapshot ${plan.snapshotId} at consistent point ${plan.consistentLsn}: ` +
            `${plan.tables.length} tables, ${plan.tables.reduce((n, t) => n + t.ranges.length, 0)} ranges, ${this.options.workers} workers`,
        );
        if (previous?.phase === 'data' && !resumed)
          this.logger.warn(`Snapshot ${previous.snapshotId} was interrupted and is no longer held by pg-change-stream: redoing it`);
        // Once the schema is on the target (inside its transaction, so a refusal leaves nothing applied):
        // the target's partition trees tell which rules apply to a partition.
        if (!resumed) await this.applySchema(admin, plan, () => this.refuseUnlisted(admin, plan));
        else await this.refuseUnlisted(admin, plan);
        const done = await doneRanges(admin);
        const indexed: IndexedSoFar = { keys: await indexedTables(admin), built: 0, ms: 0 };
        const target = await TargetCatalog.read(admin, plan.tables);
        this.refuseMisfits(plan, target);
        const rows = await this.copyData(plan, done, indexed, target, signal);
        const position = snapshotPosition(plan.consistentLsn);
        await this.finishSchema(admin, plan, indexed, position, applied, rows);
        this.logger.log(this.progress.end());
        await this.client
          .finish(plan.snapshotId)
          .catch((err: Error) => this.logger.warn(`Finish failed (the snapshot is released after its lease): ${err.message}`));
        return position;
      } finally {
        await this.transformers.close();
      }
    }).catch((err: unknown) => {
      this.progress.abort();
      throw err;
    });
  }

  /**
   * transforms.yml against the source's tables, before any row is copied: configured tables and
   * columns the source does not have are warnings; in `mode: strict` a column not listed refuses the
   * snapshot (TransformError naming schema.table.column; the apply loop reports it and retries).
   * Run once the schema is on the target (before the schema's transaction commits, which a refusal
   * rolls back): its partition trees tell which rules apply to a partition (its nearest listed
   * ancestor's), and a table whose rules cannot be resolved refuses the snapshot too.
   */
  private async refuseUnlisted(admin: Client, plan: SnapshotPlan): Promise<void> {
    try {
      await this.copier.learnPartitions(admin, plan.tables);
      for (const warning of this.transformers.coverage(plan.tables, 'the source')) this.logger.warn(warning);
      this.copier.refuseUnlisted(plan.tables);
    } catch (err) {
      void this.client.finish(plan.snapshotId).catch(() => undefined);
      throw err;
    }
  }

  /** Rules that cannot write their column as the target now has it (SetNull on NOT NULL...): refused before any row is copied. */
  private refuseMisfits(plan: SnapshotPlan, target: TargetCatalog): void {
    try {
      this.transformers.refuseMisfits(target.columnsOf(plan.tables));
    } catch (err) {
      void this.client.finish(plan.snapshotId).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Pre-data (tables, types, sequences, defaults) in one transaction with the run's bookkeeping;
   * `check` runs inside it before the commit, and what it throws rolls the schema back and is rethrown as is.
   */
  private async applySchema(admin: Client, plan: SnapshotPlan, check: () => Promise<void>): Promise<void> {
    const started = Date.now();
    await admin.query('BEGIN');
    try {
      const dropped = await dropForeignKeys(admin, plan.tables, plan.preDataSql);
      await runDumpSql(admin, plan.preDataSql);
      await startRun(admin, plan.snapshotId, plan.consistentLsn, plan.tables.length);
      try {
        await check();
      } catch (refusal) {
        await admin.query('ROLLBACK').catch(() => undefined);
        throw new SchemaCheckRefusal(refusal);
      }
      await admin.query('COMMIT');
      this.logger.log(`Schema (pre-data) applied in ${Date.now() - started} ms${dropped ? `; ${dropped} foreign keys dropped first` : ''}`);
    } catch (err) {
      if (err instanceof SchemaCheckRefusal) throw err.refusal;
      await admin.query('ROLLBACK').catch(() => undefined);
      throw new SnapshotStepError('applying the source schema (pre-data)', err);
    }
  }

  private async copyData(plan: SnapshotPlan, done: Map<string, number>, indexed: IndexedSoFar, target: TargetCatalog, signal: AbortSignal): Promise<number> {
    this.progress.begin(
      plan.tables.map((t) => ({ table: `${t.schema}.${t.table}`, rowsTotal: t.estimatedRows, bytesTotal: t.estimatedBytes, rangesTotal: t.ranges.length })),
    );
    let total = 0;
    let binary = 0;
    const queue: (RangeTask | IndexTask)[] = [];
    /** Ranges still to copy, per table (relationKey). */
    const left = new Map<string, number>();
    for (const table of plan.tables) {
      const format = this.copier.formatFor(plan, table, target);
      if (format === 'binary') binary++;
      let ranges = 0;
      for (const range of table.ranges) {
        const rows = done.get(rangeKey(table.schema, table.table, range.startBlock));
        if (rows === undefined) {
          queue.push({ kind: 'range', table, range, format });
          ranges++;
        } else {
          total += rows;
          this.progress.add(`${table.schema}.${table.table}`, rows, 0);
          this.progress.rangeDone(`${table.schema}.${table.table}`);
        }
      }
      left.set(relationKey(table.schema, table.table), ranges);
    }
    // Tables with transform rules first: they cost the most CPU here, so they must not be the tail.
    queue.sort((a, b) => Number(this.transformers.hasRules(b.table)) - Number(this.transformers.hasRules(a.table)));
    const indexesDue = (table: SnapshotTable, key = relationKey(table.schema, table.table)) =>
      table.postDataSql !== '' && left.get(key) === 0 && !indexed.keys.has(key);
    // Tables whose rows were all in before a restart: their indexes first.
    for (const table of plan.tables) if (indexesDue(table)) queue.unshift({ kind: 'indexes', table });
    if (done.size > 0) this.logger.log(`${done.size} ranges (${total} rows) were committed before the restart; ${queue.length} tasks left`);
    this.logger.log(
      `${binary} of ${plan.tables.length} tables copied as COPY binary (built-in types, enums or domains over built-in types, transforms reading text columns only, same major version), the rest as COPY text`,
    );
    let failed: Error | undefined;
    const run = async (session: Client, task: RangeTask | IndexTask) => {
      const key = relationKey(task.table.schema, task.table.table);
      if (task.kind === 'indexes') {
        const started = Date.now();
        await buildTableIndexes(session, task.table);
        indexed.keys.add(key);
        indexed.built++;
        indexed.ms += Date.now() - started;
        return;
      }
      total += await this.copyRange(session, plan, task);
      left.set(key, left.get(key)! - 1);
      // The worker that committed the table's last range builds its indexes next (other workers keep copying).
      if (indexesDue(task.table, key)) queue.unshift({ kind: 'indexes', table: task.table });
    };
    const worker = async (n: number) => {
      let session: Client | undefined;
      try {
        for (let task = queue.shift(); task && !failed && !signal.aborted; task = queue.shift()) {
          session ??= await openTargetSession(this.options.targetUrl, `kasho-snapshot-${n}`);
          try {
            await run(session, task);
          } catch (err) {
            await closePg(session);
            session = undefined;
            throw err;
          }
        }
      } catch (err) {
        failed ??= err as Error;
      } finally {
        await closePg(session);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.workers, Math.max(1, queue.length)) }, (_, n) => worker(n)));
    if (failed) throw failed;
    if (signal.aborted) throw new SnapshotInterruptedError();
    return total;
  }

  /** One range in one target transaction, with its bookkeeping row. */
  private async copyRange(target: Client, plan: SnapshotPlan, { table, range, format }: RangeTask): Promise<number> {
    const name = `${table.schema}.${table.table}`;
    await target.query('BEGIN');
    try {
      const rows = await this.copier.copy(target, plan, table, range, format, (r, b) => this.progress.add(name, r, b));
      await recordRange(target, table.schema, table.table, range, rows);
      await target.query('COMMIT');
      this.progress.rangeDone(name);
      return rows;
    } catch (err) {
      await target.query('ROLLBACK').catch(() => undefined);
      throw new SnapshotStepError(`copying ${name} blocks [${range.startBlock}, ${range.endBlock || 'end'})`, err);
    }
  }

  /**
   * The rest of post-data (foreign keys, triggers…; before it, the own indexes of any table not built
   * yet), sequences, applied position and the run's end: one transaction, so a crash redoes all of it.
   */
  private async finishSchema(admin: Client, plan: SnapshotPlan, indexed: IndexedSoFar, position: Position, applied: Position, rows: number): Promise<void> {
    const started = Date.now();
    await admin.query('BEGIN');
    try {
      for (const table of plan.tables) {
        if (table.postDataSql !== '' && !indexed.keys.has(relationKey(table.schema, table.table))) await runDumpSql(admin, table.postDataSql);
      }
      await runDumpSql(admin, plan.postDataSql);
      const moved = await setSequencesForward(admin, plan.sequences);
      // Compare-and-set like the applier's: from the position read when the lock was taken.
      if (!(await writeSnapshotPosition(admin, position, plan.consistentLsn, applied))) throw new SnapshotPositionConflictError(applied.toString());
      await finishRun(admin, rows);
      await admin.query('COMMIT');
      const early =
        indexed.built > 0
          ? ` (the own indexes and constraints of ${indexed.built} tables were built as each one's rows were in: ${indexed.ms} ms of worker time)`
          : '';
      this.logger.log(
        `Foreign keys and the rest of post-data built and ${moved} sequences set in ${Date.now() - started} ms${early}; applied position ${position}`,
      );
    } catch (err) {
      await admin.query('ROLLBACK').catch(() => undefined);
      throw new SnapshotStepError('finishing the snapshot (post-data, sequences, position)', err);
    }
  }

  private async withAdmin<T>(fn: (admin: Client) => Promise<T>): Promise<T> {
    const admin = await openTargetSession(this.options.targetUrl, 'kasho-snapshot', { synchronousCommit: true });
    try {
      return await fn(admin);
    } finally {
      await closePg(admin);
    }
  }
}

/** Carries what applySchema's check threw past its own error wrapping. */
class SchemaCheckRefusal {
  constructor(readonly refusal: unknown) {}
}
