-- Kasho DDL capture. pgoutput does not carry DDL, so an event trigger records every DDL statement in
-- kasho.ddl_log; the insert travels through the publication in WAL order with the row changes, and
-- pg-change-stream turns it back into a DDL change. Needs a superuser (event triggers do). Idempotent.
--   psql "<source connection>" -f sql/10-ddl-capture.sql
--
-- The functions are SECURITY DEFINER (whoever runs DDL must be able to log it) without a search_path
-- clause (capture_ddl records the caller's search_path), so every name and operator is schema-qualified.
-- Every top-level firing is logged, so ordinal (its rank among the query's DDL statements) stays
-- exact; skip says why a row is not replicated: DDL on the kasho schema itself, publications and
-- subscriptions (replication settings of this server), a CREATE that did nothing (IF NOT EXISTS), or
-- a DROP of temporary objects only (the translicator's DDL policy skips other DDL on temporary objects).
-- Commands run by extension scripts and REINDEX are not logged. DDL run inside a function or DO block
-- gets ordinal 0: its text is unknown, so the trigger derives it from the catalog at that moment (it
-- runs inside the source transaction) into derived: {"statements": [{tag, object, sql}...],
-- "skipped": [{tag, object}...]}, schema-qualified statements built with format() and pg_get_*def
-- (see kasho.derive_nested below); what it cannot derive is listed in skipped, never guessed.
-- kasho.ddl_log may be pruned at any time, e.g.
--   DELETE FROM kasho.ddl_log WHERE created_at < now() - interval '7 days';

CREATE SCHEMA IF NOT EXISTS kasho;

CREATE TABLE IF NOT EXISTS kasho.ddl_log (
  id          bigserial PRIMARY KEY,
  txid        bigint NOT NULL,
  ordinal     int NOT NULL,
  tag         text NOT NULL,
  object      text NOT NULL,
  search_path text NOT NULL,
  query       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  skip        text,
  derived     jsonb
);
-- Upgrade of a kasho.ddl_log created by an earlier version.
ALTER TABLE kasho.ddl_log ADD COLUMN IF NOT EXISTS derived jsonb;

-- Nested DDL (run inside a function or DO block) is derived from the catalog at ddl_command_end, in
-- the source transaction. These functions pin search_path to pg_catalog, so every name that
-- format_type, regclass/regtype and pg_get_*def print is schema-qualified; they read only the
-- objects the firing reports, so the cost stays per statement, never per database.

-- A sequence's options, as CREATE/ALTER SEQUENCE take them (GENERATED ... AS IDENTITY takes them
-- without AS: the column's type is the sequence's).
CREATE OR REPLACE FUNCTION kasho.sequence_options(p_seq oid, p_with_type boolean DEFAULT true) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT CASE WHEN p_with_type THEN format('AS %s ', s.seqtypid::regtype) ELSE '' END
      || format('INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s %s',
                s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache,
                CASE WHEN s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END)
  FROM pg_sequence s WHERE s.seqrelid = p_seq
$fn$;

-- A column as CREATE TABLE and ADD COLUMN take it: type, collation, default, generated, identity, NOT NULL.
CREATE OR REPLACE FUNCTION kasho.column_def(p_rel oid, p_attnum int2) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
      || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
              THEN (SELECT format(' COLLATE %I.%I', n.nspname, co.collname)
                      FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
                     WHERE co.oid = a.attcollation) ELSE '' END
      || CASE WHEN a.attgenerated = 's' THEN format(' GENERATED ALWAYS AS (%s) STORED', pg_get_expr(d.adbin, d.adrelid))
              WHEN d.adbin IS NOT NULL THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END
      || CASE WHEN a.attidentity IN ('a', 'd')
              THEN format(' GENERATED %s AS IDENTITY', CASE a.attidentity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END)
                || COALESCE((SELECT format(' (SEQUENCE NAME %s %s)', dep.objid::regclass, kasho.sequence_options(dep.objid, false))
                               FROM pg_depend dep
                              WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
                                AND dep.refobjid = p_rel AND dep.refobjsubid = p_attnum AND dep.deptype = 'i'
                              LIMIT 1), '')
              ELSE '' END
      || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
  FROM pg_attribute a
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = p_rel AND a.attnum = p_attnum
$fn$;

-- CREATE TABLE: columns, constraints (by name, pg_get_constraintdef), partitioning, UNLOGGED, storage
-- options. NULL (not derived) for typed tables and inheritance other than partitions.
CREATE OR REPLACE FUNCTION kasho.derive_table(p_rel oid) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  c record;
  v_cols text;
  v_cons text;
  v_sql text;
BEGIN
  SELECT * INTO c FROM pg_class WHERE oid = p_rel;
  IF c.reloftype <> 0 OR (NOT c.relispartition AND EXISTS (SELECT FROM pg_inherits i WHERE i.inhrelid = p_rel)) THEN
    RETURN NULL;
  END IF;
  SELECT string_agg(kasho.column_def(p_rel, a.attnum), ', ' ORDER BY a.attnum) INTO v_cols
    FROM pg_attribute a WHERE a.attrelid = p_rel AND a.attnum > 0 AND NOT a.attisdropped AND a.attislocal;
  SELECT string_agg(format('CONSTRAINT %I %s', k.conname, pg_get_constraintdef(k.oid)), ', ' ORDER BY k.contype <> 'p', k.conname)
    INTO v_cons
    FROM pg_constraint k WHERE k.conrelid = p_rel AND k.contype IN ('p', 'u', 'c', 'f', 'x') AND k.conislocal;
  IF c.relispartition THEN
    v_sql := format('CREATE %sTABLE %s PARTITION OF %s%s %s',
                    CASE WHEN c.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END, p_rel::regclass,
                    (SELECT i.inhparent::regclass FROM pg_inherits i WHERE i.inhrelid = p_rel LIMIT 1),
                    CASE WHEN v_cons IS NULL THEN '' ELSE ' (' || v_cons || ')' END,
                    pg_get_expr(c.relpartbound, p_rel));
  ELSE
    v_sql := format('CREATE %sTABLE %s (%s)', CASE WHEN c.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END,
                    p_rel::regclass, concat_ws(', ', v_cols, v_cons));
  END IF;
  IF c.relkind = 'p' THEN v_sql := v_sql || ' PARTITION BY ' || pg_get_partkeydef(p_rel); END IF;
  IF c.reloptions IS NOT NULL THEN v_sql := v_sql || ' WITH (' || array_to_string(c.reloptions, ', ') || ')'; END IF;
  RETURN v_sql;
END
$fn$;

-- ALTER TABLE, reconciled instead of repeated: every column and constraint whose catalog row this
-- transaction wrote (age(xmin) <= 0: the top transaction's xid or a later one, its subtransactions)
-- is re-stated idempotently. 1) ADD COLUMN IF NOT EXISTS with its full definition (a column added
-- with a default fills existing rows as on the source); 2) its type (no-op when unchanged; not for
-- columns a view, a generated column, the partition key or a parent uses), default and NOT NULL; 3) each such constraint
-- dropped if it exists and added again by name; 4) the replica identity. Dropped columns and
-- constraints come from the sql_drop trigger (kasho.derive_drops).
CREATE OR REPLACE FUNCTION kasho.derive_alter_table(p_rel oid) RETURNS text[]
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  v_name text := p_rel::regclass::text;
  v_out text[] := '{}';
  v_add text;
  v_alter text;
  v_cons text;
  v_ident text;
