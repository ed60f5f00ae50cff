import type { Client } from 'pg';
import { relationKey, type RelationRef } from '@kasho/contracts';

/** Where a table sits in a partition tree, as a catalog has it. */
export interface PartitionTree {
  /** The partitioned tables above it, nearest first (empty: not a partition). */
  ancestors: RelationRef[];
  /** The partitions below it at any depth (empty: not a partitioned table). */
  descendants: RelationRef[];
}

const PARTITION_TREE_SQL = `
SELECT t.schema, t.table,
       (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(an.nspname, ac.relname) ORDER BY a.level)::text
          FROM pg_catalog.pg_partition_ancestors(c.oid) WITH ORDINALITY AS a(relid, level)
          JOIN pg_catalog.pg_class ac ON ac.oid = a.relid
          JOIN pg_catalog.pg_namespace an ON an.oid = ac.relnamespace
         WHERE a.relid <> c.oid) AS ancestors,
       (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(dn.nspname, dc.relname))::text
          FROM pg_catalog.pg_partition_tree(c.oid) d
          JOIN pg_catalog.pg_class dc ON dc.oid = d.relid
          JOIN pg_catalog.pg_namespace dn ON dn.oid = dc.relnamespace
         WHERE d.relid <> c.oid) AS descendants
  FROM ROWS FROM (pg_catalog.unnest($1::text[]), pg_catalog.unnest($2::text[])) AS t(schema, "table")
  JOIN pg_catalog.pg_namespace n ON n.nspname = t.schema
  JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.table AND c.relkind IN ('r', 'p')`;

/**
 * The partition trees of `tables` (by relationKey) as `client`'s catalog has them now
 * (pg_partition_ancestors and pg_partition_tree, PostgreSQL 12 and later). A table the catalog does
 * not have is absent from the map: its tree cannot be told, and callers must not guess it.
 */
export async function readPartitionTrees(client: Pick<Client, 'query'>, tables: readonly RelationRef[]): Promise<Map<string, PartitionTree>> {
  const trees = new Map<string, PartitionTree>();
  if (tables.length === 0) return trees;
  const { rows } = await client.query<{ schema: string; table: string; ancestors: string | null; descendants: string | null }>(PARTITION_TREE_SQL, [
    tables.map((t) => t.schema),
    tables.map((t) => t.table),
  ]);
  // As text, parsed here: the client may be set to leave every value as its text (kasho preview does).
  const refs = (list: string | null) => (list ? (JSON.parse(list) as [string, string][]) : []).map(([schema, table]) => ({ schema, table }));
  for (const r of rows) trees.set(relationKey(r.schema, r.table), { ancestors: refs(r.ancestors), descendants: refs(r.descendants) });
  return trees;
}
