/**
 * The domain model of a replicated change, shared by both services. Values are carried in
 * PostgreSQL's text output form, exactly as pgoutput sends them, so numeric, int8, timestamps,
 * arrays, json and bytea round-trip byte for byte (invariant I7). The target parses them with
 * the column's own input function.
 *
 * Only `*.grpc.controller.ts` / the gRPC client know how this maps to the .proto messages.
 */

import type { Position } from './position';

/** A column value in PostgreSQL text form; `null` is SQL NULL (never the empty string). */
export type Datum = string | null;

/** A row image keyed by column name. A column absent from `new` of an update is an unchanged TOAST value. */
export type Tuple = Record<string, Datum>;

export interface ColumnMeta {
  name: string;
  /** Type as `format_type()` would print it where known (e.g. `numeric(10,2)`, `public.mood`), else the type OID's name. */
  type: string;
  typeOid: number;
  typeMod: number;
  /** Part of the replica identity (primary key, or every column under REPLICA IDENTITY FULL). */
  key: boolean;
}

export interface RelationRef {
  schema: string;
  table: string;
}

/** A map key for a relation: schema and table joined by a NUL, which neither name can contain. */
export function relationKey(schema: string, table: string): string {
  return `${schema}\u0000${table}`;
}

export interface RowChange extends RelationRef {
  kind: 'insert' | 'update' | 'delete';
  columns: ColumnMeta[];
  /** insert, update: the new row. Columns missing here (listed in `unchangedToast`) must be left untouched. */
  new?: Tuple;
  /** update, delete: the old replica identity (key columns), or the whole old row under REPLICA IDENTITY FULL. Absent on an update that did not change the key. */
  old?: Tuple;
  /** update: columns whose TOASTed value did not change. */
  unchangedToast?: string[];
  /** 'default' | 'full' | 'index' | 'nothing' */
  replicaIdentity: string;
}

export interface TruncateChange {
  kind: 'truncate';
  relations: RelationRef[];
  cascade: boolean;
  restartIdentity: boolean;
}

export interface DdlChange {
  kind: 'ddl';
  /** The DDL statement to run on the target. */
  sql: string;
  /** The source session's search_path when it ran, so unqualified names resolve the same way. */
  searchPath: string;
  /** Command tag, e.g. `CREATE TABLE`. */
  tag: string;
  /** Object identity as reported by the event trigger, e.g. `public.users`. */
  object: string;
}

/** The last entry of every source transaction. */
export interface CommitChange {
  kind: 'commit';
  xid: number;
  /** LSN just past the commit record, decimal; what the slot is acknowledged up to once applied. */
  commitEndLsn: string;
  /** Source commit time, microseconds since the Unix epoch, decimal. */
  commitTimeMicros: string;
  /** Number of changes before this commit entry (its own index). */
  changeCount: number;
}

export type ChangePayload = RowChange | TruncateChange | DdlChange | CommitChange;

/**
 * A change as buffered and streamed: its position and payload. The position is parsed once, where it
 * enters the process (Redis entry ID, gRPC message), and travels as a {@link Position} inside.
 */
export interface ChangeEnvelope {
  position: Position;
  change: ChangePayload;
}