BEGIN
  SELECT string_agg('ADD COLUMN IF NOT EXISTS ' || kasho.column_def(p_rel, a.attnum), ', ' ORDER BY a.attnum),
         string_agg(
           concat_ws(', ',
             CASE WHEN a.attinhcount = 0
                   AND NOT EXISTS (SELECT FROM pg_depend dep
                                    WHERE dep.refclassid = 'pg_class'::regclass AND dep.refobjid = p_rel AND dep.refobjsubid = a.attnum
                                      AND (dep.classid = 'pg_rewrite'::regclass
                                           OR (dep.classid = 'pg_attrdef'::regclass AND dep.deptype = 'n')))
                   AND NOT EXISTS (SELECT FROM pg_partitioned_table pt WHERE pt.partrelid = p_rel AND a.attnum = ANY (pt.partattrs))
                  THEN format('ALTER COLUMN %I TYPE %s', a.attname, format_type(a.atttypid, a.atttypmod))
                    || CASE WHEN a.attgenerated = '' THEN format(' USING %I::%s', a.attname, format_type(a.atttypid, a.atttypmod)) ELSE '' END
             END,
             CASE WHEN a.attidentity = '' AND a.attgenerated = ''
                  THEN CASE WHEN d.adbin IS NULL THEN format('ALTER COLUMN %I DROP DEFAULT', a.attname)
                            ELSE format('ALTER COLUMN %I SET DEFAULT %s', a.attname, pg_get_expr(d.adbin, d.adrelid)) END
             END,
             format('ALTER COLUMN %I %s NOT NULL', a.attname, CASE WHEN a.attnotnull THEN 'SET' ELSE 'DROP' END)),
           ', ' ORDER BY a.attnum)
    INTO v_add, v_alter
    FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE a.attrelid = p_rel AND a.attnum > 0 AND NOT a.attisdropped
     AND (age(a.xmin) <= 0 OR age(d.xmin) <= 0);
  IF v_add IS NOT NULL THEN
    v_out := v_out || format('ALTER TABLE %s %s', v_name, v_add) || format('ALTER TABLE %s %s', v_name, v_alter);
  END IF;
  SELECT string_agg(format('DROP CONSTRAINT IF EXISTS %I, ADD CONSTRAINT %I %s', k.conname, k.conname, pg_get_constraintdef(k.oid)),
                    ', ' ORDER BY k.contype <> 'p', k.conname)
    INTO v_cons
    FROM pg_constraint k
   WHERE k.conrelid = p_rel AND k.contype IN ('p', 'u', 'c', 'f', 'x') AND k.conislocal AND age(k.xmin) <= 0;
  IF v_cons IS NOT NULL THEN v_out := v_out || format('ALTER TABLE %s %s', v_name, v_cons); END IF;
  SELECT CASE c.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING' WHEN 'd' THEN 'DEFAULT'
           ELSE (SELECT format('USING INDEX %I', ic.relname) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                  WHERE i.indrelid = p_rel AND i.indisreplident LIMIT 1) END
    INTO v_ident FROM pg_class c WHERE c.oid = p_rel AND age(c.xmin) <= 0;
  IF v_ident IS NOT NULL THEN v_out := v_out || format('ALTER TABLE %s REPLICA IDENTITY %s', v_name, v_ident); END IF;
  RETURN v_out;
END
$fn$;

