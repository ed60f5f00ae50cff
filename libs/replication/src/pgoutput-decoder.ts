import { ChangeEnvelope, ChangePayload, ColumnMeta, Datum, DdlChange, Position, RowChange, Tuple, changeSize, lsnToBigInt } from '@kasho/contracts';
import { Pgoutput } from 'pg-logical-replication';
import { findDdlStatement } from './ddl-statement';
import { DERIVED_SEARCH_PATH, SkippedDdl, parseDerived } from './derived-ddl';
import { DdlCaptureError, ReplicationError } from './replication.errors';
import { TypeNames } from './type-names';

/** Kasho's own schema: its row changes are never emitted; inserts into its DDL log become DDL changes. */
export const KASHO_SCHEMA = 'kasho';
export const DDL_LOG_TABLE = 'ddl_log';
export const DEFAULT_CHUNK_SIZE = 1000;
/** A chunk is handed on once its changes reach this size (changeSize), so a few huge rows are not held together. */
export const DEFAULT_CHUNK_BYTES = 32 * 1024 * 1024;

export interface PgoutputDecoderOptions {
  typeNames?: TypeNames;
  /** Hand on a transaction's changes every this many (its last chunk always ends with the commit entry). */
  chunkSize?: number;
  /** ... or once they reach this many bytes (changeSize); a single larger change goes alone. */
  chunkBytes?: number;
  /**
   * A command run inside a function, procedure or DO block that the source's event trigger could not
   * derive: it is not replicated (the pipeline goes on). Called once per such command, per decoding.
   */
  onSkippedDdl?: (skipped: SkippedDdl) => void;
}

interface OpenTransaction {
  xid: number;
  commitLsn: bigint;
  count: number;
  /** "schema\u0000table" of row changes already handed on in an earlier chunk of this transaction. */
  emitted: Set<string>;
}

/** Tags whose rows pgoutput sends before the event trigger logs the statement. */
const ROWS_BEFORE_DDL = new Set(['CREATE TABLE AS', 'SELECT INTO']);

/**
 * Turns parsed pgoutput messages (values kept as text, see TextPgoutputParser) into change envelopes.
 * Pure: no I/O, one instance per replication session.
 *
 * pgoutput (proto v1) sends whole transactions in commit order; Begin carries the commit LSN, so
 * row, truncate and DDL changes get positions `<commitLsn>-0..n-1` and the commit entry `<commitLsn>-n`
 * (invariant I1). A transaction with no emitted change (it touched only unpublished tables or the
 * kasho schema) still yields its commit entry, at index 0, so the acknowledgement can advance past it.
 */
export class PgoutputDecoder {
  private readonly typeNames: TypeNames;
  private readonly chunkSize: number;
  private readonly chunkBytes: number;
  private pendingBytes = 0;
  private readonly onSkippedDdl: (skipped: SkippedDdl) => void;
  private readonly columnCache = new WeakMap<Pgoutput.MessageRelation, ColumnMeta[]>();
  private txn: OpenTransaction | null = null;
  private pending: ChangeEnvelope[] = [];

