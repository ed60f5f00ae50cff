import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Client } from 'pg';
import { withTimeout, pgClientConfig } from '@kasho/runtime';
import { pgMessage } from './replication.errors';
import { REPLICATION_OPTIONS } from './replication.module-definition';
import { ReplicationOptions } from './replication.options';

const DEFAULT_TIMEOUT_MS = 2_000;

/**
 * Readiness of the source: it answers within the bound and the replication slot exists.
 * Reports the slot name and whether it is active; never the URL.
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
        const { rows } = await client.query<{ active: boolean }>('SELECT active FROM pg_catalog.pg_replication_slots WHERE slot_name = $1', [slot]);
        return rows[0];
      };
      const row = await withTimeout(probe(), this.timeoutMs, `no answer within ${this.timeoutMs} ms`);
      if (!row) return indicator.down({ message: `replication slot "${slot}" does not exist on the source`, slot });
      return indicator.up({ slot, active: row.active });
    } catch (err) {
      return indicator.down({ message: `source unreachable: ${pgMessage(err)}`, slot });
    } finally {
      void client.end().catch(() => undefined);
    }
  }
}
