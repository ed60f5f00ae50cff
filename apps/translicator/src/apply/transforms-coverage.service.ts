import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Client } from 'pg';
import { APPLIED_POSITION_EXISTS, openTargetSession } from '@kasho/apply';
import { closePg } from '@kasho/runtime';
import { CatalogTable, TransformEngine } from '@kasho/transforms';
import { APPLY_LOOP_OPTIONS } from './apply-loop.module-definition';
import { ApplyLoopOptions } from './apply-loop.options';

const TARGET_TABLES = `
SELECT n.nspname AS schema, c.relname AS table, array_agg(a.attname::text ORDER BY a.attnum) AS columns
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'kasho') AND n.nspname NOT LIKE 'pg\\_%'
 GROUP BY 1, 2`;

/**
 * At start, transforms.yml against the target's catalog (which replicated DDL keeps equal to the
 * source's): configured tables and columns it does not have are logged as warnings (a misspelt table
 * with a suggestion), never a stop. A target without a Kasho position is skipped: it is empty until
 * its initial snapshot, which compares transforms.yml with the source's tables instead. Runs in the
 * background; a failure to read the catalog is a warning too.
 */
@Injectable()
export class TransformsCoverageService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Transforms');
  private check?: Promise<void>;

  constructor(
    private readonly engine: TransformEngine,
    @Inject(APPLY_LOOP_OPTIONS) private readonly options: Pick<ApplyLoopOptions, 'targetUrl'>,
  ) {}

  onApplicationBootstrap(): void {
    this.check = this.run().catch((err: Error) => this.logger.warn(`could not compare transforms.yml with the target's tables: ${err.message}`));
  }

  /** Resolves once the check at start is over (for tests). */
  done(): Promise<void> {
    return this.check ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    let client: Client | undefined;
    try {
      client = await openTargetSession(this.options.targetUrl, 'kasho-transforms-coverage', { synchronousCommit: true });
      const { rows: known } = await client.query<{ exists: boolean }>(APPLIED_POSITION_EXISTS);
      if (!known[0]?.exists) return;
      const { rows } = await client.query<CatalogTable>(TARGET_TABLES);
      for (const warning of this.engine.coverage(rows, 'the target')) this.logger.warn(warning);
    } finally {
      await closePg(client);
    }
  }
}
