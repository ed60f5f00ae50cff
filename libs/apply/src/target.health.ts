import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Client } from 'pg';
import { pgClientConfig } from '@kasho/runtime';
import { APPLY_OPTIONS } from './apply.module-definition';
import { ApplyOptions } from './apply.options';

const DEFAULT_TIMEOUT_MS = 2_000;

/**
 * Readiness of the target database: `SELECT 1` on a short-lived connection of its own, never the
 * writer's (which may be busy in a long transaction or waiting for the advisory lock).
 */
@Injectable()
export class TargetHealthIndicator {
  constructor(
    @Inject(APPLY_OPTIONS) private readonly options: ApplyOptions,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy<const Key extends string = 'target'>(key: Key = 'target' as Key, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.health.check(key);
    const client = new Client(
      pgClientConfig({
        connectionString: this.options.connectionString,
        connectionTimeoutMillis: timeoutMs,
        query_timeout: timeoutMs,
        application_name: 'kasho-health',
      }),
    );
    client.on('error', () => undefined);
    const started = Date.now();
    try {
      await client.connect();
      await client.query('SELECT 1');
      return indicator.up({ responseTimeMs: Date.now() - started });
    } catch (err) {
      return indicator.down({ message: `target unreachable: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