-- DROPs of a nested firing, from pg_event_trigger_dropped_objects() (called by kasho.capture_drop):
-- each original object by its identity, IF EXISTS, with CASCADE when the source's drop took objects
-- that do not belong to an original one (a view, another table's constraint...).
CREATE OR REPLACE FUNCTION kasho.derive_drops() RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  v_cascade text;
BEGIN
  SELECT CASE WHEN EXISTS (
           SELECT FROM pg_event_trigger_dropped_objects() d
            WHERE NOT d.original AND NOT d.is_temporary
              AND (d.object_type IN ('table', 'view', 'materialized view', 'foreign table', 'function', 'procedure', 'table column')
                   OR (d.object_type IN ('table constraint', 'trigger', 'rule', 'policy')
                       AND NOT EXISTS (SELECT FROM pg_event_trigger_dropped_objects() o
                                        WHERE o.original AND o.address_names[1:2] = d.address_names[1:2]))))
         THEN ' CASCADE' ELSE '' END
    INTO v_cascade;
  RETURN COALESCE((
    SELECT jsonb_agg(CASE WHEN x.sql IS NULL THEN jsonb_build_object('tag', x.tag, 'object', x.object_type || ' ' || x.object_identity)
                          ELSE jsonb_build_object('tag', x.tag, 'object', x.object_identity, 'sql', x.sql) END ORDER BY x.ord)
      FROM (
        SELECT d.ord, d.object_type, d.object_identity,
               CASE WHEN d.object_type IN ('table column', 'table constraint', 'default value') THEN 'ALTER TABLE'
                    WHEN d.object_type = 'domain constraint' THEN 'ALTER DOMAIN'
                    ELSE 'DROP ' || upper(d.object_type) END AS tag,
               CASE d.object_type
                 WHEN 'table column' THEN format('ALTER TABLE %I.%I DROP COLUMN IF EXISTS %I', n[1], n[2], n[3]) || v_cascade
                 WHEN 'table constraint' THEN format('ALTER TABLE %I.%I DROP CONSTRAINT IF EXISTS %I', n[1], n[2], n[3]) || v_cascade
                 WHEN 'default value' THEN format('ALTER TABLE %I.%I ALTER COLUMN %I DROP DEFAULT', n[1], n[2], n[3])
                 WHEN 'domain constraint' THEN format('ALTER DOMAIN %s DROP CONSTRAINT IF EXISTS %I', n[1], d.address_args[1]) || v_cascade
                 WHEN 'trigger' THEN format('DROP TRIGGER IF EXISTS %I ON %I.%I', n[3], n[1], n[2]) || v_cascade
                 WHEN 'rule' THEN format('DROP RULE IF EXISTS %I ON %I.%I', n[3], n[1], n[2]) || v_cascade
                 WHEN 'policy' THEN format('DROP POLICY IF EXISTS %I ON %I.%I', n[3], n[1], n[2])
                 ELSE CASE WHEN d.object_type IN ('table', 'view', 'materialized view', 'foreign table', 'index', 'sequence',
                                                  'type', 'schema', 'function', 'procedure')
                           THEN format('DROP %s IF EXISTS %s', upper(d.object_type), d.object_identity) || v_cascade END
               END AS sql
          FROM (SELECT o.*, o.address_names AS n, row_number() OVER () AS ord
                  FROM pg_event_trigger_dropped_objects() o
                 WHERE o.original AND NOT o.is_temporary) d
      ) x), '[]'::jsonb);
END
$fn$;

-- One command that pg_event_trigger_ddl_commands() reports, as statements: NULL when not derived,
-- '{}' when nothing is to be replayed (a temporary object, an index a constraint owns, an identity's
-- sequence: each comes with its table).
CREATE OR REPLACE FUNCTION kasho.derive_command(p_tag text, p_classid oid, p_objid oid, p_objsubid int, p_type text, p_identity text)
RETURNS text[]
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  c record;
  t record;
  v_text text;
BEGIN
  IF p_tag = 'COMMENT' THEN
    IF p_type NOT IN ('table', 'table column', 'view', 'materialized view', 'index', 'sequence', 'type', 'schema',
                      'function', 'procedure', 'table constraint', 'trigger', 'foreign table') THEN
      RETURN NULL;
    END IF;
    SELECT d.description INTO v_text FROM pg_description d
     WHERE d.classoid = p_classid AND d.objoid = p_objid AND d.objsubid = p_objsubid;
    RETURN ARRAY[format('COMMENT ON %s %s IS %s',
                        CASE p_type WHEN 'table column' THEN 'COLUMN' WHEN 'table constraint' THEN 'CONSTRAINT' ELSE upper(p_type) END,
                        p_identity, quote_nullable(v_text))];
  END IF;
  IF p_classid = 'pg_class'::regclass THEN
    SELECT * INTO c FROM pg_class WHERE oid = p_objid;
    IF NOT FOUND THEN RETURN NULL; END IF;
    IF c.relpersistence = 't' THEN RETURN '{}'; END IF;
    IF c.relkind = 'i' OR c.relkind = 'I' THEN
      IF EXISTS (SELECT FROM pg_constraint k JOIN pg_index i ON i.indexrelid = p_objid
                  WHERE k.conindid = p_objid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
         OR EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = p_objid) THEN
        RETURN '{}';
      END IF;
      RETURN CASE WHEN p_tag = 'CREATE INDEX' THEN ARRAY[pg_get_indexdef(p_objid)] END;
    END IF;
    IF c.relkind = 'S' THEN
      IF EXISTS (SELECT FROM pg_depend dep WHERE dep.classid = 'pg_class'::regclass AND dep.objid = p_objid AND dep.deptype = 'i') THEN
        RETURN '{}';
      END IF;
      IF p_tag = 'CREATE SEQUENCE' THEN
        RETURN ARRAY[format('CREATE SEQUENCE %s %s', p_objid::regclass, kasho.sequence_options(p_objid))];
      ELSIF p_tag = 'ALTER SEQUENCE' THEN
        RETURN ARRAY[format('ALTER SEQUENCE %s %s OWNED BY %s', p_objid::regclass, kasho.sequence_options(p_objid),
                            COALESCE((SELECT format('%s.%I', dep.refobjid::regclass, a.attname)
                                        FROM pg_depend dep JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
                                       WHERE dep.classid = 'pg_class'::regclass AND dep.objid = p_objid
                                         AND dep.refclassid = 'pg_class'::regclass AND dep.deptype = 'a' LIMIT 1), 'NONE'))];
      END IF;
      RETURN NULL;
    END IF;
    IF c.relkind IN ('r', 'p') THEN
      IF p_tag IN ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO') THEN
        v_text := kasho.derive_table(p_objid);
        RETURN CASE WHEN v_text IS NOT NULL THEN ARRAY[v_text] END;
      ELSIF p_tag = 'ALTER TABLE' THEN
        RETURN kasho.derive_alter_table(p_objid);
      END IF;
      RETURN NULL;
    END IF;
    IF c.relkind = 'v' AND p_tag = 'CREATE VIEW' THEN
      RETURN ARRAY[format('CREATE OR REPLACE VIEW %s%s AS %s', p_objid::regclass,
                          CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' ELSE '' END,
                          rtrim(pg_get_viewdef(p_objid), ';'))];
    END IF;
    IF c.relkind = 'm' AND p_tag = 'CREATE MATERIALIZED VIEW' THEN
      RETURN ARRAY[format('CREATE MATERIALIZED VIEW %s AS %s WITH %sDATA', p_objid::regclass, rtrim(pg_get_viewdef(p_objid), ';'),
                          CASE WHEN c.relispopulated THEN '' ELSE 'NO ' END)];
    END IF;
    IF c.relkind = 'c' AND p_tag = 'CREATE TYPE' THEN
      RETURN ARRAY[format('CREATE TYPE %s AS (%s)', c.reltype::regtype,
                          (SELECT string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)
                             FROM pg_attribute a WHERE a.attrelid = p_objid AND a.attnum > 0 AND NOT a.attisdropped))];
    END IF;
    RETURN NULL;
  END IF;
  IF p_classid = 'pg_type'::regclass THEN
    SELECT * INTO t FROM pg_type WHERE oid = p_objid;
    IF NOT FOUND THEN RETURN NULL; END IF;
    IF t.typtype = 'e' AND p_tag = 'CREATE TYPE' THEN
      RETURN ARRAY[format('CREATE TYPE %s AS ENUM (%s)', p_objid::regtype,
                          (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = p_objid))];
    ELSIF t.typtype = 'e' AND p_tag = 'ALTER TYPE' THEN
      -- Every label, in order, IF NOT EXISTS: the new one lands next to its neighbour, the others are no-ops.
      RETURN (SELECT array_agg(format('ALTER TYPE %s ADD VALUE IF NOT EXISTS %L', p_objid::regtype, l.label)
                               || CASE WHEN l.prev IS NOT NULL THEN format(' AFTER %L', l.prev)
                                       WHEN l.next IS NOT NULL THEN format(' BEFORE %L', l.next) ELSE '' END
                               ORDER BY l.ord)
                FROM (SELECT e.enumlabel AS label, e.enumsortorder AS ord,
                             lag(e.enumlabel) OVER (ORDER BY e.enumsortorder) AS prev,
                             lead(e.enumlabel) OVER (ORDER BY e.enumsortorder) AS next
                        FROM pg_enum e WHERE e.enumtypid = p_objid) l);
    ELSIF t.typtype = 'd' AND p_tag = 'CREATE DOMAIN' THEN
      RETURN ARRAY[format('CREATE DOMAIN %s AS %s', p_objid::regtype, format_type(t.typbasetype, t.typtypmod))
                   || CASE WHEN t.typdefaultbin IS NOT NULL THEN ' DEFAULT ' || pg_get_expr(t.typdefaultbin, 0) ELSE '' END
                   || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
                   || COALESCE((SELECT string_agg(format(' CONSTRAINT %I %s', k.conname, pg_get_constraintdef(k.oid)), '' ORDER BY k.conname)
                                  FROM pg_constraint k WHERE k.contypid = p_objid), '')];
    ELSIF t.typtype = 'c' AND p_tag = 'CREATE TYPE' THEN
      RETURN kasho.derive_command(p_tag, 'pg_class'::regclass, t.typrelid, 0, 'composite type', p_identity);
    END IF;
    RETURN NULL;
  END IF;
  IF p_classid = 'pg_proc'::regclass AND p_tag IN ('CREATE FUNCTION', 'CREATE PROCEDURE') THEN
    RETURN CASE WHEN (SELECT p.prokind <> 'a' FROM pg_proc p WHERE p.oid = p_objid) THEN ARRAY[pg_get_functiondef(p_objid)] END;
  END IF;
  IF p_classid = 'pg_trigger'::regclass AND p_tag = 'CREATE TRIGGER' THEN
    RETURN ARRAY[pg_get_triggerdef(p_objid)];
  END IF;
  IF p_classid = 'pg_namespace'::regclass AND p_tag = 'CREATE SCHEMA' THEN
    RETURN ARRAY[format('CREATE SCHEMA IF NOT EXISTS %I', (SELECT n.nspname FROM pg_namespace n WHERE n.oid = p_objid))];
  END IF;
  RETURN NULL;
