import type { Client } from 'pg';
import type { ColumnMeta, SequenceValue } from '@kasho/contracts';

/** Schemas never served, whatever a publication says: the catalogs and Kasho's own. */
const NOT_INTERNAL = `n.nspname <> 'kasho' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;

export interface CatalogTable {
  schema: string;
  table: string;
  columns: ColumnMeta[];
  estimatedRows: number;
  bytes: number;
  blocks: number;
}

/**
 * Published tables (all, or one named table), never the catalogs nor the kasho schema: a table outside
 * the publication is not served even when named (invariant I9). Leaves of partitioned tables are
 * listed, as the publication does. Columns in attnum order without generated ones; `key` follows the
 * replica identity as pgoutput reports it (primary key, the identity index, or every column under FULL).
 */
const TABLES_SQL = `
WITH t AS (
  SELECT c.oid, n.nspname AS schema, c.relname AS table, c.reltuples, c.relreplident,
         pg_catalog.pg_relation_size(c.oid) AS bytes
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'r' AND ${NOT_INTERNAL}
     AND EXISTS (SELECT FROM pg_catalog.pg_publication_tables p
                  WHERE p.pubname = $1 AND p.schemaname = n.nspname AND p.tablename = c.relname)
     AND ($2::text IS NULL OR (n.nspname = $2 AND c.relname = $3))
)
SELECT t.schema, t.table, GREATEST(t.reltuples, 0)::float8 AS estimated_rows, t.bytes::float8 AS bytes,
       (t.bytes / pg_catalog.current_setting('block_size')::int)::float8 AS blocks,
       COALESCE((SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                  'name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
                  'typeOid', a.atttypid::int, 'typeMod', a.atttypmod,
                  'key', CASE t.relreplident
                           WHEN 'f' THEN true
                           WHEN 'd' THEN EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid = t.oid AND i.indisprimary AND a.attnum = ANY (i.indkey))
                           WHEN 'i' THEN EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid = t.oid AND i.indisreplident AND a.attnum = ANY (i.indkey))
                           ELSE false END) ORDER BY a.attnum)
                  FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''), '[]') AS columns
  FROM t ORDER BY t.bytes DESC, t.schema, t.table`;

/** Whether `schema.table` is a table the snapshot may serve: in the publication, not a catalog, not kasho's. */
export async function isPublished(client: Client, publication: string, schema: string, table: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT FROM pg_catalog.pg_publication_tables p JOIN pg_catalog.pg_namespace n ON n.nspname = p.schemaname
                     WHERE p.pubname = $1 AND p.schemaname = $2 AND p.tablename = $3 AND ${NOT_INTERNAL}) AS ok`,
    [publication, schema, table],
  );
  return rows[0]?.ok === true;
}

export async function readTables(client: Client, publication: string, only?: { schema: string; table: string }): Promise<CatalogTable[]> {
  const { rows } = await client.query<{ schema: string; table: string; estimated_rows: number; bytes: number; blocks: number; columns: ColumnMeta[] }>(
    TABLES_SQL,
    [publication, only?.schema ?? null, only?.table ?? null],
  );
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    columns: r.columns,
    estimatedRows: Math.round(Number(r.estimated_rows)),
    bytes: Number(r.bytes),
    blocks: Math.ceil(Number(r.blocks)),
  }));
}

const SEQUENCE_LIST_SQL = `
SELECT n.nspname AS schema, c.relname AS name, s.seqincrement::text AS increment
  FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname <> 'kasho' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
 ORDER BY 1, 2`;

/**
 * Every sequence's last_value and is_called (what pg_dump restores with setval). Sequence reads are
 * not transactional: inside a snapshot they show the current value, which is at least the one at
 * the snapshot, so the target is never set behind a row it holds.
 */
export async function readSequences(client: Client): Promise<SequenceValue[]> {
  const list = await client.query<{ schema: string; name: string; increment: string }>(SEQUENCE_LIST_SQL);
  const values: SequenceValue[] = [];
  for (let i = 0; i < list.rows.length; i += 500) {
    const batch = list.rows.slice(i, i + 500);
    const sql = batch
      .map((s, j) => `SELECT ${j} AS i, last_value::text AS last_value, is_called FROM ${client.escapeIdentifier(s.schema)}.${client.escapeIdentifier(s.name)}`)
      .join(' UNION ALL ');
    const { rows } = await client.query<{ i: number; last_value: string; is_called: boolean }>(sql);
    for (const row of rows) {
      const s = batch[row.i];
      values.push({ schema: s.schema, name: s.name, lastValue: row.last_value, isCalled: row.is_called, increment: s.increment });
    }
  }
  return values;
}
