import { Injectable, Logger } from '@nestjs/common';
import { ApplyError, DdlDecision, decideDdl } from '@kasho/apply';
import { ChangePayload, CommitChange, DdlChange, Position, RowChange } from '@kasho/contracts';
import { TransformEngine, TransformError } from '@kasho/transforms';
import { ApplyMetrics } from '../metrics/apply.metrics';
import { describe } from './apply-loop.errors';
import { TargetUniqueIndexes } from './target-unique-indexes';
import { TargetPartitionTrees } from './target-partition-trees';

/**
 * A change as it reaches the target: rows through the transforms (told the table's unique indexes on
 * the target first), DDL through the DDL policy, truncates as they are.
 */
@Injectable()
export class ChangeDispatcher {
  private readonly logger = new Logger(ChangeDispatcher.name);

  constructor(
    private readonly transforms: TransformEngine,
    private readonly metrics: ApplyMetrics,
    private readonly uniqueIndexes: TargetUniqueIndexes,
    private readonly partitionTrees: TargetPartitionTrees,
  ) {}

  /** The change to write at `position`; undefined when the DDL policy skips it. Throws TransformError or ApplyError at `position`. */
  async prepare(change: Exclude<ChangePayload, CommitChange>, position: Position): Promise<ChangePayload | undefined> {
    switch (change.kind) {
      case 'ddl':
        return this.replayedDdl(change, position);
      case 'insert':
      case 'update':
      case 'delete':
        return this.transformRow(change, position);
      default:
        return change;
    }
  }

  /**
   * The DDL policy (docs/ddl-policy.md): the statement to replay, or undefined when the policy skips
   * it (logged by tag and object, never by its text, which may hold literals; counted at commit).
   */
  private replayedDdl(change: DdlChange, position: Position): DdlChange | undefined {
    let decision: DdlDecision;
    try {
      decision = decideDdl(change);
    } catch (err) {
      throw new ApplyError({ kind: 'ddl', position }, `DDL ${change.tag} on ${change.object || 'an unnamed object'}: ${describe(err)}`);
    }
    if (decision.action === 'replay') {
      // It may create or drop a unique index, or create, attach or detach a partition: both are read
      // again before the next row.
      this.uniqueIndexes.forget();
      this.partitionTrees.forget();
      return decision.sql === change.sql ? change : { ...change, sql: decision.sql };
    }
    this.logger.warn(`DDL ${change.tag} on ${change.object || 'an unnamed object'} at position ${position} skipped by the DDL policy (${decision.rule})`);
    this.metrics.ddlSkipped(decision.rule, change.tag);
    return undefined;
  }

  private async transformRow(change: RowChange, position: Position): Promise<RowChange> {
    try {
      // Partition trees first: which rules apply tells whether the table's unique keys matter.
      const trees = this.partitionTrees.ensure(change.schema, change.table);
      if (trees) await trees;
      const keys = this.uniqueIndexes.ensure(change.schema, change.table);
      if (keys) await keys;
      return await this.transforms.transformRow(change);
    } catch (err) {
      throw err instanceof TransformError ? err.at(position) : err;
    }
  }
}
