import type { Client } from 'pg';

/** Schemas never served, whatever a publication says: the catalogs and Kasho's own. */
export const NOT_INTERNAL = `n.nspname <> 'kasho' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;

/**
 * The table selection (docs/architecture.md, "Table selection"): the tables the pipeline's
 * publications list ($1, publicationNames(PUBLICATION)), the kasho schema and the catalogs never.
 * Common table expressions, to be prefixed with `WITH`:
 * - `published`: every relation pg_publication_tables lists for those publications;
 * - `units`: what the snapshot copies, each relation under the name the stream publishes its
 *   changes under: a published table, or a published partitioned table (publish_via_partition_root:
 *   the publication lists the root, and its partitions' rows travel under the root's name). A
 *   relation one of whose ancestors is itself a unit is left out, so no row is copied twice;
 * - `copied`: every relation whose rows reach the target (the units and all partitions under them);
 * - `touched`: `copied` and the partitioned tables above them (a partitioned table's serial belongs to it).
 */
export const SELECTION_CTES = `
published AS (
  SELECT DISTINCT c.oid, c.relkind
    FROM pg_catalog.pg_publication_tables p
    JOIN pg_catalog.pg_namespace n ON n.nspname = p.schemaname
    JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = p.tablename
   WHERE p.pubname = ANY ($1::text[]) AND c.relkind IN ('r', 'p') AND ${NOT_INTERNAL}
),
units AS (
  SELECT pb.oid, pb.relkind FROM published pb
   WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_partition_ancestors(pb.oid) a JOIN published q ON q.oid = a.relid WHERE a.relid <> pb.oid)
),
copied AS (
  SELECT oid FROM units
  UNION SELECT t.relid FROM units u CROSS JOIN LATERAL pg_catalog.pg_partition_tree(u.oid) t WHERE u.relkind = 'p'
),
touched AS (
  SELECT oid FROM copied
  UNION SELECT a.relid FROM copied c CROSS JOIN LATERAL pg_catalog.pg_partition_ancestors(c.oid) a
)`;

/** Why `schema.table` is or is not a unit of the selection (what a resync may copy). */
export type SelectionMembership =
  | { kind: 'unit' }
  /** A partition whose rows travel under its partitioned table's name (publish_via_partition_root). */
  | { kind: 'partition-of-unit'; root: string }
  /** A partitioned table whose partitions are published each under its own name. */
  | { kind: 'partitions-are-units' }
  | { kind: 'outside' };

const MEMBERSHIP_SQL = `
WITH ${SELECTION_CTES},
rel AS (
  SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = $2 AND c.relname = $3 AND c.relkind IN ('r', 'p') AND ${NOT_INTERNAL}
)
SELECT EXISTS (SELECT FROM units u JOIN rel USING (oid)) AS unit,
       (SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
          FROM rel CROSS JOIN LATERAL pg_catalog.pg_partition_ancestors(rel.oid) a
          JOIN units u ON u.oid = a.relid AND u.oid <> rel.oid
          JOIN pg_catalog.pg_class c ON c.oid = u.oid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         LIMIT 1) AS root,
       EXISTS (SELECT FROM rel CROSS JOIN LATERAL pg_catalog.pg_partition_tree(rel.oid) t JOIN units u ON u.oid = t.relid
                WHERE t.relid <> rel.oid) AS partitions_are_units`;

export async function selectionMembership(client: Client, publications: readonly string[], schema: string, table: string): Promise<SelectionMembership> {
  const { rows } = await client.query<{ unit: boolean; root: string | null; partitions_are_units: boolean }>(MEMBERSHIP_SQL, [publications, schema, table]);
  const row = rows[0];
  if (row?.unit) return { kind: 'unit' };
  if (row?.root) return { kind: 'partition-of-unit', root: row.root };
  if (row?.partitions_are_units) return { kind: 'partitions-are-units' };
  return { kind: 'outside' };
}

/** A foreign key whose referencing table has rows on the target while some of the rows it references do not travel. */
export interface ForeignKeyOutside {
  schema: string;
  table: string;
  constraint: string;
  /** The referencing table is partitioned: PostgreSQL before 18 cannot add its foreign key NOT VALID. */
  partitioned: boolean;
  /** The referenced table, `schema.table` quoted as needed. */
  references: string;
}

/**
 * Foreign keys (as pg_dump writes them: the top-level constraint of a partitioned table, not its
 * clones) from a table whose rows are copied to a table not (entirely) in the selection: the target
 * holds the referencing rows but not the referenced ones, so the key cannot be validated there.
 */
const FOREIGN_KEYS_OUTSIDE_SQL = `
WITH ${SELECTION_CTES}
SELECT n.nspname AS schema, c.relname AS table, k.conname AS constraint, c.relkind = 'p' AS partitioned,
       k.confrelid::pg_catalog.regclass::text AS references
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_class r ON r.oid = k.confrelid
 WHERE k.contype = 'f' AND k.conparentid = 0 AND k.convalidated AND ${NOT_INTERNAL}
   AND (EXISTS (SELECT FROM copied WHERE copied.oid = k.conrelid)
        OR EXISTS (SELECT FROM pg_catalog.pg_partition_tree(k.conrelid) t JOIN copied ON copied.oid = t.relid))
   AND EXISTS (SELECT FROM (SELECT k.confrelid AS relid WHERE r.relkind = 'r'
                            UNION ALL SELECT t.relid FROM pg_catalog.pg_partition_tree(k.confrelid) t WHERE t.isleaf AND r.relkind = 'p') leaf
                WHERE NOT EXISTS (SELECT FROM copied WHERE copied.oid = leaf.relid))
 ORDER BY 1, 2, 3`;

export async function readForeignKeysOutside(client: Client, publications: readonly string[]): Promise<ForeignKeyOutside[]> {
  const { rows } = await client.query<ForeignKeyOutside>(FOREIGN_KEYS_OUTSIDE_SQL, [publications]);
  return rows;
}
