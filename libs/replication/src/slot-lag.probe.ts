import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { pgClientConfig } from '@kasho/runtime';
import { REPLICATION_OPTIONS } from './replication.module-definition';
import { ReplicationOptions } from './replication.options';

const TIMEOUT_MS = 2_000;
const LAG_SQL = `SELECT (pg_catalog.pg_current_wal_lsn() - confirmed_flush_lsn)::text AS lag
                   FROM pg_catalog.pg_replication_slots WHERE slot_name = $1`;

/**
 * How far the slot is behind the source: bytes of WAL between the server's current position and
 * the slot's `confirmed_flush_lsn` (what the target has durably applied, invariant I2). One small
 * pooled connection, bounded by a timeout; for metrics, polled when scraped.
 */
@Injectable()
export class SlotLagProbe implements OnApplicationShutdown {
  private pool?: Pool;

  constructor(@Inject(REPLICATION_OPTIONS) private readonly options: ReplicationOptions) {}

  /** Bytes behind, or null when the slot does not exist (or has never confirmed a position). Throws when the source does not answer. */
  async lagBytes(): Promise<number | null> {
    const { rows } = await this.connection().query<{ lag: string | null }>(LAG_SQL, [this.options.slotName]);
    const lag = rows[0]?.lag;
    return lag === undefined || lag === null ? null : Math.max(0, Number(lag));
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
