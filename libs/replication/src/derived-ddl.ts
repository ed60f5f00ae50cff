import { DdlCaptureError } from './replication.errors';

/**
 * DDL run inside a function, procedure or DO block (a `kasho.ddl_log` row with ordinal 0) has no
 * statement text Kasho can trust, so the event trigger derives it from the catalog at firing time
 * into `kasho.ddl_log.derived` (see `kasho.derive_nested` in sql/10-ddl-capture.sql):
 * `{"statements": [{tag, object, sql}], "skipped": [{tag, object}]}`. The statements are
 * schema-qualified, so they are replayed with `search_path` pinned to `pg_catalog`.
 */
export const DERIVED_SEARCH_PATH = 'pg_catalog';

export interface DerivedStatement {
  tag: string;
  object: string;
  sql: string;
}

/** A nested command that was not derived: named by tag and object identity only, never SQL text. */
export interface SkippedDdl {
  tag: string;
  object: string;
  /** The source transaction id (`txid_current()`) that ran it. */
  txid: string;
}

export interface DerivedDdl {
  statements: DerivedStatement[];
  skipped: Array<Omit<SkippedDdl, 'txid'>>;
}

/**
 * Reads the `derived` column (jsonb as text). `null` (a row logged before capture v2, or a firing the
 * trigger did not derive) is one skipped command named by the row's own tag and object.
 */
export function parseDerived(raw: unknown, row: { tag: string; object: string; id: string }): DerivedDdl {
  if (raw == null || raw === '') return { statements: [], skipped: [{ tag: row.tag, object: row.object }] };
  let value: unknown;
  try {
    value = JSON.parse(String(raw));
  } catch {
    throw new DdlCaptureError(`kasho.ddl_log id ${row.id}: its derived column is not JSON`);
  }
  const statements = field(value, 'statements');
  const skipped = field(value, 'skipped');
  if (!statements || !skipped || !statements.every(isStatement) || !skipped.every(isNamed)) {
    throw new DdlCaptureError(`kasho.ddl_log id ${row.id}: its derived column does not hold {statements: [{tag, object, sql}], skipped: [{tag, object}]}`);
  }
  return {
    statements: statements.map((s) => ({ tag: s.tag, object: s.object, sql: s.sql })),
    skipped: skipped.map((s) => ({ tag: s.tag, object: s.object })),
  };
}

function field(value: unknown, name: string): unknown[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const list = (value as Record<string, unknown>)[name];
  return Array.isArray(list) ? list : undefined;
}

function isNamed(item: unknown): item is { tag: string; object: string } {
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof (item as { tag?: unknown }).tag === 'string' &&
    typeof (item as { object?: unknown }).object === 'string'
  );
}

function isStatement(item: unknown): item is DerivedStatement {
  const sql: unknown = isNamed(item) ? (item as { sql?: unknown }).sql : undefined;
  return typeof sql === 'string' && sql.trim() !== '';
}