END
$fn$;

-- A nested firing: the drops kasho.capture_drop derived just before (same command), then each
-- command pg_event_trigger_ddl_commands() reports, in order.
CREATE OR REPLACE FUNCTION kasho.derive_nested() RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  r record;
  v_sql text[];
  v_created oid[] := '{}';
  v_items jsonb := COALESCE(NULLIF(current_setting('kasho.nested_drops', true), '')::jsonb, '[]'::jsonb);
  v_statements jsonb;
BEGIN
  FOR r IN SELECT c.* FROM ROWS FROM (pg_event_trigger_ddl_commands()) WITH ORDINALITY c ORDER BY c.ordinality LOOP
    -- A table created by this firing is complete in its CREATE TABLE (a foreign key adds an ALTER TABLE).
    CONTINUE WHEN r.command_tag = 'ALTER TABLE' AND r.objid = ANY (v_created);
    IF r.command_tag = 'CREATE TABLE' THEN v_created := v_created || r.objid; END IF;
    v_sql := kasho.derive_command(r.command_tag, r.classid, r.objid, r.objsubid, r.object_type, r.object_identity);
    IF v_sql IS NULL THEN
      v_items := v_items || jsonb_build_array(jsonb_build_object('tag', r.command_tag, 'object', concat_ws(' ', r.object_type, r.object_identity)));
    ELSE
      SELECT v_items || COALESCE(jsonb_agg(jsonb_build_object('tag', r.command_tag, 'object', r.object_identity, 'sql', s) ORDER BY o), '[]')
        INTO v_items FROM unnest(v_sql) WITH ORDINALITY u(s, o);
    END IF;
  END LOOP;
  SELECT COALESCE(jsonb_agg(i - 'sql' ORDER BY o) FILTER (WHERE NOT i ? 'sql'), '[]'),
         COALESCE(jsonb_agg(i ORDER BY o) FILTER (WHERE i ? 'sql'), '[]')
    INTO v_items, v_statements
    FROM jsonb_array_elements(v_items) WITH ORDINALITY e(i, o);
  RETURN jsonb_build_object('statements', v_statements, 'skipped', v_items);
END
$fn$;

-- sql_drop runs just before ddl_command_end of the same command: it marks drops of kasho's objects
-- and drops of temporary objects only (never replayed: the target has no such object), and for a
-- nested firing leaves the derived DROPs for kasho.capture_ddl in kasho.nested_drops.
CREATE OR REPLACE FUNCTION kasho.capture_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER AS $drop$
DECLARE
  v_context text;
BEGIN
  -- DDL run by Kasho's publication upkeep (below) is Kasho's own: neither logged nor replicated.
  IF pg_catalog.current_setting('kasho.upkeep', true) OPERATOR(pg_catalog.=) 'on' THEN
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger_dropped_objects() d WHERE NOT d.is_temporary) THEN
    PERFORM pg_catalog.set_config('kasho.dropping', 'temporary', true);
  ELSIF EXISTS (
    SELECT FROM pg_catalog.pg_event_trigger_dropped_objects() d
    WHERE d.schema_name OPERATOR(pg_catalog.=) 'kasho'
       OR (d.object_type OPERATOR(pg_catalog.=) 'schema' AND d.object_identity OPERATOR(pg_catalog.=) 'kasho')
  ) THEN
    PERFORM pg_catalog.set_config('kasho.dropping', 'kasho', true);
  END IF;
  GET DIAGNOSTICS v_context = PG_CONTEXT;
  IF pg_catalog.strpos(v_context, E'\n') OPERATOR(pg_catalog.>) 0 THEN
    BEGIN
      PERFORM pg_catalog.set_config('kasho.nested_drops', kasho.derive_drops()::pg_catalog.text, true);
    EXCEPTION WHEN OTHERS THEN
      PERFORM pg_catalog.set_config('kasho.nested_drops', pg_catalog.jsonb_build_array(
        pg_catalog.jsonb_build_object('tag', tg_tag, 'object', 'dropped objects (not derived: error ' OPERATOR(pg_catalog.||) SQLSTATE OPERATOR(pg_catalog.||) ')'))::pg_catalog.text, true);
    END;
  END IF;
END
$drop$;

CREATE OR REPLACE FUNCTION kasho.capture_ddl() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER AS $capture$
DECLARE
  v_context text;
  v_commands int;
  v_skip text;
  v_nested pg_catalog.bool;
  v_derived pg_catalog.jsonb;
  v_object pg_catalog.text;