  constructor(options: PgoutputDecoderOptions = {}) {
    this.typeNames = options.typeNames ?? new TypeNames();
    this.chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    this.chunkBytes = Math.max(1, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
    this.onSkippedDdl = options.onSkippedDdl ?? (() => undefined);
  }

  /** True between a Begin and its Commit: changes have been seen that are not yet committed. */
  get inTransaction(): boolean {
    return this.txn !== null;
  }

  /** Forgets any half-read transaction (after a reconnect, decoding restarts at a transaction boundary). */
  reset(): void {
    this.txn = null;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /**
   * Feeds one message. Returns the envelopes to hand on now, in order: a full chunk, or the rest of
   * a transaction ending with its commit entry; usually nothing.
   */
  push(message: Pgoutput.Message): ChangeEnvelope[] {
    switch (message.tag) {
      case 'begin':
        return this.begin(message);
      case 'commit':
        return this.commit(message);
      case 'insert':
      case 'update':
      case 'delete':
        return this.add(...this.rowOrDdl(message));
      case 'truncate':
        return this.add(this.truncate(message));
      default:
        // relation and type messages are cached by the parser; origin and logical messages carry no change.
        return [];
    }
  }

  private begin(message: Pgoutput.MessageBegin): ChangeEnvelope[] {
    if (this.txn) throw new ReplicationError(`pgoutput protocol: Begin of xid ${message.xid} inside transaction xid ${this.txn.xid}`);
    if (!message.commitLsn) throw new ReplicationError(`pgoutput protocol: Begin of xid ${message.xid} has no commit LSN`);
    this.txn = { xid: message.xid, commitLsn: lsnToBigInt(message.commitLsn), count: 0, emitted: new Set() };
    this.pending = [];
    this.pendingBytes = 0;
    return [];
  }

  private commit(message: Pgoutput.MessageCommit): ChangeEnvelope[] {
    const txn = this.requireTxn('Commit');
    if (!message.commitLsn || lsnToBigInt(message.commitLsn) !== txn.commitLsn || !message.commitEndLsn) {
      throw new ReplicationError(`pgoutput protocol: Commit LSN ${message.commitLsn} of xid ${txn.xid} does not match its Begin`);
    }
    const change: ChangePayload = {
      kind: 'commit',
      xid: txn.xid,
      commitEndLsn: lsnToBigInt(message.commitEndLsn).toString(),
      commitTimeMicros: message.commitTime.toString(),
      changeCount: txn.count,
    };
    const out = this.pending;
    out.push({ position: new Position(txn.commitLsn, BigInt(txn.count)), change });
    this.txn = null;
    this.pending = [];
    this.pendingBytes = 0;
    return out;
  }

  private add(...changes: Array<ChangePayload | null>): ChangeEnvelope[] {
    const txn = this.requireTxn(changes[0]?.kind ?? 'change');
    for (const change of changes) {
      if (!change) continue;
      if (change.kind === 'ddl' && ROWS_BEFORE_DDL.has(change.tag) && this.hoist(txn, change)) continue;
      this.pending.push({ position: new Position(txn.commitLsn, BigInt(txn.count)), change });
      txn.count++;
      this.pendingBytes += changeSize(change);
    }
    if (this.pending.length < this.chunkSize && this.pendingBytes < this.chunkBytes) return [];
    const out = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const e of out) if ('schema' in e.change) txn.emitted.add(`${e.change.schema}\u0000${e.change.table}`);
    return out;
  }

  /**
   * CREATE TABLE AS / SELECT INTO: the new table's rows come through pgoutput before the event
   * trigger logs the statement. The DDL change moves in front of the table's first row, so the
   * target creates the table (WITH NO DATA, by the DDL policy) before its rows arrive as inserts; the
   * positions of the changes after it shift by one. Not possible once a chunk holding some of those
   * rows has been handed on (a table of more rows than the chunk size): the DDL then stays in place
   * and the translicator stops at the first row (fail closed).
   */
  private hoist(txn: OpenTransaction, change: DdlChange): boolean {
    const name = splitIdentity(change.object);
    if (!name || txn.emitted.has(`${name[0]}\u0000${name[1]}`)) return false;
    const at = this.pending.findIndex((e) => e.change.kind === 'insert' && e.change.schema === name[0] && e.change.table === name[1]);
    if (at < 0) return false;
    const first = txn.count - this.pending.length;
    this.pending.splice(at, 0, { position: Position.ZERO, change });
    txn.count++;
    for (let i = at; i < this.pending.length; i++) {
      this.pending[i] = { ...this.pending[i], position: new Position(txn.commitLsn, BigInt(first + i)) };
    }
    return true;
  }

  private requireTxn(what: string): OpenTransaction {
    if (!this.txn) throw new ReplicationError(`pgoutput protocol: ${what} outside a transaction`);
    return this.txn;
  }

  private rowOrDdl(message: Pgoutput.MessageInsert | Pgoutput.MessageUpdate | Pgoutput.MessageDelete): ChangePayload[] {
    const relation = message.relation;
    if (relation.schema === KASHO_SCHEMA) {
      const logged = message.tag === 'insert' && relation.name === DDL_LOG_TABLE;
      // A row with `skip` (kasho's own DDL, a replication setting, a no-op CREATE) is not replicated.
      return logged && message.new.skip == null ? this.ddl(message.new) : [];
    }
    const change: RowChange = {
      kind: message.tag,
      schema: relation.schema,
      table: relation.name,
      columns: this.columns(relation),
      replicaIdentity: relation.replicaIdentity,
    };
    if (message.tag !== 'delete') {
      const unchangedToast: string[] = [];
      change.new = toTuple(relation, message.new, unchangedToast);
      if (unchangedToast.length > 0) change.unchangedToast = unchangedToast;
    }
    if (message.tag !== 'insert') {
      const old = message.old ?? message.key;
      if (old) change.old = toTuple(relation, old, [], relation.replicaIdentity === 'full' ? undefined : relation.keyColumns);
    }
    return [change];
  }

  private ddl(row: Record<string, unknown>): DdlChange[] {
    const txid = text(row.txid);
    const tag = text(row.tag);
    const ordinal = Number(text(row.ordinal));
    if (ordinal === 0) return this.nestedDdl(row);
    const found = findDdlStatement(text(row.query), Number.isInteger(ordinal) ? ordinal : -1, tag);
    if ('error' in found) {
      throw new DdlCaptureError(
        `cannot replicate DDL "${tag}" of source transaction ${txid} (${KASHO_SCHEMA}.${DDL_LOG_TABLE} id ${text(row.id)}): ${found.error}. ` +
          'Kasho stops here rather than guess the statement',
      );
    }
    return [{ kind: 'ddl', sql: found.sql, searchPath: text(row.search_path), tag, object: text(row.object) }];
  }

  /** DDL run inside a function or DO block: the statements the trigger derived from the catalog. */
  private nestedDdl(row: Record<string, unknown>): DdlChange[] {
    const txid = text(row.txid);
    const derived = parseDerived(row.derived, { tag: text(row.tag), object: text(row.object), id: text(row.id) });
    for (const skipped of derived.skipped) this.onSkippedDdl({ ...skipped, txid });
    return derived.statements.map((s) => ({ kind: 'ddl', sql: s.sql, searchPath: DERIVED_SEARCH_PATH, tag: s.tag, object: s.object }));
  }

  private truncate(message: Pgoutput.MessageTruncate): ChangePayload | null {
    const relations = message.relations.map((relation, i) => {
      if (!relation) throw new ReplicationError(`pgoutput protocol: Truncate names an unknown relation (#${i})`);
      return { schema: relation.schema, table: relation.name };
    });
    const published = relations.filter((r) => r.schema !== KASHO_SCHEMA);
    if (published.length === 0) return null;
    return { kind: 'truncate', relations: published, cascade: message.cascade, restartIdentity: message.restartIdentity };
  }

  private columns(relation: Pgoutput.MessageRelation): ColumnMeta[] {
    let columns = this.columnCache.get(relation);
    if (!columns) {
      columns = relation.columns.map((c) => ({
        name: c.name,
        type: this.typeNames.format(c),
        typeOid: c.typeOid,
        typeMod: c.typeMod,
        key: (c.flags & 1) === 1,
      }));
      this.columnCache.set(relation, columns);
    }
    return columns;
  }
}

/**
 * A row image as text. `undefined` (pgoutput's 'u', an unchanged TOAST value) is left out and its
 * column listed in `unchangedToast`. `only` restricts to the replica identity columns (old key).
 */
function toTuple(relation: Pgoutput.MessageRelation, values: Record<string, unknown>, unchangedToast: string[], only?: string[]): Tuple {
  const tuple: Tuple = {};
  for (const { name } of relation.columns) {
    if (only && !only.includes(name)) continue;
    const value = values[name];
    if (value === undefined) {
      if (!only) unchangedToast.push(name);
      continue;
    }
    setDatum(tuple, name, toDatum(value, relation, name));
  }
  return tuple;
}

function toDatum(value: unknown, relation: Pgoutput.MessageRelation, column: string): Datum {
  if (value === null || typeof value === 'string') return value;
  throw new ReplicationError(`column ${relation.schema}.${relation.name}.${column} was not decoded as text (got ${typeof value})`);
}

/** Assigns without tripping over a column named `__proto__`. */
function setDatum(tuple: Tuple, name: string, value: Datum): void {
  if (name === '__proto__') Object.defineProperty(tuple, name, { value, enumerable: true, writable: true, configurable: true });
  else tuple[name] = value;
}

/** `schema.table` as pg_identify_object writes it (each part quoted when needed) → [schema, table]; undefined if not two parts. */
export function splitIdentity(identity: string): [string, string] | undefined {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."\s]+))\s*(\.|$)/y;
  let at = 0;
  while (at < identity.length) {
    re.lastIndex = at;
    const m = re.exec(identity);
    if (!m || re.lastIndex === at) return undefined;
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]);
    at = re.lastIndex;
    if (m[3] === '') break;
  }
  return parts.length === 2 ? [parts[0], parts[1]] : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value == null ? '' : String(value);
}
