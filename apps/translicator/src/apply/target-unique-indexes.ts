import { Inject, Injectable } from '@nestjs/common';
import { TargetApplier } from '@kasho/apply';
import { relationKey } from '@kasho/contracts';
import { TransformEngine } from '@kasho/transforms';
import { TargetTransaction } from './target-transaction';

export type UniqueIndexReader = Pick<TargetApplier, 'uniqueKeys'>;
export type PendingWriter = Pick<TargetTransaction, 'writePending'>;
export type UniqueIndexUser = Pick<TransformEngine, 'hasRules' | 'useUniqueKeys'>;

/**
 * Tells the transforms each streamed table's unique indexes and foreign keys as the target has them
 * (built by the snapshot's post-data, then kept in step by replicated DDL), so that a transformed
 * column under a unique index, or referencing a unique-safe column, gets unique-safe output
 * (docs/transforms.md). Read once per table with rules, before its first row,
 * and again after any replayed DDL (which may create or drop an index): the DDL still pending in the
 * open target transaction is written first, and the catalog is read in that same transaction.
 */
@Injectable()
export class TargetUniqueIndexes {
  /** Tables (relationKey) whose keys the engine knows since the last DDL. */
  private readonly known = new Set<string>();

  constructor(
    @Inject(TransformEngine) private readonly engine: UniqueIndexUser,
    @Inject(TargetApplier) private readonly applier: UniqueIndexReader,
    @Inject(TargetTransaction) private readonly tx: PendingWriter,
  ) {}

  /**
   * Before a row of `schema.table` is transformed in the open target transaction. Undefined (no await
   * on the per-row path) when nothing is to be read.
   */
  ensure(schema: string, table: string): Promise<void> | undefined {
    const key = relationKey(schema, table);
    if (this.known.has(key) || !this.engine.hasRules(schema, table)) return undefined;
    return this.read(schema, table, key);
  }

  private async read(schema: string, table: string, key: string): Promise<void> {
    await this.tx.writePending();
    const keys = await this.applier.uniqueKeys([{ schema, table }]);
    this.engine.useUniqueKeys(schema, table, keys.get(key) ?? { uniqueIndexes: [], foreignKeys: [] });
    this.known.add(key);
  }

  /** A DDL statement is replayed: every table's indexes and foreign keys are read again before its next row. */
  forget(): void {
    this.known.clear();
  }
}