BEGIN
  IF tg_tag OPERATOR(pg_catalog.=) 'REINDEX'
     OR pg_catalog.current_setting('kasho.upkeep', true) OPERATOR(pg_catalog.=) 'on'
     OR EXISTS (SELECT FROM pg_catalog.pg_event_trigger_ddl_commands() c WHERE c.in_extension) THEN
    RETURN;
  END IF;
  SELECT pg_catalog.count(*) INTO v_commands FROM pg_catalog.pg_event_trigger_ddl_commands();
  IF pg_catalog.current_setting('kasho.dropping', true) OPERATOR(pg_catalog.=) 'kasho' OR EXISTS (
    SELECT FROM pg_catalog.pg_event_trigger_ddl_commands() c
    WHERE c.schema_name OPERATOR(pg_catalog.=) 'kasho'
       OR (c.object_type OPERATOR(pg_catalog.=) 'schema' AND c.object_identity OPERATOR(pg_catalog.=) 'kasho')
  ) THEN
    v_skip := 'kasho schema';
  ELSIF tg_tag OPERATOR(pg_catalog.~) '^(CREATE|ALTER|DROP) (PUBLICATION|SUBSCRIPTION)$' THEN
    v_skip := 'replication setting';
  ELSIF v_commands OPERATOR(pg_catalog.=) 0 AND tg_tag OPERATOR(pg_catalog.~~) 'CREATE %' THEN
    v_skip := 'no-op';
  ELSIF pg_catalog.current_setting('kasho.dropping', true) OPERATOR(pg_catalog.=) 'temporary' THEN
    v_skip := 'temporary';
  END IF;
  GET DIAGNOSTICS v_context = PG_CONTEXT;
  v_nested := pg_catalog.strpos(v_context, E'\n') OPERATOR(pg_catalog.>) 0;
  v_object := COALESCE((SELECT c.object_identity
                        FROM ROWS FROM (pg_catalog.pg_event_trigger_ddl_commands()) WITH ORDINALITY c
                        ORDER BY (c.command_tag OPERATOR(pg_catalog.=) tg_tag) DESC, c.ordinality
                        LIMIT 1), '');
  IF v_nested AND v_skip IS NULL THEN
    -- Never make the source's DDL fail: an error while deriving is logged as one skipped command.
    BEGIN
      v_derived := kasho.derive_nested();
    EXCEPTION WHEN OTHERS THEN
      v_derived := pg_catalog.jsonb_build_object('statements', '[]'::pg_catalog.jsonb, 'skipped', pg_catalog.jsonb_build_array(
        pg_catalog.jsonb_build_object('tag', tg_tag, 'object',
          CASE WHEN v_object OPERATOR(pg_catalog.=) '' THEN 'an unnamed object' ELSE v_object END
          OPERATOR(pg_catalog.||) ' (not derived: error ' OPERATOR(pg_catalog.||) SQLSTATE OPERATOR(pg_catalog.||) ')')));
    END;
  END IF;
  PERFORM pg_catalog.set_config('kasho.dropping', '', true);
  PERFORM pg_catalog.set_config('kasho.nested_drops', '', true);
  INSERT INTO kasho.ddl_log (txid, ordinal, tag, object, search_path, query, skip, derived)
  SELECT pg_catalog.txid_current(),
         CASE WHEN v_nested THEN 0
              ELSE (SELECT pg_catalog.count(*) FROM kasho.ddl_log l
                    WHERE l.txid OPERATOR(pg_catalog.=) pg_catalog.txid_current()
                      AND l.query OPERATOR(pg_catalog.=) pg_catalog.current_query()
                      AND l.ordinal OPERATOR(pg_catalog.>) 0)::pg_catalog.int4 OPERATOR(pg_catalog.+) 1
         END,
         tg_tag,
         v_object,
         pg_catalog.current_setting('search_path'),
         pg_catalog.current_query(),
         v_skip,
         v_derived;
END
$capture$;

-- Publication upkeep. Kasho's publications are lists, never FOR ALL TABLES (as soon as one of those
-- exists, PostgreSQL refuses UPDATE and DELETE on every table without a replica identity). For each
-- pipeline (a row of kasho.publications, written by sql/20-publication.sql):
--   <publication>          insert, update, delete, truncate: the selected tables with a replica identity
--                          (primary key, REPLICA IDENTITY USING INDEX, or FULL);
--   <publication>_inserts  insert, truncate only: kasho.ddl_log (the DDL) and, with no_key_tables =
--                          'insert-only', the selected tables without one (their UPDATE and DELETE are
--                          accepted by the source and not replicated). 'full' sets REPLICA IDENTITY FULL
--                          on them instead; 'skip' leaves them out.
-- Selected: ordinary and partitioned tables (a partition travels with its root), permanent, made by a
-- user, outside pg_catalog, information_schema and kasho, whose schema.table matches no exclude_tables
-- glob (* any characters, ? one). A publication the user made (manages_main false) is never altered:
-- only <publication>_inserts is Kasho's, with kasho.ddl_log alone.
-- The event trigger kasho_publication_upkeep keeps the lists in step with DDL, in the DDL's own
-- transaction (a table created and filled in one transaction is published from its first row). It never
-- makes the DDL fail: an error is raised as a WARNING and recorded in kasho.publication_upkeep_errors,
-- and kasho.setup_publications (run by pg-change-stream at every start) reconciles the lists with the
-- catalog. DDL run by the upkeep itself (ALTER PUBLICATION, REPLICA IDENTITY FULL) is not logged.

