import { Inject, Injectable } from '@nestjs/common';
import { TargetApplier } from '@kasho/apply';
import { relationKey } from '@kasho/contracts';
import { TransformEngine } from '@kasho/transforms';
import { TargetTransaction } from './target-transaction';

export type PartitionTreeReader = Pick<TargetApplier, 'partitionTrees'>;
export type PendingWriter = Pick<TargetTransaction, 'writePending'>;
export type PartitionTreeUser = Pick<TransformEngine, 'hasAnyListed' | 'usePartitionTree' | 'knowsPartitionTree' | 'forgetPartitionTrees'>;

/**
 * Tells the transforms where each streamed table sits in its partition tree on the target (built by
 * the snapshot's schema, then kept in step by replicated DDL), so that the rows of a partition take
 * the rules of its partitioned table (docs/transforms.md, Partitioned tables). Read once per table
 * before its first row while transforms.yml lists anything, and again after any replayed DDL (which
 * may create, attach or detach a partition): the DDL still pending in the open target transaction is
 * written first, and the catalog is read in that same transaction.
 */
@Injectable()
export class TargetPartitionTrees {
  constructor(
    @Inject(TransformEngine) private readonly engine: PartitionTreeUser,
    @Inject(TargetApplier) private readonly applier: PartitionTreeReader,
    @Inject(TargetTransaction) private readonly tx: PendingWriter,
  ) {}

  /**
   * Before a row of `schema.table` is transformed in the open target transaction. Undefined (no await
   * on the per-row path) when nothing is to be read.
   */
  ensure(schema: string, table: string): Promise<void> | undefined {
    if (this.engine.knowsPartitionTree(schema, table) || !this.engine.hasAnyListed()) return undefined;
    return this.read(schema, table);
  }

  private async read(schema: string, table: string): Promise<void> {
    await this.tx.writePending();
    const trees = await this.applier.partitionTrees([{ schema, table }]);
    // Absent: the target has no such table; the engine then refuses its rows rather than guess "no rules".
    this.engine.usePartitionTree(schema, table, trees.get(relationKey(schema, table)));
  }

  /** A DDL statement is replayed: every table's tree is read again before its next row. */
  forget(): void {
    this.engine.forgetPartitionTrees();
  }
}
