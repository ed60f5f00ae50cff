import { Client } from 'pg';

/** Schemas a snapshot leaves out: PostgreSQL's own, temporary ones and Kasho's bookkeeping (a predicate after `NOT IN`). */
const SYSTEM_SCHEMAS = `('pg_catalog', 'information_schema', 'pg_toast', 'kasho') AND n.nspname !~ '^pg_(toast_)?temp_'`;

/**
 * A database's user schema as sorted lines, for comparing a source and a target: tables with their
 * columns (type, NOT NULL, default, identity, generated, collation), constraints, indexes, views,
 * sequences (options, owner column), enum labels in order, domains, composite types and comments.
 * Names are printed schema-qualified (search_path is pinned for the query).
 */
export async function schemaSnapshot(client: Client): Promise<string[]> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT set_config('search_path', 'pg_catalog', true)`);
    const { rows } = await client.query<{ line: string }>(SNAPSHOT_SQL);
    return rows.map((r) => r.line);
  } finally {
    await client.query('COMMIT');
  }
}

const SNAPSHOT_SQL = `
    SELECT format('column %s.%I %s%s%s%s%s%s', a.attrelid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
                  CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                  COALESCE(' default ' || pg_get_expr(d.adbin, d.adrelid), ''),
                  CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END,
                  CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE '' END,
                  CASE WHEN a.attcollation <> t.typcollation THEN ' collate ' || a.attcollation::regcollation::text ELSE '' END) AS line
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS} AND c.relkind IN ('r', 'p', 'v', 'm', 'c') AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT format('relation %s kind %s persistence %s replica identity %s', c.oid::regclass, c.relkind, c.relpersistence, c.relreplident)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'i', 'I', 'c')
    UNION ALL
    SELECT format('constraint %s on %s: %s', k.conname, COALESCE(k.conrelid::regclass::text, k.contypid::regtype::text), pg_get_constraintdef(k.oid))
      FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS}
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS}
    UNION ALL
    SELECT format('view %s: %s', c.oid::regclass, pg_get_viewdef(c.oid))
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS} AND c.relkind IN ('v', 'm')
    UNION ALL
    SELECT format('sequence %s %s %s %s %s %s %s owned by %s', s.seqrelid::regclass, s.seqtypid::regtype, s.seqincrement, s.seqmin, s.seqmax,
                  s.seqstart, s.seqcycle,
                  (SELECT format('%s.%I %s', dep.refobjid::regclass, a.attname, dep.deptype) FROM pg_depend dep
                     JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
                    WHERE dep.classid = 'pg_class'::regclass AND dep.objid = s.seqrelid AND dep.refclassid = 'pg_class'::regclass
                      AND dep.deptype IN ('a', 'i')))
      FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS}
    UNION ALL
    SELECT format('enum %s: %s', t.oid::regtype, (SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS} AND t.typtype = 'e'
    UNION ALL
    SELECT format('domain %s over %s not null %s default %s', t.oid::regtype, format_type(t.typbasetype, t.typtypmod), t.typnotnull, pg_get_expr(t.typdefaultbin, 0))
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS} AND t.typtype = 'd'
    UNION ALL
    SELECT format('comment on %s %s: %s', d.classoid::regclass, pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description)
      FROM pg_description d JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS}
    UNION ALL
    SELECT format('function %s', p.oid::regprocedure)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS}
    UNION ALL
    SELECT format('schema %I', n.nspname) FROM pg_namespace n
     WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS}
    ORDER BY 1`;
