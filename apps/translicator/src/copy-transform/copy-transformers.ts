import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import type { Transform } from 'node:stream';
import type { Client } from 'pg';
import { relationKey, type CopyFormat, type SnapshotTable } from '@kasho/contracts';
import { readPartitionTrees } from '@kasho/runtime';
import { CatalogColumns, TransformEngine } from '@kasho/transforms';
import { COPY_TRANSFORM_OPTIONS } from './copy-transform.module-definition';
import { CopyTransformOptions } from './copy-transform.options';
import { CopyTransformer } from './copy-transformer';
import { PooledCopyTransformer } from './pooled-copy-transformer';
import { TransformPool } from './transform-pool';

/**
 * Which transformer a range goes through: none for a table without rules (its bytes pass
 * straight through), worker threads while a pool is open (`threads`: SNAPSHOT_TRANSFORM_THREADS), else this thread.
 * The threads start loading when the module initialises (`startOnInit`: unless SNAPSHOT_MODE=never), while the
 * target and the change stream are connected, so a snapshot due at start finds them (nearly) ready;
 * they are closed when no snapshot is needed and after one.
 */
@Injectable()
export class CopyTransformers implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Snapshot');
  /** The pool being started or open; resolves to undefined when it could not start. */
  private pool?: Promise<TransformPool | undefined>;

  constructor(
    private readonly engine: TransformEngine,
    @Inject(COPY_TRANSFORM_OPTIONS) private readonly options: CopyTransformOptions,
  ) {}

  onModuleInit(): void {
    if (this.options.startOnInit) this.open();
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  /**
   * Starts the transform threads in the background when transforms.yml has rules (nothing when they
   * are open or loading); a pool that cannot start falls back to this thread.
   */
  open(): void {
    if (this.pool || !this.engine.hasAnyRules() || !TransformPool.available()) return;
    // Default: one CPU left for the main thread, which moves every range's bytes (at least 1, at most 4).
    const threads = this.options.threads || Math.max(1, Math.min(4, availableParallelism() - 1));
    const started = Date.now();
    this.pool = TransformPool.start({ file: this.options.transformsFile, secret: this.options.transformsSecret, threads }).then(
      (pool) => {
        this.logger.log(`${threads} transform threads ready in ${Date.now() - started} ms`);
        return pool;
      },
      (err: Error) => {
        this.logger.warn(`Transform threads unavailable, transforming on the main thread: ${err.message}`);
        return undefined;
      },
    );
  }

  /**
   * Tells the transforms where each of `tables` sits in its partition tree as `target`'s catalog has
   * it (after the schema is applied there), so that a partition takes its partitioned table's rules;
   * then checks that every table's rules resolve (a TransformError naming the table stops the copy
   * before any row of it is written).
   */
  async learnPartitions(target: Pick<Client, 'query'>, tables: readonly SnapshotTable[]): Promise<void> {
    const trees = await readPartitionTrees(target, tables);
    for (const t of tables) this.engine.usePartitionTree(t.schema, t.table, trees.get(relationKey(t.schema, t.table)));
    for (const t of tables) this.engine.rulesTableOf(t.schema, t.table);
  }

  /**
   * The transformer for one range of `table` in `format` (waits for the threads if they are still
   * loading). It transforms under the name of the table whose rules apply (a partition's listed ancestor).
   */
  async for(table: SnapshotTable, format: CopyFormat): Promise<Transform | null> {
    if (!this.engine.hasRules(table.schema, table.table)) return null;
    const rules = this.engine.rulesTableOf(table.schema, table.table);
    // The source's unique indexes and foreign keys (the target has none yet): which columns get
    // unique-safe output, logged here once per table even when the rows are transformed on the threads.
    this.engine.useUniqueKeys(table.schema, table.table, table);
    this.engine.planTable(table.schema, table.table, table.columns);
    const pool = await this.pool;
    // The threads know no partition tree: they transform under the name of the table whose rules
    // apply (a partition's listed ancestor), with this table's columns and keys.
    if (pool) return new PooledCopyTransformer(pool, { ...table, schema: rules.schema, table: rules.table }, format);
    return new CopyTransformer(this.engine, table.schema, table.table, table.columns, format);
  }

  /**
   * `mode: strict`: throws a TransformError naming the first schema.table.column of `tables` that
   * transforms.yml does not list. Called before any row of them is copied.
   */
  refuseUnlisted(tables: readonly SnapshotTable[]): void {
    this.engine.assertListed(tables.map((t) => ({ schema: t.schema, table: t.table, columns: t.columns.map((c) => c.name) })));
  }

  /**
   * Throws a TransformError (naming schema.table.column, the file and line) for the first rule that cannot
   * write its column as the target has it (SetNull on NOT NULL, a Constant of the wrong type). Called
   * once the target holds the schema, before any row is copied.
   */
  refuseMisfits(target: readonly CatalogColumns[]): void {
    const refusal = this.engine.columnMisfit(target);
    if (refusal) throw refusal;
  }

  /** Warnings for configured tables and columns that `tables` (the source's, as a plan lists them) do not have. */
  coverage(tables: readonly SnapshotTable[], where: string): string[] {
    return this.engine.coverage(
      tables.map((t) => ({ schema: t.schema, table: t.table, columns: t.columns.map((c) => c.name) })),
      where,
    );
  }

  hasRules(table: SnapshotTable): boolean {
    return this.engine.hasRules(table.schema, table.table);
  }

  /** The columns of `table` its transforms read or write (empty without rules). */
  ruleColumns(table: SnapshotTable): string[] {
    return this.engine.inputColumns(table.schema, table.table);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await (await pool)?.close();
  }
}
