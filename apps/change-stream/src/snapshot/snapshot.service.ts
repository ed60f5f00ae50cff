import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Observable, finalize } from 'rxjs';
import type { Client } from 'pg';
import { readUniqueKeys, withPg } from '@kasho/runtime';
import { CHANGE_BUFFER, ChangeBuffer } from '@kasho/buffer';
import { BlockRange, CopyChunk, CopyFormat, SequenceValue, SnapshotPlan, parseTableName, relationKey, snapshotPosition } from '@kasho/contracts';
import { ExportSlot, SourceSetupService, assertSnapshotName, publicationNames } from '@kasho/replication';
import { CaptureGate } from '../capture/capture-gate';
import { SlotProgress } from '../capture/slot-progress';
import { ConsumerLease } from '../streaming/consumer-lease';
import { CopySink, readCopyRange } from './copy-range.reader';
import { HeldSnapshots } from './held-snapshots';
import { SCHEMA_DUMP_OPTIONS, findPgDump, runPgDump } from './pg-dump';
import { planRanges } from './range-planner';
import { cleanDumpSql, splitPostDataSql } from './schema-sql';
import { SnapshotNotHeldError, SnapshotRequestError, SnapshotTableNotFoundError } from './snapshot.errors';
import { SNAPSHOT_SOURCE_OPTIONS } from './snapshot-source.module-definition';
import type { SnapshotSourceOptions } from './snapshot-source.options';
import { readSequences, readTables } from './snapshot-catalog';
import { SelectionMembership, readForeignKeysOutside, selectionMembership } from './table-selection';

/** An exported snapshot unused this long is released (the translicator is gone). */
export const SNAPSHOT_LEASE_MS = 120_000;

/**
 * The source side of the initial snapshot (docs/snapshot.md). A full snapshot re-creates the
 * replication slot with an exported snapshot while capture is suspended, so the copy and the
 * stream meet exactly at the slot's consistent point; capture resumes at once from the new slot
 * (Redis absorbs what is written during the copy, bounded by MAX_BUFFERED_CHANGES). A one-table
 * resync uses a temporary slot just for its snapshot and leaves the stream alone.
 */
