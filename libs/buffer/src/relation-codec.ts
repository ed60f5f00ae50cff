import { createHash } from 'node:crypto';
import { ColumnMeta } from '@kasho/contracts';

/**
 * A relation's column metadata, stored once per version instead of in every row entry, under its
 * relation digest. (The wire's `relation_id` is something else: a relation index within one ChangeBatch.)
 */
export interface RelationDef {
  /** The relation digest: a content hash of `json`. */
  digest: string;
  json: string;
}

const byColumns = new WeakMap<readonly ColumnMeta[], RelationDef>();

/**
 * The relation digest of a column list: a content hash, so equal metadata shares one digest across
 * processes and a changed relation (DDL) gets a new one. Cached per array (the decoder shares one per relation).
 */
export function relationOf(columns: readonly ColumnMeta[]): RelationDef {
  let def = byColumns.get(columns);
  if (!def) {
    const json = JSON.stringify(columns);
    def = { digest: createHash('sha256').update(json).digest('base64url').slice(0, 22), json };
    byColumns.set(columns, def);
  }
  return def;
}

/** Parses stored column metadata; returns null when it is not a column list. */
export function parseRelation(json: string): ColumnMeta[] | null {
  try {
    const columns = JSON.parse(json) as unknown;
    return Array.isArray(columns) ? (columns as ColumnMeta[]) : null;
  } catch {
    return null;
  }
}
