import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Client } from 'pg';
import { withTimeout, pgClientConfig } from '@kasho/runtime';
import { pgMessage } from './replication.errors';
import { REPLICATION_OPTIONS } from './replication.module-definition';
import { ReplicationOptions } from './replication.options';
import { parseSlotWal, SLOT_WAL_SQL, SlotWalRow } from './slot-wal';

const DEFAULT_TIMEOUT_MS = 2_000;

/**
 * Readiness of the source: it answers within the bound and the replication slot exists and still
 * has its WAL (`wal_status` is not `lost`). Reports the slot name, whether it is active, the WAL it
 * retains on the source (`retainedWalBytes`) and its `walStatus` (slot-wal.ts); never the URL. An
 * `unreserved` slot stays up, with a warning: its WAL may be removed at the next checkpoint.
 */
@Injectable()
export class SourceHealthIndicator {
  private readonly timeoutMs: number;

  constructor(
    private readonly healthIndicatorService: HealthIndicatorService,
    @Inject(REPLICATION_OPTIONS) private readonly options: ReplicationOptions,
  ) {
    this.timeoutMs = options.healthTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async check<const Key extends string = 'source'>(key: Key = 'source' as Key): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.healthIndicatorService.check(key);
    const slot = this.options.slotName;
    const client = new Client(
      pgClientConfig({
        connectionString: this.options.connectionString,
        application_name: 'kasho-health',
        connectionTimeoutMillis: this.timeoutMs,
        query_timeout: this.timeoutMs,
      }),
    );
    client.on('error', () => undefined);
    try {
      const probe = async () => {
        await client.connect();
        const { rows } = await client.query<SlotWalRow>(SLOT_WAL_SQL, [slot]);
        return rows[0];
      };
      const row = await withTimeout(probe(), this.timeoutMs, `no answer within ${this.timeoutMs} ms`);
      if (!row) return indicator.down({ message: `replication slot "${slot}" does not exist on the source`, slot });
      const wal = parseSlotWal(row);
      const details = { slot, active: wal.active, retainedWalBytes: wal.retainedBytes, walStatus: wal.walStatus };
      if (wal.walStatus === 'lost') {
        return indicator.down({
          ...details,
          message: `replication slot "${slot}" lost the WAL it needs (past max_slot_wal_keep_size): it cannot be read any more; the target needs a new snapshot (docs/operations.md)`,
        });
      }
      if (wal.walStatus === 'unreserved') {
        return indicator.up({
          ...details,
          warning: `replication slot "${slot}" is past max_slot_wal_keep_size: its WAL may be removed at the next checkpoint`,
        });
      }
      return indicator.up(details);
    } catch (err) {
      return indicator.down({ message: `source unreachable: ${pgMessage(err)}`, slot });
    } finally {
      void client.end().catch(() => undefined);
    }
  }
}
