import { ChangeEnvelope, ChangePayload, ColumnMeta, Position } from '@kasho/contracts';
import { ChangeDecodeError } from './buffer.errors';
import { RelationDef, relationOf } from './relation-codec';

/** The stream field that holds a change. */
export const CHANGE_FIELD = 'change';
/** The stream field that holds the predecessor entry's ID (`0-0` for the first entry of a stream). */
export const PREV_FIELD = 'prev';

const KINDS: ReadonlySet<string> = new Set(['insert', 'update', 'delete', 'truncate', 'ddl', 'commit']);

/**
 * Compact JSON of the payload. Values are already text (`Datum = string | null`, I7), so JSON keeps them
 * byte for byte; absent keys stay absent (a key holding `undefined` is dropped, which is what "absent" means).
 */
export function encodeChange(change: ChangePayload): string {
  return JSON.stringify(change);
}

/**
 * Compact form for the Redis stream: a row's column metadata is replaced by its relation digest
 * (`rel`), reported through `onRelation` so the caller stores it once. Cuts bytes, JSON work and
 * allocations per row several-fold for typical tables.
 */
export function encodeCompact(change: ChangePayload, onRelation: (def: RelationDef) => void): string {
  if (change.kind !== 'insert' && change.kind !== 'update' && change.kind !== 'delete') return JSON.stringify(change);
  const def = relationOf(change.columns);
  onRelation(def);
  return JSON.stringify({ ...change, columns: undefined, rel: def.digest });
}

/** Decodes a compact entry; `columnsOf` resolves a relation digest (rows decoded with one digest share one array). */
export function decodeCompact(id: string, json: string, columnsOf: (relationDigest: string) => ColumnMeta[] | undefined): ChangeEnvelope {
  const envelope = decodeChange(id, json);
  const change = envelope.change as ChangePayload & { rel?: unknown };
  if (typeof change.rel === 'string') {
    const columns = columnsOf(change.rel);
    if (!columns) throw new ChangeDecodeError(id, `unknown relation ${change.rel}`);
    delete change.rel;
    (change as { columns: ColumnMeta[] }).columns = columns;
  }
  return envelope;
}

/** The relation digest an encoded entry refers to, without decoding it (for prefetching). */
export function relationDigestOf(json: string): string | undefined {
  const at = json.lastIndexOf('"rel":"');
  if (at < 0) return undefined;
  const end = json.indexOf('"', at + 7);
  return end > at ? json.slice(at + 7, end) : undefined;
}

/** Decodes a stored entry back to an envelope whose position is the entry ID. Errors name the position, never the payload. */
export function decodeChange(id: string, json: string): ChangeEnvelope {
  let change: unknown;
  try {
    change = JSON.parse(json);
  } catch {
    throw new ChangeDecodeError(id, 'not valid JSON');
  }
  if (typeof change !== 'object' || change === null || Array.isArray(change)) throw new ChangeDecodeError(id, 'not a JSON object');
  const kind = (change as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) throw new ChangeDecodeError(id, 'unknown change kind');
  return { position: Position.parse(id), change: change as ChangePayload };
}

/** The change and predecessor fields of a stream entry's flat field list (`[field, value, …]`); prev null when absent. */
export function entryFields(id: string, fields: readonly string[]): { json: string; prev: string | null } {
  let json: string | undefined;
  let prev: string | null = null;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === CHANGE_FIELD) json = fields[i + 1];
    else if (fields[i] === PREV_FIELD) prev = fields[i + 1];
  }
  if (json === undefined) throw new ChangeDecodeError(id, `no "${CHANGE_FIELD}" field`);
  return { json, prev };
}
