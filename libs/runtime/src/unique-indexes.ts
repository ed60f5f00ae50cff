import type { Client } from 'pg';
import { relationKey, type RelationRef, type UniqueIndex } from '@kasho/contracts';

/**
 * The unique indexes of `tables` as pg_index holds them: primary keys, unique constraints and plain
 * unique indexes, partial ones included (they are unique among the rows they cover). Only key
 * columns are listed (not INCLUDE ones); an index with an expression among its keys (`lower(email)`)
 * is left out, as it names no column set. The same query serves the source (the snapshot plan, inside
 * its exported snapshot) and the target (the stream, inside the apply transaction).
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
 WHERE i.indisunique
   AND (n.nspname, c.relname) IN (SELECT s, t FROM pg_catalog.unnest($1::text[], $2::text[]) AS r(s, t))
   AND NOT EXISTS (SELECT FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                    WHERE k.ord <= i.indnkeyatts AND k.attnum = 0)
 ORDER BY n.nspname, c.relname, i.indisprimary DESC, ic.relname`;

/**
 * The unique column sets of each of `tables` (by {@link relationKey}; a table without any maps to an
 * empty list). Named for `kasho check` too: "which columns of a table must stay unique".
 */
export async function readUniqueIndexes(client: Client, tables: readonly RelationRef[]): Promise<Map<string, UniqueIndex[]>> {
  const byTable = new Map<string, UniqueIndex[]>(tables.map((t) => [relationKey(t.schema, t.table), []]));
  if (tables.length === 0) return byTable;
  const { rows } = await client.query<{ schema: string; table: string; name: string; primary_key: boolean; partial: boolean; columns: string[] }>(
    UNIQUE_INDEXES_SQL,
    [tables.map((t) => t.schema), tables.map((t) => t.table)],
  );
  for (const r of rows) {
    byTable.get(relationKey(r.schema, r.table))?.push({ name: r.name, columns: r.columns, primaryKey: r.primary_key, partial: r.partial });
  }
  return byTable;
}