CREATE TABLE IF NOT EXISTS kasho.publications (
  publication         text PRIMARY KEY,
  inserts_publication text NOT NULL,
  manages_main        boolean NOT NULL,
  no_key_tables       text NOT NULL CHECK (no_key_tables IN ('insert-only', 'full', 'skip')),
  exclude_tables      text[] NOT NULL DEFAULT '{}',
  via_partition_root  boolean NOT NULL DEFAULT false,
  -- The WAL position after <publication>_inserts was created: pgoutput refuses to decode a change
  -- committed before a publication it is given existed, so a slot older than it streams from
  -- <publication> alone until it has passed this position.
  inserts_since_lsn   pg_lsn,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS kasho.publication_upkeep_errors (
  id          bigserial PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  publication text NOT NULL,
  object      text NOT NULL,
  error       text NOT NULL
);

-- A relation's own replica identity: FULL, or the index it names (the primary key by default).
CREATE OR REPLACE FUNCTION kasho.own_replica_identity(p_rel oid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT CASE c.relreplident
           WHEN 'f' THEN true
           WHEN 'd' THEN EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
           WHEN 'i' THEN EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)
           ELSE false
         END
  FROM pg_class c WHERE c.oid = p_rel
$fn$;

-- Whether UPDATE and DELETE stay possible with the table in a publication that publishes them. Writes to
-- a partitioned table land in its partitions, and PostgreSQL checks each partition's own identity, so
-- every partition must have one; with publish_via_partition_root the root's identity describes the
-- old rows, so it must have one too.
CREATE OR REPLACE FUNCTION kasho.has_replica_identity(p_rel oid, p_via_root boolean) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT CASE WHEN c.relkind = 'p'
              THEN (NOT p_via_root OR kasho.own_replica_identity(c.oid))
                   AND NOT EXISTS (SELECT FROM pg_partition_tree(c.oid) t JOIN pg_class l ON l.oid = t.relid
                                    WHERE t.isleaf AND l.relkind = 'r' AND NOT kasho.own_replica_identity(l.oid))
              ELSE kasho.own_replica_identity(c.oid)
         END
  FROM pg_class c WHERE c.oid = p_rel
$fn$;

-- EXCLUDE_TABLES globs as LIKE patterns (\ % _ escaped; * is %, ? is _).
CREATE OR REPLACE FUNCTION kasho.glob_patterns(p_globs text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT COALESCE(array_agg(replace(replace(replace(replace(replace(g, '\', '\\'), '%', '\%'), '_', '\_'), '*', '%'), '?', '_')), '{}')
  FROM unnest(p_globs) g
$fn$;

CREATE OR REPLACE FUNCTION kasho.table_selected(p_rel oid, p_exclude text[]) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT COALESCE((
    SELECT c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence = 'p' AND c.oid >= 16384
           AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'kasho') AND n.nspname !~ '^pg_(toast|temp)'
           AND NOT (n.nspname || '.' || c.relname LIKE ANY (kasho.glob_patterns(p_exclude)))
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_rel), false)
$fn$;

-- Puts one table (a partitioned table: its root) where the pipeline's settings say, moving it between
-- the two publications when its replica identity changed. Returns what it did, or NULL.
CREATE OR REPLACE FUNCTION kasho.place_table(s kasho.publications, p_rel oid) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  v_main oid;
  v_inserts oid;
  v_want text;
  v_did text[] := '{}';
  v_leaf oid;
  v_pub name;
  v_only text; -- ONLY: adding a table with inheritance children would add them too, whatever their identity
BEGIN
  IF NOT s.manages_main OR NOT EXISTS (SELECT FROM pg_class WHERE oid = p_rel)
     OR (SELECT n.nspname = 'kasho' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_rel) THEN
    RETURN NULL;
  END IF;
  SELECT oid INTO v_main FROM pg_publication WHERE pubname = s.publication;
  SELECT oid INTO v_inserts FROM pg_publication WHERE pubname = s.inserts_publication;
  IF v_main IS NULL OR v_inserts IS NULL THEN
    RAISE EXCEPTION 'publication % or % is missing', s.publication, s.inserts_publication;
  END IF;
  IF (SELECT puballtables FROM pg_publication WHERE oid = v_main) THEN
    RETURN NULL; -- an earlier Kasho's FOR ALL TABLES, not converted yet: it holds every table
  END IF;
  v_only := CASE WHEN (SELECT relkind FROM pg_class WHERE oid = p_rel) = 'r' THEN 'ONLY ' ELSE '' END || p_rel::regclass::text;
  IF kasho.table_selected(p_rel, s.exclude_tables) THEN
    IF kasho.has_replica_identity(p_rel, s.via_partition_root) THEN
      v_want := 'main';
    ELSIF s.no_key_tables = 'full' THEN
      FOR v_leaf IN SELECT t.relid FROM pg_partition_tree(p_rel) t JOIN pg_class l ON l.oid = t.relid
                     WHERE l.relkind IN ('r', 'p') AND NOT kasho.own_replica_identity(l.oid)
                    UNION ALL SELECT p_rel WHERE NOT EXISTS (SELECT FROM pg_partition_tree(p_rel)) LOOP
        EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', v_leaf::regclass);
        v_did := v_did || format('set REPLICA IDENTITY FULL on %s', v_leaf::regclass);
      END LOOP;
      v_want := 'main';
    ELSIF s.no_key_tables = 'insert-only' THEN
      v_want := 'inserts';
    END IF;
  END IF;
  IF v_want IS DISTINCT FROM 'main' AND EXISTS (SELECT FROM pg_publication_rel WHERE prpubid = v_main AND prrelid = p_rel) THEN
    EXECUTE format('ALTER PUBLICATION %I DROP TABLE %s', s.publication, v_only);
    v_did := v_did || format('removed %s from %s', p_rel::regclass, s.publication);
  END IF;
  IF v_want IS DISTINCT FROM 'inserts' AND EXISTS (SELECT FROM pg_publication_rel WHERE prpubid = v_inserts AND prrelid = p_rel) THEN
    EXECUTE format('ALTER PUBLICATION %I DROP TABLE %s', s.inserts_publication, v_only);
    v_did := v_did || format('removed %s from %s', p_rel::regclass, s.inserts_publication);
  END IF;
  IF v_want = 'main' AND NOT EXISTS (SELECT FROM pg_publication_rel WHERE prpubid = v_main AND prrelid = p_rel) THEN
    EXECUTE format('ALTER PUBLICATION %I ADD TABLE %s', s.publication, v_only);
    v_did := v_did || format('added %s to %s', p_rel::regclass, s.publication);
  ELSIF v_want = 'inserts' AND NOT EXISTS (SELECT FROM pg_publication_rel WHERE prpubid = v_inserts AND prrelid = p_rel) THEN
    EXECUTE format('ALTER PUBLICATION %I ADD TABLE %s', s.inserts_publication, v_only);
    v_did := v_did || format('added %s to %s (inserts and truncates only: no replica identity)', p_rel::regclass, s.inserts_publication);
  END IF;
  -- A table attached as a partition now travels with its root.
  FOR v_pub, v_leaf IN SELECT p.pubname, r.prrelid FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid
                        JOIN pg_partition_tree(p_rel) t ON t.relid = r.prrelid
                       WHERE r.prpubid IN (v_main, v_inserts) AND r.prrelid <> p_rel LOOP
    EXECUTE format('ALTER PUBLICATION %I DROP TABLE %s', v_pub, v_leaf::regclass);
    v_did := v_did || format('removed partition %s from %s (it travels with %s)', v_leaf::regclass, v_pub, p_rel::regclass);
  END LOOP;
  RETURN CASE WHEN cardinality(v_did) > 0 THEN array_to_string(v_did, '; ') END;
END
$fn$;

-- Every table where the settings say, kasho.ddl_log in <publication>_inserts, publish_via_partition_root
-- as set: the whole catalog, at every start (the lists may have drifted, e.g. DDL while the event
-- trigger was disabled). Returns what it changed.
CREATE OR REPLACE FUNCTION kasho.reconcile_publications(s kasho.publications) RETURNS SETOF text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  v_rel oid;
  v_line text;
  v_pub text;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid
                  WHERE p.pubname = s.inserts_publication AND r.prrelid = 'kasho.ddl_log'::regclass) THEN
    EXECUTE format('ALTER PUBLICATION %I ADD TABLE kasho.ddl_log', s.inserts_publication);
    RETURN NEXT format('added kasho.ddl_log to %s', s.inserts_publication);
  END IF;
  FOREACH v_pub IN ARRAY CASE WHEN s.manages_main THEN ARRAY[s.publication, s.inserts_publication] ELSE ARRAY[s.inserts_publication] END LOOP
    IF (SELECT p.pubviaroot IS DISTINCT FROM s.via_partition_root FROM pg_publication p WHERE p.pubname = v_pub) THEN
      EXECUTE format('ALTER PUBLICATION %I SET (publish_via_partition_root = %s)', v_pub, s.via_partition_root::text);
      RETURN NEXT format('set publish_via_partition_root = %s on %s', s.via_partition_root::text, v_pub);
    END IF;
  END LOOP;
  IF NOT s.manages_main THEN
    RETURN;
  END IF;
  FOR v_rel IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence = 'p' AND c.oid >= 16384
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'kasho')
               UNION
               SELECT r.prrelid FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid
                WHERE p.pubname IN (s.publication, s.inserts_publication) AND r.prrelid <> 'kasho.ddl_log'::regclass LOOP
    v_line := kasho.place_table(s, v_rel);
    IF v_line IS NOT NULL THEN
      RETURN NEXT v_line;
    END IF;
  END LOOP;
END
$fn$;

-- What pg-change-stream and sql/20-publication.sql run: records the pipeline's settings, creates the
-- two publications (with a comment starting 'managed by Kasho'), converts the FOR ALL TABLES
-- publication an earlier Kasho made (named p_publication, FOR ALL TABLES, all four actions, no
-- comment) once the slot p_slot no longer needs it, and reconciles. A publication p_publication
-- without Kasho's comment is the user's: never altered. Returns what it did, one line each.
CREATE OR REPLACE FUNCTION kasho.setup_publications(p_publication text, p_no_key_tables text, p_exclude_tables text,
                                                    p_via_root boolean, p_slot text) RETURNS SETOF text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  v_inserts text := p_publication || '_inserts';
  v_exclude text[];
  v_main pg_publication;
  v_main_comment text;
  v_legacy boolean := false;
  v_manages boolean;
  v_settings kasho.publications;
  v_slot_lsn pg_lsn;
  v_slot_exists boolean;
  v_line text;
  v_with text := format('publish_via_partition_root = %s', p_via_root::text);
BEGIN
  IF p_no_key_tables NOT IN ('insert-only', 'full', 'skip') THEN
    RAISE EXCEPTION 'no_key_tables must be insert-only, full or skip, not "%"', p_no_key_tables;
  END IF;
  SELECT COALESCE(array_agg(CASE WHEN strpos(g, '.') > 0 THEN g ELSE 'public.' || g END ORDER BY o), '{}') INTO v_exclude
    FROM unnest(string_to_array(p_exclude_tables, ',')) WITH ORDINALITY u(raw, o), btrim(raw) g WHERE g <> '';
  PERFORM set_config('kasho.upkeep', 'on', true);

  SELECT * INTO v_main FROM pg_publication WHERE pubname = p_publication;
  v_main_comment := obj_description(v_main.oid, 'pg_publication');
  SELECT true, s.confirmed_flush_lsn INTO v_slot_exists, v_slot_lsn FROM pg_replication_slots s WHERE s.slot_name = p_slot;
  SELECT * INTO v_settings FROM kasho.publications WHERE publication = p_publication;

  IF v_main.oid IS NULL THEN
    EXECUTE format('CREATE PUBLICATION %I WITH (publish = ''insert, update, delete, truncate'', %s)', p_publication, v_with);
    RETURN NEXT format('created publication %s (tables with a replica identity)', p_publication);
    v_manages := true;
  ELSIF v_main_comment LIKE 'managed by Kasho%' THEN
    v_manages := true;
  ELSIF v_main.puballtables AND v_main_comment IS NULL AND v_main.pubinsert AND v_main.pubupdate AND v_main.pubdelete
        AND v_main.pubtruncate AND NOT v_main.pubviaroot THEN
    v_legacy := true;
    v_manages := true;
  ELSE
    v_manages := false;
  END IF;

  IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = v_inserts) THEN
    EXECUTE format('CREATE PUBLICATION %I WITH (publish = ''insert, truncate'', %s)', v_inserts, v_with);
    RETURN NEXT format('created publication %s (inserts and truncates: kasho.ddl_log%s)', v_inserts,
                       CASE WHEN v_manages THEN ', tables without a replica identity' ELSE '' END);
    v_settings.inserts_since_lsn := NULL;
  END IF;
  EXECUTE format('COMMENT ON PUBLICATION %I IS %L', v_inserts,
                 format('managed by Kasho: inserts and truncates of pipeline %s (kasho.ddl_log, tables without a replica identity)', p_publication));

  INSERT INTO kasho.publications AS k (publication, inserts_publication, manages_main, no_key_tables, exclude_tables,
                                        via_partition_root, inserts_since_lsn, updated_at)
  VALUES (p_publication, v_inserts, v_manages, p_no_key_tables, v_exclude, p_via_root, v_settings.inserts_since_lsn, now())
  ON CONFLICT (publication) DO UPDATE
    SET inserts_publication = excluded.inserts_publication, manages_main = excluded.manages_main,
        no_key_tables = excluded.no_key_tables, exclude_tables = excluded.exclude_tables,
        via_partition_root = excluded.via_partition_root, inserts_since_lsn = excluded.inserts_since_lsn, updated_at = now()
  RETURNING * INTO v_settings;

  IF v_legacy THEN
    -- pgoutput decodes each change with the catalog as it was then, so the slot must have passed the
    -- creation of <publication>_inserts (inserts_since_lsn) before the old publication may lose
    -- kasho.ddl_log and the tables without a replica identity; until then it stays FOR ALL TABLES.
    IF v_slot_exists AND (v_settings.inserts_since_lsn IS NULL OR v_slot_lsn < v_settings.inserts_since_lsn) THEN
      RETURN NEXT format('kept %s FOR ALL TABLES (made by an earlier Kasho) until slot %s has passed the creation of %s',
                         p_publication, p_slot, v_inserts);
      v_settings.manages_main := false; -- for now: kasho.ddl_log in <publication>_inserts only
      RETURN QUERY SELECT * FROM kasho.reconcile_publications(v_settings);
      RETURN;
    END IF;
    EXECUTE format('DROP PUBLICATION %I', p_publication);
    EXECUTE format('CREATE PUBLICATION %I WITH (publish = ''insert, update, delete, truncate'', %s)', p_publication, v_with);
    RETURN NEXT format('converted %s from FOR ALL TABLES (made by an earlier Kasho) to a list of tables', p_publication);
  END IF;
  IF v_manages THEN
    EXECUTE format('COMMENT ON PUBLICATION %I IS %L', p_publication,
                   format('managed by Kasho: pipeline %s; no_key_tables=%s; exclude_tables=%s; publish_via_partition_root=%s',
                          p_publication, p_no_key_tables, array_to_string(v_exclude, ','), p_via_root::text));
  END IF;
  FOR v_line IN SELECT * FROM kasho.reconcile_publications(v_settings) LOOP
    RETURN NEXT v_line;
  END LOOP;
  DELETE FROM kasho.publication_upkeep_errors WHERE publication = p_publication;
END
$fn$;

-- CREATE TABLE AS and SELECT INTO write their rows before ddl_command_end, so before the table is in a
-- publication: pgoutput would not publish them. The table is put in <publication>_inserts and its rows
-- written again, after the DDL in WAL order (deleted and inserted in one statement; the delete is not
-- published there). Not when a publication streamed already published them (FOR ALL TABLES, or FOR
-- TABLES IN SCHEMA). Its cost is that of the statement's own rows.
CREATE OR REPLACE FUNCTION kasho.republish_created_rows(p_rel oid) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  s kasho.publications;
  v_added boolean := false;
BEGIN
  IF EXISTS (SELECT FROM kasho.publications k
               JOIN pg_publication_tables t ON t.pubname IN (k.publication, k.inserts_publication)
               JOIN pg_namespace n ON n.nspname = t.schemaname
               JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.tablename
              WHERE c.oid = p_rel) THEN
    RETURN;
  END IF;
  FOR s IN SELECT * FROM kasho.publications WHERE manages_main AND no_key_tables <> 'skip' ORDER BY publication LOOP
    CONTINUE WHEN NOT kasho.table_selected(p_rel, s.exclude_tables);
    EXECUTE format('ALTER PUBLICATION %I ADD TABLE ONLY %s', s.inserts_publication, p_rel::regclass);
    v_added := true;
  END LOOP;
  IF v_added THEN
    EXECUTE format('WITH d AS (DELETE FROM ONLY %1$s RETURNING *) INSERT INTO %1$s SELECT * FROM d', p_rel::regclass);
  END IF;
END
$fn$;

-- The event trigger: the tables a DDL command created or altered (a partition: its root) are placed
-- again. DROP INDEX may remove the index a REPLICA IDENTITY USING INDEX names: those tables are placed
-- again too. Constant cost per statement, whatever the size of the database.
CREATE OR REPLACE FUNCTION kasho.publication_upkeep() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $upkeep$
DECLARE
  v_rels oid[];
  v_rel oid;
  s kasho.publications;
BEGIN
  IF current_setting('kasho.upkeep', true) = 'on'
     OR tg_tag NOT IN ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO', 'ALTER TABLE', 'DROP INDEX') THEN
    RETURN;
  END IF;
  BEGIN
    PERFORM set_config('kasho.upkeep', 'on', true);
    SELECT array_agg(DISTINCT COALESCE(pg_partition_root(c.objid), c.objid)) INTO v_rels
      FROM pg_event_trigger_ddl_commands() c JOIN pg_class r ON r.oid = c.objid
     WHERE c.classid = 'pg_class'::regclass AND r.relkind IN ('r', 'p') AND NOT c.in_extension;
    IF tg_tag IN ('CREATE TABLE AS', 'SELECT INTO') THEN
      FOREACH v_rel IN ARRAY COALESCE(v_rels, '{}') LOOP
        BEGIN
          PERFORM kasho.republish_created_rows(v_rel);
        EXCEPTION WHEN OTHERS THEN
          RAISE WARNING 'Kasho could not publish the rows of %: % (SQLSTATE %); the DDL went through, and they are not replicated',
            v_rel::regclass, SQLERRM, SQLSTATE;
          INSERT INTO kasho.publication_upkeep_errors (publication, object, error)
          VALUES ('*', v_rel::regclass::text, format('rows of %s not published: %s (SQLSTATE %s)', tg_tag, SQLERRM, SQLSTATE));
        END;
      END LOOP;
    END IF;
    FOR s IN SELECT * FROM kasho.publications WHERE manages_main ORDER BY publication LOOP
      FOREACH v_rel IN ARRAY COALESCE(v_rels, '{}') || CASE WHEN tg_tag = 'DROP INDEX' THEN ARRAY(
          SELECT r.prrelid FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid JOIN pg_class c ON c.oid = r.prrelid
           WHERE p.pubname = s.publication AND c.relreplident = 'i') ELSE '{}' END LOOP
        BEGIN
          PERFORM kasho.place_table(s, v_rel);
        EXCEPTION WHEN OTHERS THEN
          RAISE WARNING 'Kasho could not update publication % for %: % (SQLSTATE %); the DDL went through, and pg-change-stream reconciles the publication at its next start',
            s.publication, v_rel::regclass, SQLERRM, SQLSTATE;
          INSERT INTO kasho.publication_upkeep_errors (publication, object, error)
          VALUES (s.publication, v_rel::regclass::text, format('%s (SQLSTATE %s)', SQLERRM, SQLSTATE));
        END;
      END LOOP;
    END LOOP;
  EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'Kasho publication upkeep failed after %: % (SQLSTATE %); the DDL went through, and pg-change-stream reconciles its publications at its next start',
      tg_tag, SQLERRM, SQLSTATE;
    BEGIN
      INSERT INTO kasho.publication_upkeep_errors (publication, object, error)
      VALUES ('*', tg_tag, format('%s (SQLSTATE %s)', SQLERRM, SQLSTATE));
    EXCEPTION WHEN OTHERS THEN
      NULL;
    END;
  END;
  PERFORM set_config('kasho.upkeep', '', true);
END
$upkeep$;

COMMENT ON FUNCTION kasho.capture_ddl() IS 'kasho ddl capture v3';

DO $trigger$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger WHERE evtname = 'kasho_capture_ddl') THEN
    CREATE EVENT TRIGGER kasho_capture_ddl ON ddl_command_end EXECUTE FUNCTION kasho.capture_ddl();
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger WHERE evtname = 'kasho_capture_drop') THEN
    CREATE EVENT TRIGGER kasho_capture_drop ON sql_drop EXECUTE FUNCTION kasho.capture_drop();
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger WHERE evtname = 'kasho_publication_upkeep') THEN
    CREATE EVENT TRIGGER kasho_publication_upkeep ON ddl_command_end EXECUTE FUNCTION kasho.publication_upkeep();
  END IF;
END
$trigger$;
