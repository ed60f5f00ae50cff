import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { pgClientConfig } from '@kasho/runtime';
import { REPLICATION_OPTIONS } from './replication.module-definition';
import { ReplicationOptions } from './replication.options';
import { parseSlotWal, SLOT_WAL_SQL, SlotWal, SlotWalRow } from './slot-wal';

const TIMEOUT_MS = 2_000;
/** Gauges read in the same scrape share one query. */
const REUSE_MS = 500;

/**
 * How far the slot is behind the source and what it costs it (slot-wal.ts): lag behind the applied
 * position, WAL retained since `restart_lsn`, `wal_status`. One small pooled connection, bounded by a
 * timeout; for metrics, polled when scraped.
 */
@Injectable()
export class SlotLagProbe implements OnApplicationShutdown {
  private pool?: Pool;
  private recent?: { at: number; result: Promise<SlotWal | null> };

  constructor(@Inject(REPLICATION_OPTIONS) private readonly options: ReplicationOptions) {}

  /** Bytes behind, or null when the slot does not exist (or has never confirmed a position). Throws when the source does not answer. */
  async lagBytes(): Promise<number | null> {
    return (await this.slotWal())?.lagBytes ?? null;
  }

  /** The slot's lag, retained WAL and wal_status; null when the slot does not exist. Throws when the source does not answer. */
  slotWal(): Promise<SlotWal | null> {
    const now = Date.now();
    if (this.recent && now - this.recent.at < REUSE_MS) return this.recent.result;
    const result = this.connection()
      .query<SlotWalRow>(SLOT_WAL_SQL, [this.options.slotName])
      .then(({ rows }) => (rows[0] ? parseSlotWal(rows[0]) : null));
    this.recent = { at: now, result };
    result.catch(() => (this.recent = undefined));
    return result;
  }

  async onApplicationShutdown(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end().catch(() => undefined);
  }

  private connection(): Pool {
    if (!this.pool) {
      this.pool = new Pool({
        ...pgClientConfig({
          connectionString: this.options.connectionString,
          application_name: 'kasho-metrics',
          connectionTimeoutMillis: TIMEOUT_MS,
          query_timeout: TIMEOUT_MS,
        }),
        max: 1,
        idleTimeoutMillis: 60_000,
      });
      this.pool.on('error', () => undefined);
    }
    return this.pool;
  }
}
