import type { ColumnMeta, Datum, DdlChange, RelationRef, RowChange, TruncateChange, Tuple } from '@kasho/contracts';
import { lacksEquality } from './column-types';
import { displayName, qualifiedName, quoteIdent } from './identifiers';
import { MAX_BIND_PARAMETERS, SqlStatement } from './sql-statement';

/**
 * Pure SQL rendering for the target. Values are always bind parameters in text form: untyped
 * parameters take the type of the column they are assigned to or compared with, so PostgreSQL
 * parses them with the column's own input function (exact numeric, int8, timestamps, arrays...).
 */

/** Collects bind parameters and hands out their `$n` placeholders. */
class Params {
  readonly values: Datum[] = [];
  add(value: Datum): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The largest number of rows one INSERT may carry for this many columns. */
export function insertRowCap(columnCount: number, maxRowsPerStatement: number): number {
  if (columnCount === 0) return 1;
  return Math.max(1, Math.min(maxRowsPerStatement, Math.floor(MAX_BIND_PARAMETERS / columnCount)));
}

/** The columns of `change` present in `tuple`, in table order; a name the table lacks is an error. */
export function presentColumns(change: RowChange, tuple: Tuple): ColumnMeta[] {
  const present = change.columns.filter((c) => Object.prototype.hasOwnProperty.call(tuple, c.name));
  const names = Object.keys(tuple);
  if (names.length !== present.length) {
    const known = new Set(change.columns.map((c) => c.name));
    const unknown = names.find((name) => !known.has(name)) ?? names[0];
    throw new Error(`column "${unknown}" is not among the columns of ${displayName(change)}`);
  }
  return present;
}

/**
 * `INSERT INTO "s"."t" ("a","b") OVERRIDING SYSTEM VALUE VALUES ($1,$2),($3,$4)`. A plain insert:
 * exactly-once comes from the applied position. OVERRIDING SYSTEM VALUE lets the source's value
 * into a GENERATED ALWAYS identity column and is a no-op for other tables.
 */
export function renderInsert(relation: RelationRef, columns: string[], rows: Datum[][]): SqlStatement {
  if (rows.length === 0) throw new Error('an INSERT needs at least one row');
  if (columns.length === 0) {
    if (rows.length !== 1) throw new Error('an INSERT without columns carries exactly one row');
    return { text: `INSERT INTO ${qualifiedName(relation)} DEFAULT VALUES`, values: [], expectedRows: 1 };
  }
  if (rows.length * columns.length > MAX_BIND_PARAMETERS) {
    throw new Error(`an INSERT of ${rows.length} rows x ${columns.length} columns exceeds ${MAX_BIND_PARAMETERS} parameters`);
  }
  const params = new Params();
  const tuples = rows.map((row) => {
    if (row.length !== columns.length) throw new Error(`a row has ${row.length} values for ${columns.length} columns`);
    return `(${row.map((v) => params.add(v)).join(',')})`;
  });
  const columnList = columns.map(quoteIdent).join(',');
  return {
    text: `INSERT INTO ${qualifiedName(relation)} (${columnList}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(',')}`,
    values: params.values,
    expectedRows: rows.length,
  };
}

/** The row image that identifies the target row, and whether it came from `old`. */
function identitySource(change: RowChange): { tuple: Tuple; fromOld: boolean } {
  if (change.old) return { tuple: change.old, fromOld: true };
  if (change.new) return { tuple: change.new, fromOld: false };
  throw new Error(`${change.kind} on ${displayName(change)} carries neither an old nor a new row`);
}

/** The identity columns: key columns (all present ones under REPLICA IDENTITY FULL). */
function identityColumns(change: RowChange, tuple: Tuple): ColumnMeta[] {
  const full = change.replicaIdentity === 'full';
  const present = presentColumns(change, tuple);
  const columns = full ? present : present.filter((c) => c.key);
  if (!full) {
    const missing = change.columns.filter((c) => c.key && !columns.includes(c));
    if (missing.length > 0) {
      throw new Error(`the key column "${missing[0].name}" of ${displayName(change)} is missing from the row identity`);
    }
  }
  if (columns.length === 0) {
    throw new Error(`${displayName(change)} has no replica identity to find the row (replica identity "${change.replicaIdentity}")`);
  }
  return columns;
}

/** `"a" = $1 AND "b" IS NULL AND "j"::text = $2::text`. */
function identityCondition(columns: ColumnMeta[], tuple: Tuple, params: Params): string {
  return columns
    .map((c) => {
      const value = tuple[c.name];
      const name = quoteIdent(c.name);
      if (value === null) return `${name} IS NULL`;
      return lacksEquality(c) ? `${name}::text = ${params.add(value)}::text` : `${name} = ${params.add(value)}`;
    })
    .join(' AND ');
}

/**
 * The WHERE clause finding exactly the replicated row. Under REPLICA IDENTITY FULL rows may be
 * duplicates, so one of them is picked by ctid.
 */
function whereIdentity(change: RowChange, params: Params): string {
  const { tuple } = identitySource(change);
  const condition = identityCondition(identityColumns(change, tuple), tuple, params);
  if (change.replicaIdentity !== 'full') return condition;
  return `ctid = (SELECT ctid FROM ${qualifiedName(change)} WHERE ${condition} LIMIT 1)`;
}

/**
 * `UPDATE "s"."t" SET "a"=$1 WHERE <identity>`. Columns absent from `new` or listed in
 * `unchangedToast` are left out (never set to NULL); key columns are left out when the identity is
 * taken from `new` (their value did not change, and GENERATED ALWAYS columns refuse assignment).
 */
export function renderUpdate(change: RowChange): SqlStatement {
  if (!change.new) throw new Error(`update on ${displayName(change)} carries no new row`);
  const { fromOld } = identitySource(change);
  const unchanged = new Set(change.unchangedToast ?? []);
  const params = new Params();
  const assignments = presentColumns(change, change.new)
    .filter((c) => !unchanged.has(c.name) && (fromOld || !c.key))
    .map((c) => `${quoteIdent(c.name)}=${params.add(change.new![c.name])}`);
  const where = whereIdentity(change, params);
  if (assignments.length === 0) {
    // Nothing to write, but the row must still exist: the replica must not have diverged.
    return { text: `SELECT 1 FROM ${qualifiedName(change)} WHERE ${where}`, values: params.values, expectedRows: 1 };
  }
  return { text: `UPDATE ${qualifiedName(change)} SET ${assignments.join(',')} WHERE ${where}`, values: params.values, expectedRows: 1 };
}

/** `DELETE FROM "s"."t" WHERE <identity>`. */
export function renderDelete(change: RowChange): SqlStatement {
  const params = new Params();
  const where = whereIdentity(change, params);
  return { text: `DELETE FROM ${qualifiedName(change)} WHERE ${where}`, values: params.values, expectedRows: 1 };
}

/**
 * The key columns of `present` (the columns of the row image) and their values, when rows can be
 * matched by key in a batch: identity by key (not FULL), the whole key present, every key type with
 * an equality operator, no key value NULL. Undefined otherwise.
 */
function batchKey(change: RowChange, present: ColumnMeta[], tuple: Tuple): { columns: string[]; values: Datum[] } | undefined {
  if (change.replicaIdentity === 'full') return undefined;
  const keys = present.filter((c) => c.key);
  if (keys.length === 0 || keys.length !== change.columns.filter((c) => c.key).length || keys.some(lacksEquality)) return undefined;
  const values = keys.map((c) => tuple[c.name]);
  return values.some((v) => v === null) ? undefined : { columns: keys.map((c) => c.name), values };
}

/** The key of a delete that may share a statement with others (renderDeleteBatch); undefined: it goes alone (renderDelete). */
export function deleteKey(change: RowChange): { columns: string[]; values: Datum[] } | undefined {
  if (change.kind !== 'delete' || !change.old) return undefined;
  return batchKey(change, presentColumns(change, change.old), change.old);
}

/**
 * Several deletes by key in one statement: `DELETE FROM "s"."t" WHERE "id" IN ($1,$2)`, or
 * `WHERE ("a","b") IN (($1,$2),($3,$4))` for a composite key. Each parameter is compared with its key
 * column and takes that column's type, as in renderDelete; every row must exist (expectedRows).
 */
export function renderDeleteBatch(relation: RelationRef, columns: string[], rows: Datum[][]): SqlStatement {
  if (rows.length === 0 || columns.length === 0) throw new Error('a batched DELETE needs rows and key columns');
  if (rows.length * columns.length > MAX_BIND_PARAMETERS) {
    throw new Error(`a DELETE of ${rows.length} rows x ${columns.length} key columns exceeds ${MAX_BIND_PARAMETERS} parameters`);
  }
  const params = new Params();
  const single = columns.length === 1;
  const keys = rows.map((row) => {
    if (row.length !== columns.length) throw new Error(`a key has ${row.length} values for ${columns.length} columns`);
    return single ? params.add(row[0]) : `(${row.map((v) => params.add(v)).join(',')})`;
  });
  const target = single ? quoteIdent(columns[0]) : `(${columns.map(quoteIdent).join(',')})`;
  return { text: `DELETE FROM ${qualifiedName(relation)} WHERE ${target} IN (${keys.join(',')})`, values: params.values, expectedRows: rows.length };
}

/**
 * The shape of an update that may share a statement with others (renderUpdateBatch): its key did not
 * change (identity from `new`), batchKey holds, and it sets at least one column. `values` are the key
 * values, then the set ones; `key` tells rows apart. Undefined: it goes alone (renderUpdate).
 */
export function updateShape(change: RowChange): { keys: string[]; assigned: string[]; values: Datum[]; key: string } | undefined {
  if (change.kind !== 'update' || change.old || !change.new) return undefined;
  const present = presentColumns(change, change.new);
  const key = batchKey(change, present, change.new);
  const unchanged = new Set(change.unchangedToast ?? []);
  const assigned = present.filter((c) => !c.key && !unchanged.has(c.name));
  if (!key || assigned.length === 0) return undefined;
  return {
    keys: key.columns,
    assigned: assigned.map((c) => c.name),
    values: [...key.values, ...assigned.map((c) => change.new![c.name])],
    key: JSON.stringify(key.values),
  };
}

/**
 * Several updates by key in one statement, rows as [key values…, set values…]:
 * `UPDATE t AS kasho_t SET "a" = kasho_v."a" FROM (VALUES ((SELECT "id" FROM t LIMIT 0),
 * (SELECT "a" FROM t LIMIT 0)), ($1,$2), ($3,$4)) AS kasho_v ("id","a") WHERE kasho_t."id" = kasho_v."id"`.
 * The first row, typed NULLs read from the table itself, gives every VALUES column its column's type
 * and typmod, so the parameters are parsed by each column's input function as in renderUpdate, with
 * no type named; its NULL key matches no row. No key may appear twice (a row is updated once per
 * statement); every row must exist.
 */
export function renderUpdateBatch(relation: RelationRef, keys: string[], assigned: string[], rows: Datum[][]): SqlStatement {
  const width = keys.length + assigned.length;
  if (rows.length === 0 || keys.length === 0 || assigned.length === 0) throw new Error('a batched UPDATE needs rows, key columns and columns to set');
  if (rows.length * width > MAX_BIND_PARAMETERS)
    throw new Error(`an UPDATE of ${rows.length} rows x ${width} columns exceeds ${MAX_BIND_PARAMETERS} parameters`);
  const params = new Params();
  const tuples = rows.map((row) => {
    if (row.length !== width) throw new Error(`an update row has ${row.length} values for ${width} columns`);
    return `(${row.map((v) => params.add(v)).join(',')})`;
  });
  const table = qualifiedName(relation);
  const names = [...keys, ...assigned].map(quoteIdent);
  const typed = `(${names.map((c) => `(SELECT ${c} FROM ${table} LIMIT 0)`).join(',')})`;
  const set = assigned.map((c) => `${quoteIdent(c)} = kasho_v.${quoteIdent(c)}`).join(', ');
  const match = keys.map((c) => `kasho_t.${quoteIdent(c)} = kasho_v.${quoteIdent(c)}`).join(' AND ');
  return {
    text: `UPDATE ${table} AS kasho_t SET ${set} FROM (VALUES ${typed},${tuples.join(',')}) AS kasho_v (${names.join(',')}) WHERE ${match}`,
    values: params.values,
    expectedRows: rows.length,
  };
}

/** `TRUNCATE "s"."t1", "s"."t2" [RESTART IDENTITY] [CASCADE]`. */
export function renderTruncate(change: TruncateChange): SqlStatement {
  if (change.relations.length === 0) throw new Error('a truncate names no relation');
  const parts = [`TRUNCATE ${change.relations.map(qualifiedName).join(', ')}`];
  if (change.restartIdentity) parts.push('RESTART IDENTITY');
  if (change.cascade) parts.push('CASCADE');
  return { text: parts.join(' '), values: [] };
}

/**
 * DDL runs with the source session's search_path, local to the transaction (`set_config(..., true)`
 * is `SET LOCAL` with the path as a parameter), then the session's own path is restored. The DDL
 * text is one statement, already passed through the DDL policy (decideDdl); the applier sends it
 * through the extended protocol, where PostgreSQL refuses more than one statement.
 */
export function renderDdl(change: DdlChange): SqlStatement[] {
  return [
    { text: `SELECT set_config('search_path', $1, true)`, values: [change.searchPath] },
    { text: change.sql, values: [] },
    { text: 'RESET search_path', values: [] },
  ];
}
