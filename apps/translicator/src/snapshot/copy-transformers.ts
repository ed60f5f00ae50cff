import { Injectable, Logger } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import type { Transform } from 'node:stream';
import type { SnapshotTable } from '@kasho/contracts';
import { TransformEngine } from '@kasho/transforms';
import { TranslicatorEnv } from '../config/translicator.env';
import { CopyTransformer } from './copy-transformer';
import { PooledCopyTransformer } from './pooled-copy-transformer';
import { TransformPool } from './transform-pool';

/**
 * Which transformer a range goes through: none for a table without rules (its bytes pass
 * straight through), worker threads while a pool is open (SNAPSHOT_TRANSFORM_THREADS), else this thread.
 */
@Injectable()
export class CopyTransformers {
  private readonly logger = new Logger('Snapshot');
  private pool?: TransformPool;

  constructor(
    private readonly engine: TransformEngine,
    private readonly env: TranslicatorEnv,
  ) {}

  /** Opens the pool when a table of the copy has rules; a pool that cannot start falls back to this thread. */
  async open(tables: readonly SnapshotTable[]): Promise<void> {
    const threads = this.env.SNAPSHOT_TRANSFORM_THREADS || Math.min(4, availableParallelism());
    if (this.pool || !tables.some((t) => this.engine.hasRules(t.schema, t.table)) || !TransformPool.available()) return;
    const started = Date.now();
    try {
      this.pool = await TransformPool.start({ file: this.env.TRANSFORMS_FILE, secret: this.env.TRANSFORMS_SECRET, threads });
      this.logger.log(`${threads} transform threads ready in ${Date.now() - started} ms`);
    } catch (err) {
      this.logger.warn(`Transform threads unavailable, transforming on the main thread: ${(err as Error).message}`);
    }
  }

  for(table: SnapshotTable): Transform | null {
    if (!this.engine.hasRules(table.schema, table.table)) return null;
    if (this.pool) return new PooledCopyTransformer(this.pool, table.schema, table.table, table.columns);
    return new CopyTransformer(this.engine, table.schema, table.table, table.columns);
  }

  hasRules(table: SnapshotTable): boolean {
    return this.engine.hasRules(table.schema, table.table);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}
