import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Client } from 'pg';
import { APPLIED_POSITION_EXISTS, openTargetSession } from '@kasho/apply';
import { closePg } from '@kasho/runtime';
import { CatalogColumns, CatalogTable, TransformConfigError, TransformEngine } from '@kasho/transforms';
import { APPLY_LOOP_OPTIONS } from './apply-loop.module-definition';
import { ApplyLoopOptions } from './apply-loop.options';

const TARGET_TABLES = `
SELECT n.nspname AS schema, c.relname AS table, array_agg(a.attname::text ORDER BY a.attnum) AS columns,
       json_agg(json_build_object('name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull)
                ORDER BY a.attnum) AS facts
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'kasho') AND n.nspname NOT LIKE 'pg\\_%'
 GROUP BY 1, 2`;

/**
 * At start, transforms.yml against the target's catalog (which replicated DDL keeps equal to the
 * source's): configured tables and columns it does not have are logged as warnings (a misspelt table
 * with a suggestion), never a stop. A rule that cannot write its column (SetNull on a NOT NULL
 * column, a Constant of the wrong type) stops the start: a TransformConfigError naming the file,
 * line and table.column. A target without a Kasho position is skipped: it is empty until its initial
 * snapshot, which checks the same after its schema is applied. A failure to read the catalog is a
 * warning.
 */
@Injectable()
export class TransformsCoverageService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Transforms');
  private check?: Promise<void>;

  constructor(
    private readonly engine: TransformEngine,
    @Inject(APPLY_LOOP_OPTIONS) private readonly options: Pick<ApplyLoopOptions, 'targetUrl'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.check = this.run().catch((err: Error) => {
      if (err instanceof TransformConfigError) throw err;
      this.logger.warn(`could not compare transforms.yml with the target's tables: ${err.message}`);
    });
    await this.check;
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
      const { rows } = await client.query<CatalogTable & { facts: CatalogColumns['columns'] }>(TARGET_TABLES);
      for (const warning of this.engine.coverage(rows, 'the target')) this.logger.warn(warning);
      this.engine.assertColumnsFit(rows.map((r) => ({ schema: r.schema, table: r.table, columns: r.facts })));
    } finally {
      await closePg(client);
    }
  }
}
