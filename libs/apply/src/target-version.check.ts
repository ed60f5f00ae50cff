import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Client } from 'pg';
import { PgServerVersion, checkServerVersion, closePg, connectPg } from '@kasho/runtime';
import { APPLY_OPTIONS } from './apply.module-definition';
import { ApplyOptions } from './apply.options';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The target's PostgreSQL version, checked once per process: at start (onModuleInit, before any
 * loop begins), so a target older than the minimum stops the translicator with a non-zero exit and
 * nothing written; when the target cannot be reached then, on the applier's first connection (which
 * then fails and retries, its /health naming the reason). A newer target than tested is a warning.
 */
@Injectable()
export class TargetVersionCheck implements OnModuleInit {
  private readonly logger = new Logger('Target');
  private checked?: PgServerVersion;

  constructor(@Inject(APPLY_OPTIONS) private readonly options: ApplyOptions) {}

  async onModuleInit(): Promise<void> {
    let client: Client;
    try {
      client = await connectPg({
        connectionString: this.options.connectionString,
        application_name: 'kasho-version-check',
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      });
    } catch (err) {
      this.logger.warn(
        `cannot reach the target at start to check its PostgreSQL version (${err instanceof Error ? err.message : String(err)}); it is checked on the first connection`,
      );
      return;
    }
    try {
      await this.verify(client);
    } finally {
      await closePg(client);
    }
  }

  /** Throws UnsupportedServerVersionError (@kasho/runtime) for a target older than the minimum; a no-op once checked. */
  async verify(client: Client): Promise<void> {
    if (this.checked) return;
    const where = this.options.connectionName ?? 'the target database';
    this.checked = await checkServerVersion(client, where, (message) => this.logger.warn(message));
    this.logger.log(`Target is PostgreSQL ${this.checked.release}`);
  }
}
