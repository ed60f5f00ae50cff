import type { RelationRef } from '@kasho/contracts';
import { TransformError } from './transform.errors';
import { KASHO_SCHEMA, TableRules, tableKey, TransformsConfig } from './transforms-config';

/** Where a table sits in its partition tree (a catalog's pg_partition_ancestors and pg_partition_tree). */
export interface PartitionTreeOf {
  /** The partitioned tables above it, nearest first (empty: not a partition). */
  ancestors: readonly RelationRef[];
  /** Its partitions at any depth (empty: not a partitioned table). */
  descendants: readonly RelationRef[];
}

/**
 * Which rules of transforms.yml apply to the rows of a table, given its partition tree. Rows travel
 * under the name of the table that publishes them: each partition's own name without
 * publish_via_partition_root, the partitioned table's with it. So:
 * - a partition (at any depth) not listed itself takes the rules of its nearest listed ancestor;
 * - a partition listed itself while an ancestor is listed too is refused: rules for one tree are
 *   written once, under one table, so that no column of a partition escapes a rule meant for it;
 * - rows under a table one of whose partitions is listed are refused: under
 *   publish_via_partition_root the partition's rows arrive under this table's name, and the
 *   partition's rules could not be applied to them;
 * - a table whose tree could not be read (the catalog has no such table) is refused while
 *   transforms.yml lists anything: its rules could be an ancestor's, so "no rules" is never assumed.
 * A table whose tree was never told is matched by its own name (callers that stream or copy rows
 * tell the tree of every table first; `kasho preview` and the transform threads name tables already resolved).
 * Refusals are TransformErrors naming the table (never a value).
 */
export class PartitionRules {
  /** By tableKey; null: the catalog has no such table. */
  private readonly trees = new Map<string, PartitionTreeOf | null>();

  constructor(readonly config: TransformsConfig) {}

  use(schema: string, table: string, tree: PartitionTreeOf | undefined): void {
    this.trees.set(tableKey(schema, table), tree ?? null);
  }

  forget(): void {
    this.trees.clear();
  }

  knows(schema: string, table: string): boolean {
    return this.trees.has(tableKey(schema, table));
  }

  rulesOf(schema: string, table: string): TableRules | undefined {
    const own = this.config.tables.get(tableKey(schema, table));
    const tree = this.trees.get(tableKey(schema, table));
    if (tree === undefined || schema === KASHO_SCHEMA) return own;
    const refuse = (reason: string): never => {
      throw new TransformError(schema, table, firstColumn(own), reason);
    };
    if (tree === null) {
      if (this.config.tables.size === 0) return undefined;
      return refuse(
        `the target has no such table, so which rules of ${this.config.file} apply to it (its own, or a partitioned table's above it) ` +
          'cannot be told; its rows are not written untransformed',
      );
    }
    const listed = (r: RelationRef) => this.config.tables.get(tableKey(r.schema, r.table));
    const below = tree.descendants.find((d) => listed(d));
    if (below) {
      refuse(
        `${this.config.file} lists ${below.schema}.${below.table}, a partition of this table, but rows of the partition arrive under ` +
          `this table's name (publish_via_partition_root), where the partition's rules cannot apply: list the rules under ` +
          `${schema}.${table} only`,
      );
    }
    const ancestor = tree.ancestors.find((a) => listed(a));
    if (!ancestor) return own;
    if (own) {
      refuse(
        `${this.config.file} lists both this partition and ${ancestor.schema}.${ancestor.table}, a partitioned table above it; ` +
          `a partition takes the rules of its partitioned table: list the rules of the tree once, under ${ancestor.schema}.${ancestor.table}`,
      );
    }
    return listed(ancestor);
  }
}

/** The column a refusal names: the table's first listed column, or `*` (the whole table). */
function firstColumn(rules: TableRules | undefined): string {
  return rules?.lines.keys().next().value ?? '*';
}
