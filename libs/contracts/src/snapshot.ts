import type { ColumnMeta } from './change';
import { Position } from './position';

/**
 * The initial snapshot's domain model, shared by both services (docs/snapshot.md). Only the
 * `Snapshot` gRPC controller and client map it to the .proto messages.
 */

/** Heap blocks [startBlock, endBlock) of a table; `endBlock` 0n means no upper bound. */
export interface BlockRange {
  startBlock: bigint;
  endBlock: bigint;
}

export interface SnapshotTable {
  schema: string;
  table: string;
  /** Copied columns in COPY order (generated columns are left out: the target computes them). */
  columns: ColumnMeta[];
  /** Planner estimates, for progress only. */
  estimatedRows: number;
  estimatedBytes: number;
  ranges: BlockRange[];
  /**
   * The post-data SQL of this table alone (its primary key, unique and exclusion constraints and
   * indexes), run as soon as all its ranges are in, while other tables are still copying; the
   * plan's `postDataSql` holds the rest. Empty in a resync plan.
   */
  postDataSql: string;
  /**
   * The table's unique indexes on the source, read inside the snapshot (full and resync plans): a
   * transformed column under one gets unique-safe output (docs/transforms.md).
   */
  uniqueIndexes: UniqueIndex[];
  /** The table's foreign keys on the source: a column referencing a unique-safe column gets the same output. */
  foreignKeys: ForeignKey[];
}

/** What keeps a table's values unique (its unique indexes) or tied to another table's (its foreign keys). */
export type UniqueKeys = Pick<SnapshotTable, 'uniqueIndexes' | 'foreignKeys'>;

/** A foreign key of a table: `columns[i]` references `referencedColumns[i]` of the referenced table. */
export interface ForeignKey {
  name: string;
  columns: string[];
  referencedSchema: string;
  referencedTable: string;
  referencedColumns: string[];
}

/**
 * A unique index of a table (a primary key, a unique constraint or a plain unique index, partial or
 * not; expression indexes are not described). Read from pg_index on the source for the snapshot and
 * on the target for the stream.
 */
export interface UniqueIndex {
  name: string;
  /** Key columns in index order (INCLUDE columns are not keys). */
  columns: string[];
  primaryKey: boolean;
  /** A partial index (`WHERE …`): unique among the rows it covers. */
  partial: boolean;
}

export interface SequenceValue {
  schema: string;
  name: string;
  /** Decimal int8. */
  lastValue: string;
  isCalled: boolean;
  /** Decimal; negative for a descending sequence. */
  increment: string;
}

export interface SnapshotPlan {
  /** Exported snapshot name; CopyRange reads inside it. */
  snapshotId: string;
  /**
   * The slot's consistent point: the snapshot holds every transaction whose commit record starts
   * before it, and the stream carries every one that starts at or after it.
   */
  consistentLsn: bigint;
  preDataSql: string;
  /** Post-data SQL not owned by one table (foreign keys, triggers, policies…), run after all rows are in. */
  postDataSql: string;
  tables: SnapshotTable[];
  sequences: SequenceValue[];
  /** The same plan handed out again for a resume. */
  resumed: boolean;
  /** The source's server_version_num (0 when not known): binary COPY needs the same major on the target. */
  sourceVersionNum: number;
}

/**
 * COPY formats a snapshot range travels in (docs/snapshot.md): `text` always works; `binary` skips
 * PostgreSQL's text output and input functions and is used for a table whose columns are all
 * built-in types, enums or domains over built-in types and whose transforms (if any) read and write
 * text-typed columns only, between servers of the same major version.
 */
export type CopyFormat = 'text' | 'binary';

/** A chunk of COPY data (text or binary): whole rows only, and how many. */
export interface CopyChunk {
  data: Buffer;
  rows: number;
}

/** `"schema.table"` → parts; a name without a dot is in `public`. Quoted names are not supported here. */
export function parseTableName(text: string): { schema: string; table: string } {
  const dot = text.indexOf('.');
  if (dot === 0 || dot === text.length - 1 || text.length === 0) throw new Error(`invalid table name "${text}": expected schema.table`);
  return dot < 0 ? { schema: 'public', table: text } : { schema: text.slice(0, dot), table: text.slice(dot + 1) };
}

/**
 * The applied position a completed snapshot stands for. PostgreSQL decodes a transaction only if
 * its commit record starts at or after the slot's consistent point C (SnapBuildXactNeedsSkip:
 * `commit_lsn < start_decoding_at` is skipped), so the first streamed position is at least (C, 0).
 * (C - 1, 0) is below every streamed position and above every position the old slot produced.
 */
export function snapshotPosition(consistentLsn: bigint): Position {
  if (consistentLsn < 1n) throw new Error('a consistent point is never 0/0');
  return new Position(consistentLsn - 1n, 0n);
}
