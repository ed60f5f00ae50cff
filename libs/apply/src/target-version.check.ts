import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Client } from 'pg';
import { PgServerVersion, checkServerVersion, closePg, connectPg } from '@kasho/runtime';
import { APPLY_OPTIONS } from './apply.module-definition';
import { ApplyOptions } from './apply.options';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The target's PostgreSQL version, checked once per process: at start (onApplicationBootstrap, once
 * the configuration and transforms.yml are validated), so a target older than the minimum stops the
 * translicator with a non-zero exit; and by the applier when it connects, before it writes anything
 * (which covers a target that could not be reached at start: the applier then fails and retries, its
 * /health naming the reason). A target newer than tested is a warning.
 */
@Injectable()
export class TargetVersionCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Target');
  private checking?: Promise<void>;

  constructor(@Inject(APPLY_OPTIONS) private readonly options: ApplyOptions) {}

  async onApplicationBootstrap(): Promise<void> {
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

  /**
   * Throws UnsupportedServerVersionError (@kasho/runtime) for a target older than the minimum. Once
   * a check succeeded it is not repeated; the hook and the applier's first connection may race at
   * start, so they share one check. A failed check is tried again on the next call.
   */
  verify(client: Client): Promise<void> {
    this.checking ??= this.check(client).catch((err: unknown) => {
      this.checking = undefined;
      throw err;
    });
    return this.checking;
  }

  private async check(client: Client): Promise<void> {
    const where = this.options.connectionName ?? 'the target database';
    const version: PgServerVersion = await checkServerVersion(client, where, (message) => this.logger.warn(message));
    this.logger.log(`Target is PostgreSQL ${version.release}`);
  }
}
