import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ensureSnapshotTables, openTargetSession, recordTableResync } from '@kasho/apply';
import { parseTableName } from '@kasho/contracts';
import { closePg } from '@kasho/runtime';
import { SnapshotGrpcClient } from '../ingest/snapshot.client';
import { RangeCopier } from '../range-copy/range-copier';
import { SnapshotProgress } from '../range-copy/snapshot-progress';
import { TargetCatalog } from '../range-copy/target-catalog';
import { RESYNC_OPTIONS, ResyncOptions } from './resync.module-definition';
import { ResyncFilter } from './resync-filter';

export interface ResyncRequest {
  id: string;
  table: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  requestedAt: string;
  finishedAt?: string;
  rows?: number;
  afterLsn?: string;
  error?: string;
}

/**
 * Re-copies one table while the stream keeps its place (docs/snapshot.md): requested over HTTP, run
 * by the apply loop at a transaction boundary. pg-change-stream exports a snapshot from a temporary
 * slot (consistent point C); in ONE target transaction the table is emptied, copied (transformed)
 * and C recorded in kasho.table_resync; the loop then resumes where it was and skips that table's
 * changes committed before C.
 */
@Injectable()
export class TableResyncService {
  private static readonly KEEP = 50;
  private readonly logger = new Logger('Resync');
  private readonly requests = new Map<string, ResyncRequest>();
  private wake = new AbortController();

  constructor(
    private readonly client: SnapshotGrpcClient,
    private readonly copier: RangeCopier,
    private readonly filter: ResyncFilter,
    private readonly progress: SnapshotProgress,
    @Inject(RESYNC_OPTIONS) private readonly options: ResyncOptions,
  ) {}

  request(table: string): ResyncRequest {
    const { schema, table: name } = parseTableName(table);
    const request: ResyncRequest = { id: randomUUID(), table: `${schema}.${name}`, status: 'pending', requestedAt: new Date().toISOString() };
    this.requests.set(request.id, request);
    for (const id of [...this.requests.keys()].slice(0, Math.max(0, this.requests.size - TableResyncService.KEEP))) this.requests.delete(id);
    this.logger.log(`Resync of ${request.table} requested (${request.id})`);
    this.wake.abort();
    return request;
  }

  get(id: string): ResyncRequest | undefined {
    return this.requests.get(id);
  }

  list(): ResyncRequest[] {
    return [...this.requests.values()];
  }

  get pending(): boolean {
    return [...this.requests.values()].some((r) => r.status === 'pending');
  }

  /** Aborts when a request arrives, so an idle apply loop wakes up to run it. */
  get wakeSignal(): AbortSignal {
    if (this.wake.signal.aborted && !this.pending) this.wake = new AbortController();
    return this.wake.signal;
  }

  /** Runs every pending request, one after the other. Called by the apply loop with no target transaction open. */
  async runPending(): Promise<void> {
    for (const request of this.requests.values()) {
      if (request.status !== 'pending') continue;
      request.status = 'running';
      try {
        const { rows, afterLsn } = await this.resync(request.table);
        Object.assign(request, { status: 'done', rows, afterLsn: afterLsn.toString(), finishedAt: new Date().toISOString() });
      } catch (err) {
        Object.assign(request, { status: 'failed', error: (err as Error).message, finishedAt: new Date().toISOString() });
        this.logger.error(`Resync of ${request.table} failed: ${(err as Error).message}`);
      }
    }
  }

  private async resync(name: string): Promise<{ rows: number; afterLsn: bigint }> {
    const started = Date.now();
    const plan = await this.client.prepare({ table: name, workers: 1 });
    const table = plan.tables[0];
    const label = `${table.schema}.${table.table}`;
    const target = await openTargetSession(this.options.targetUrl, 'kasho-resync', { synchronousCommit: true });
    this.progress.begin([{ table: label, rowsTotal: table.estimatedRows, bytesTotal: table.estimatedBytes, rangesTotal: table.ranges.length }]);
    let rows = 0;
    try {
      // Which rules apply (a partition takes its partitioned table's), then mode: strict, before any row is written.
      await this.copier.learnPartitions(target, plan.tables);
      this.copier.refuseUnlisted(plan.tables);
      await ensureSnapshotTables(target);
      await target.query('BEGIN');
      const qualified = `${target.escapeIdentifier(table.schema)}.${target.escapeIdentifier(table.table)}`;
      const { rows: shape } = await target.query<{ referenced: boolean; partitioned: boolean }>(
        `SELECT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE contype = 'f' AND confrelid = pg_catalog.to_regclass($1)) AS referenced,
                EXISTS (SELECT FROM pg_catalog.pg_class WHERE oid = pg_catalog.to_regclass($1) AND relkind = 'p') AS partitioned`,
        [qualified],
      );
      // TRUNCATE cannot empty a table other tables reference without CASCADE; DELETE can (RI triggers do not fire as replica).
      // A partitioned table (publish_via_partition_root) is emptied with its partitions: ONLY would refuse or touch none.
      const only = shape[0]?.partitioned ? '' : 'ONLY ';
      await target.query(shape[0]?.referenced ? `DELETE FROM ${only}${qualified}` : `TRUNCATE ${only}${qualified}`);
      const format = this.copier.formatFor(plan, table, await TargetCatalog.read(target, [table]));
      for (const range of table.ranges) {
        rows += await this.copier.copy(target, plan, table, range, format, (r, b) => this.progress.add(label, r, b));
        this.progress.rangeDone(label);
      }
      await recordTableResync(target, table.schema, table.table, plan.consistentLsn, rows);
      await target.query('COMMIT');
      this.filter.set(table.schema, table.table, plan.consistentLsn);
      this.logger.log(
        `Resync of ${label} done: ${rows} rows (COPY ${format}) in ${Date.now() - started} ms; its changes before ${plan.consistentLsn} are skipped`,
      );
      this.progress.end();
      return { rows, afterLsn: plan.consistentLsn };
    } catch (err) {
      await target.query('ROLLBACK').catch(() => undefined);
      this.progress.abort();
      throw err;
    } finally {
      await closePg(target);
      await this.client.finish(plan.snapshotId).catch(() => undefined);
    }
  }
}
