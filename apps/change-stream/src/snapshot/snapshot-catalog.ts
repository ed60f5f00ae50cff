import type { Client } from 'pg';
import type { ColumnMeta, SequenceValue } from '@kasho/contracts';
import { NOT_INTERNAL, SELECTION_CTES } from './table-selection';

export interface CatalogTable {
  schema: string;
  table: string;
  columns: ColumnMeta[];
  estimatedRows: number;
  bytes: number;
  /**
   * Blocks of the heap; for a partitioned table, of its largest partition: a block range then
   * selects those blocks in every partition (each row has one ctid, in its own partition).
   */
  blocks: number;
  /** A partitioned table (publish_via_partition_root): copied through its root, without ONLY. */
  partitioned: boolean;
}

/**
 * The snapshot's tables: the units of the selection (table-selection.ts), all, or one named unit.
 * Columns in attnum order without generated ones; `key` follows the replica identity as pgoutput
 * reports it (primary key, the identity index, or every column under FULL). Sizes of a partitioned
 * table are its partitions': bytes summed, blocks of the largest one, rows summed.
 */
const TABLES_SQL = `
WITH ${SELECTION_CTES},
t AS (
  SELECT c.oid, n.nspname AS schema, c.relname AS table, c.relreplident, u.relkind = 'p' AS partitioned,
         s.reltuples, s.bytes, s.largest
    FROM units u JOIN pg_catalog.pg_class c ON c.oid = u.oid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   CROSS JOIN LATERAL (
     SELECT pg_catalog.sum(GREATEST(l.reltuples, 0)) AS reltuples, pg_catalog.sum(pg_catalog.pg_relation_size(l.oid)) AS bytes,
            pg_catalog.max(pg_catalog.pg_relation_size(l.oid)) AS largest
       FROM pg_catalog.pg_class l
      WHERE (u.relkind = 'r' AND l.oid = u.oid)
         OR (u.relkind = 'p' AND l.oid IN (SELECT pt.relid FROM pg_catalog.pg_partition_tree(u.oid) pt WHERE pt.isleaf))) s
   WHERE ($2::text IS NULL OR (n.nspname = $2 AND c.relname = $3))
)
SELECT t.schema, t.table, t.partitioned, COALESCE(t.reltuples, 0)::float8 AS estimated_rows, COALESCE(t.bytes, 0)::float8 AS bytes,
       (COALESCE(t.largest, 0) / pg_catalog.current_setting('block_size')::int)::float8 AS blocks,
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
  FROM t ORDER BY COALESCE(t.bytes, 0) DESC, t.schema, t.table`;

export async function readTables(client: Client, publications: readonly string[], only?: { schema: string; table: string }): Promise<CatalogTable[]> {
  const { rows } = await client.query<{
    schema: string;
    table: string;
    partitioned: boolean;
    estimated_rows: number;
    bytes: number;
    blocks: number;
    columns: ColumnMeta[];
  }>(TABLES_SQL, [publications, only?.schema ?? null, only?.table ?? null]);
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    columns: r.columns,
    estimatedRows: Math.round(Number(r.estimated_rows)),
    bytes: Number(r.bytes),
    blocks: Math.ceil(Number(r.blocks)),
    partitioned: r.partitioned,
  }));
}

/**
 * The sequences that follow the selection: those owned by (serial, identity) a table whose rows
 * travel, or by a partitioned table above one, and the free-standing ones (owned by no table: any
 * selected table's default may draw from them). A sequence owned by a table outside the selection
 * stays at its start on the target, like its table stays empty.
 */
const SEQUENCE_LIST_SQL = `
WITH ${SELECTION_CTES}
SELECT n.nspname AS schema, c.relname AS name, s.seqincrement::text AS increment
  FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE ${NOT_INTERNAL}
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = s.seqrelid AND d.objsubid = 0
                      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i')
                      AND NOT EXISTS (SELECT FROM touched WHERE touched.oid = d.refobjid))
 ORDER BY 1, 2`;

/**
 * The selected sequences' last_value and is_called (what pg_dump restores with setval). Sequence reads are
 * not transactional: inside a snapshot they show the current value, which is at least the one at
 * the snapshot, so the target is never set behind a row it holds.
 */
export async function readSequences(client: Client, publications: readonly string[]): Promise<SequenceValue[]> {
  const list = await client.query<{ schema: string; name: string; increment: string }>(SEQUENCE_LIST_SQL, [publications]);
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