@Injectable()
export class SnapshotService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SnapshotService.name);
  private readonly held = new HeldSnapshots(SNAPSHOT_LEASE_MS);
  private preparing: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  /** The table selection: the tables of these publications (docs/architecture.md, "Table selection"). */
  private readonly publications: string[];

  constructor(
    @Inject(SNAPSHOT_SOURCE_OPTIONS) private readonly options: SnapshotSourceOptions,
    private readonly gate: CaptureGate,
    private readonly progress: SlotProgress,
    private readonly setup: SourceSetupService,
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    private readonly lease: ConsumerLease,
  ) {
    this.publications = publicationNames(options.publicationName);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.held.expire().then(
        (ids) => ids.forEach((id) => this.logger.warn(`Released snapshot ${id}: unused for ${SNAPSHOT_LEASE_MS / 1000} s`)),
        () => undefined,
      );
    }, 5_000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.held.releaseAll();
  }

  /**
   * One Prepare at a time: two full snapshots must not re-create the slot concurrently. A full snapshot
   * takes the consumer lease for `targetId` first (ConsumerConflictError while another target holds it):
   * re-creating the slot must not cost another consumer its changes.
   */
  prepare(table: string, resumeSnapshotId: string, workers: number, targetId: string): Promise<SnapshotPlan> {
    if (!table) {
      if (!targetId) return Promise.reject(new SnapshotRequestError('target_id is required for a full snapshot: the stable identity of the target database'));
      this.lease.claim(targetId, 'snapshot');
    }
    const next = this.preparing.then(() => (table ? this.prepareTable(table, workers) : this.prepareFull(resumeSnapshotId, workers, targetId)));
    this.preparing = next.catch(() => undefined);
    return next;
  }

  copyRange(snapshotId: string, schema: string, table: string, range: BlockRange, format: CopyFormat, sink: CopySink): Observable<CopyChunk> {
    const held = this.held.touch(assertSnapshotName(snapshotId));
    if (!held)
      throw new SnapshotNotHeldError(`snapshot ${snapshotId} is not held here (released, expired, or pg-change-stream restarted): start the snapshot again`);
    // The plan lists the selected tables only: nothing else (catalogs, kasho's schema) is ever copied.
    const planned = held.plan.tables.find((t) => t.schema === schema && t.table === table);
    if (!planned) throw new SnapshotTableNotFoundError(`table ${schema}.${table} is not in snapshot ${snapshotId}`);
    if (held.targetId) this.lease.touch(held.targetId);
    held.activeCopies++;
    const partitioned = held.partitioned.has(relationKey(schema, table));
    return readCopyRange(
      {
        connectionString: this.options.connectionString,
        snapshotId,
        schema,
        table,
        partitioned,
        columns: planned.columns.map((c) => c.name),
        range,
        format,
      },
      sink,
    ).pipe(
      finalize(() => {
        held.activeCopies--;
        held.lastUsed = Date.now();
      }),
    );
  }

  async finish(snapshotId: string): Promise<void> {
    if (await this.held.release(snapshotId)) this.logger.log(`Snapshot ${snapshotId} finished and released`);
  }

  async sequences(): Promise<SequenceValue[]> {
    return this.withSourceClient((client) => readSequences(client, this.publications));
  }

  private async prepareFull(resumeSnapshotId: string, workers: number, targetId: string): Promise<SnapshotPlan> {
    const current = this.held.full();
    if (current && resumeSnapshotId && current.plan.snapshotId === resumeSnapshotId) {
      this.held.touch(resumeSnapshotId);
      this.logger.log(`Snapshot ${resumeSnapshotId} resumed`);
      return { ...current.plan, resumed: true };
    }
    if (current) await this.held.release(current.plan.snapshotId);
    const started = Date.now();
    const slot = await this.recreateSlot();
    try {
      const { plan, partitioned } = await this.buildPlan(slot, workers, undefined);
      this.held.add({ kind: 'full', plan, slot, targetId, partitioned });
      const rows = plan.tables.reduce((n, t) => n + t.estimatedRows, 0);
      this.logger.log(
        `Snapshot ${plan.snapshotId} prepared in ${Date.now() - started} ms: consistent point ${slot.slot.consistentLsn}, ` +
          `${plan.tables.length} tables (~${rows} rows), ${plan.sequences.length} sequences`,
      );
      return plan;
    } catch (err) {
      await slot.close();
      throw err;
    }
  }

  /** Capture is suspended only while the slot is dropped and re-created; it resumes from the new slot. */
  private async recreateSlot(): Promise<ExportSlot> {
    await this.gate.suspend();
    try {
      const slot = await ExportSlot.create(this.options.connectionString, this.options.slotName, { temporary: false });
      const position = snapshotPosition(slot.slot.consistentLsn);
      // Everything buffered came from the old slot and is older than the consistent point: it is in the snapshot.
      this.progress.restartAt(position, slot.slot.consistentLsn);
      await this.buffer.trimThrough(position);
      await this.buffer.setApplied(position);
      return slot;
    } catch (err) {
      // Never leave the source without a slot: re-create a plain one if the drop went through.
      await this.setup.ensure().catch((e: Error) => this.logger.error(`Could not restore the replication slot: ${e.message}`));
      throw err;
    } finally {
      this.gate.resume();
    }
  }

  private async prepareTable(name: string, workers: number): Promise<SnapshotPlan> {
    let only: { schema: string; table: string };
    try {
      only = parseTableName(name);
    } catch (err) {
      throw new SnapshotRequestError((err as Error).message);
    }
    // Checked before any slot is made: a table outside the selection (a catalog, kasho's own) is never served.
    const membership = await this.withSourceClient((client) => selectionMembership(client, this.publications, only.schema, only.table));
    if (membership.kind !== 'unit') {
      const message = notAUnitMessage(`${only.schema}.${only.table}`, membership, this.publications);
      this.logger.warn(`Refused a resync snapshot: ${message}`);
      throw new SnapshotTableNotFoundError(message);
    }
    const slot = await ExportSlot.create(this.options.connectionString, `kasho_resync_${process.pid}_${Date.now() % 1e9}`, { temporary: true });
    try {
      const { plan, partitioned } = await this.buildPlan(slot, workers, only);
      if (plan.tables.length === 0)
        throw new SnapshotTableNotFoundError(notAUnitMessage(`${only.schema}.${only.table}`, { kind: 'outside' }, this.publications));
      this.held.add({ kind: 'table', plan, slot, partitioned });
      this.logger.log(`Resync snapshot ${plan.snapshotId} of ${name} prepared: consistent point ${slot.slot.consistentLsn}`);
      return plan;
    } catch (err) {
      await slot.close();
      throw err;
    }
  }

  /** The plan, and which of its tables are partitioned (copied through their root). */
  private async buildPlan(
    slot: ExportSlot,
    workers: number,
    only: { schema: string; table: string } | undefined,
  ): Promise<{ plan: SnapshotPlan; partitioned: Set<string> }> {
    const snapshotId = slot.slot.snapshotName;
    const url = this.options.connectionString;
    const dump = async (section: string, extra: string[]) =>
      only ? '' : runPgDump(findPgDump(this.options.pgDump), url, [...SCHEMA_DUMP_OPTIONS, `--snapshot=${snapshotId}`, `--section=${section}`, ...extra]);
    const catalog = this.withSourceClient(async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`SET TRANSACTION SNAPSHOT '${assertSnapshotName(snapshotId)}'`);
      const version = Number((await client.query<{ v: string }>(`SELECT pg_catalog.current_setting('server_version_num') AS v`)).rows[0].v);
      const tables = await readTables(client, this.publications, only);
      const uniqueKeys = await readUniqueKeys(client, tables);
      const sequences = only ? [] : await readSequences(client, this.publications);
      const foreignKeys = only ? [] : await readForeignKeysOutside(client, this.publications);
      await client.query('COMMIT');
      return { tables, uniqueKeys, sequences, version, foreignKeys };
    });
    const [preData, postData, { tables, uniqueKeys, sequences, version, foreignKeys }] = await Promise.all([
      dump('pre-data', ['--clean', '--if-exists']),
      dump('post-data', []),
      catalog,
    ]);
    const ranges = planRanges(
      tables.map((t) => t.blocks),
      workers > 0 ? workers : 4,
      version >= 140000, // TID range scans
    );
    // Each table's own indexes and constraints are built as soon as its rows are in (docs/snapshot.md).
    // Foreign keys to rows that do not travel cannot be validated on the target (docs/snapshot.md).
    for (const fk of foreignKeys) {
      this.logger.warn(
        fk.partitioned
          ? `Foreign key ${fk.constraint} of partitioned table ${fk.schema}.${fk.table} references ${fk.references}, whose rows are outside the table selection: ` +
              'left out on the target (PostgreSQL before 18 cannot add it NOT VALID to a partitioned table)'
          : `Foreign key ${fk.constraint} of ${fk.schema}.${fk.table} references ${fk.references}, whose rows are outside the table selection: created NOT VALID on the target`,
      );
    }
    const postDataSql = splitPostDataSql(postData, tables, foreignKeys);
    const plan: SnapshotPlan = {
      snapshotId,
      consistentLsn: slot.slot.consistentLsn,
      preDataSql: cleanDumpSql(preData),
      postDataSql: postDataSql.rest,
      tables: tables.map((t, i) => ({
        schema: t.schema,
        table: t.table,
        columns: t.columns,
        estimatedRows: t.estimatedRows,
        estimatedBytes: t.bytes,
        ranges: ranges[i],
        postDataSql: postDataSql.byTable.get(relationKey(t.schema, t.table)) ?? '',
        ...(uniqueKeys.get(relationKey(t.schema, t.table)) ?? { uniqueIndexes: [], foreignKeys: [] }),
      })),
      sequences,
      resumed: false,
      sourceVersionNum: version,
    };
    return { plan, partitioned: new Set(tables.filter((t) => t.partitioned).map((t) => relationKey(t.schema, t.table))) };
  }

  private async withSourceClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    return withPg({ connectionString: this.options.connectionString, application_name: 'kasho-snapshot-plan' }, fn);
  }
}

/** Why a resync of `name` is refused, and what to ask for instead. */
function notAUnitMessage(name: string, membership: SelectionMembership, publications: readonly string[]): string {
  const where = `the table selection (publications ${publications.join(', ')})`;
  switch (membership.kind) {
    case 'partition-of-unit':
      return `table ${name} is a partition whose rows travel under ${membership.root} (publish_via_partition_root): resync ${membership.root}`;
    case 'partitions-are-units':
      return `table ${name} is partitioned and its partitions travel each under its own name: resync its partitions`;
    default:
      return `table ${name} is not in ${where}`;
  }
}
