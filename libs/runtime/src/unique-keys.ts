import { types, type Client } from 'pg';
import { relationKey, type RelationRef, type UniqueKeys } from '@kasho/contracts';

/** `(schema, table)` of the relation `c` (namespace `n`) is one of $1[i], $2[i] (pairwise, by ROWS FROM). */
const ONE_OF_TABLES = `(n.nspname, c.relname) IN (SELECT s, t FROM ROWS FROM (pg_catalog.unnest($1::text[]), pg_catalog.unnest($2::text[])) AS r(s, t))`;

/**
 * Unique indexes as pg_index holds them: primary keys, unique constraints and plain unique indexes,
 * partial ones included (they are unique among the rows they cover). Only key columns are listed (not
 * INCLUDE ones); an index with an expression among its keys (`lower(email)`) is left out, as it names
 * no column set.
 */
const UNIQUE_INDEXES_SQL = `
SELECT n.nspname AS schema, c.relname AS table, ic.relname AS name, i.indisprimary AS primary_key,
       i.indpred IS NOT NULL AS partial,
       ARRAY(SELECT a.attname::text
               FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              WHERE k.ord <= i.indnkeyatts
              ORDER BY k.ord) AS columns
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
 WHERE i.indisunique AND ${ONE_OF_TABLES}
   AND NOT EXISTS (SELECT FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                    WHERE k.ord <= i.indnkeyatts AND k.attnum = 0)
 ORDER BY n.nspname, c.relname, i.indisprimary DESC, ic.relname`;

/** Foreign keys, their columns and the referenced ones pairwise in order. */
const FOREIGN_KEYS_SQL = `
SELECT n.nspname AS schema, c.relname AS table, k.conname AS name, rn.nspname AS referenced_schema, rc.relname AS referenced_table,
       ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(k.conkey) WITH ORDINALITY AS x(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum ORDER BY x.ord) AS columns,
       ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(k.confkey) WITH ORDINALITY AS x(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.attnum ORDER BY x.ord) AS referenced_columns
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid
  JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
 WHERE k.contype = 'f' AND ${ONE_OF_TABLES}
 ORDER BY n.nspname, c.relname, k.conname`;

/**
 * The unique column sets (unique indexes) and foreign keys of each of `tables`, by
 * {@link relationKey}; a table with neither maps to empty lists. The same queries serve the source
 * (the snapshot plan, inside its exported snapshot), the target (the stream, inside the apply
 * transaction) and preflight checks: "which columns of a table must stay unique".
 */
export async function readUniqueKeys(client: Client, tables: readonly RelationRef[]): Promise<Map<string, UniqueKeys>> {
  const byTable = new Map<string, UniqueKeys>(tables.map((t) => [relationKey(t.schema, t.table), { uniqueIndexes: [], foreignKeys: [] }]));
  if (tables.length === 0) return byTable;
  // pg's own parsers (arrays, booleans), whatever the caller's client was given (preview reads every type as text).
  const query = { types, values: [tables.map((t) => t.schema), tables.map((t) => t.table)] };
  const indexes = await client.query<{ schema: string; table: string; name: string; primary_key: boolean; partial: boolean; columns: string[] }>({
    text: UNIQUE_INDEXES_SQL,
    ...query,
  });
  for (const r of indexes.rows) {
    byTable.get(relationKey(r.schema, r.table))?.uniqueIndexes.push({ name: r.name, columns: r.columns, primaryKey: r.primary_key, partial: r.partial });
  }
  const keys = await client.query<{
    schema: string;
    table: string;
    name: string;
    referenced_schema: string;
    referenced_table: string;
    columns: string[];
    referenced_columns: string[];
  }>({ text: FOREIGN_KEYS_SQL, ...query });
  for (const r of keys.rows) {
    byTable.get(relationKey(r.schema, r.table))?.foreignKeys.push({
      name: r.name,
      columns: r.columns,
      referencedSchema: r.referenced_schema,
      referencedTable: r.referenced_table,
      referencedColumns: r.referenced_columns,
    });
  }
  return byTable;
}
