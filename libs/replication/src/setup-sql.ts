// GENERATED from sql/*.sql: KASHO_REGENERATE_SQL=1 npx jest libs/replication/src/setup-sql. Do not edit.
// Embedded so the setup runs from dist/ without the sql/ folder; setup-sql.spec.ts keeps it identical.
export const SETUP_SQL = {
  '00-check-wal-level.sql': String.raw`-- Kasho: check that the source can do logical decoding.
--   psql "<source connection>" -f sql/00-check-wal-level.sql
-- ok must be true. If it is not, a superuser runs
--   ALTER SYSTEM SET wal_level = logical;
-- and PostgreSQL is restarted (wal_level only changes at server start). Managed services expose it
-- as a parameter instead (RDS/Aurora: rds.logical_replication = 1; Cloud SQL: cloudsql.logical_decoding = on).
-- Also check max_replication_slots and max_wal_senders are at least 1 more than already in use.
SELECT pg_catalog.current_setting('wal_level') AS wal_level,
       pg_catalog.current_setting('wal_level') = 'logical' AS ok,
       pg_catalog.current_setting('max_replication_slots') AS max_replication_slots,
       pg_catalog.current_setting('max_wal_senders') AS max_wal_senders;
`,
  '10-ddl-capture.sql': String.raw`-- Kasho DDL capture. pgoutput does not carry DDL, so an event trigger records every DDL statement in
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
-- gets ordinal 0: Kasho cannot tell which statement it was and stops with an error instead of guessing.
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
  skip        text
);

-- sql_drop runs just before ddl_command_end of the same command: it marks drops of kasho's objects,
-- and drops of temporary objects only (never replayed: the target has no such object).
CREATE OR REPLACE FUNCTION kasho.capture_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER AS $drop$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger_dropped_objects() d WHERE NOT d.is_temporary) THEN
    PERFORM pg_catalog.set_config('kasho.dropping', 'temporary', true);
  ELSIF EXISTS (
    SELECT FROM pg_catalog.pg_event_trigger_dropped_objects() d
    WHERE d.schema_name OPERATOR(pg_catalog.=) 'kasho'
       OR (d.object_type OPERATOR(pg_catalog.=) 'schema' AND d.object_identity OPERATOR(pg_catalog.=) 'kasho')
  ) THEN
    PERFORM pg_catalog.set_config('kasho.dropping', 'kasho', true);
  END IF;
END
$drop$;

CREATE OR REPLACE FUNCTION kasho.capture_ddl() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER AS $capture$
DECLARE
  v_context text;
  v_commands int;
  v_skip text;
BEGIN
  IF tg_tag OPERATOR(pg_catalog.=) 'REINDEX'
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
  PERFORM pg_catalog.set_config('kasho.dropping', '', true);
  GET DIAGNOSTICS v_context = PG_CONTEXT;
  INSERT INTO kasho.ddl_log (txid, ordinal, tag, object, search_path, query, skip)
  SELECT pg_catalog.txid_current(),
         CASE WHEN pg_catalog.strpos(v_context, E'\n') OPERATOR(pg_catalog.>) 0 THEN 0
              ELSE (SELECT pg_catalog.count(*) FROM kasho.ddl_log l
                    WHERE l.txid OPERATOR(pg_catalog.=) pg_catalog.txid_current()
                      AND l.query OPERATOR(pg_catalog.=) pg_catalog.current_query()
                      AND l.ordinal OPERATOR(pg_catalog.>) 0)::pg_catalog.int4 OPERATOR(pg_catalog.+) 1
         END,
         tg_tag,
         COALESCE((SELECT c.object_identity
                   FROM ROWS FROM (pg_catalog.pg_event_trigger_ddl_commands()) WITH ORDINALITY c
                   ORDER BY (c.command_tag OPERATOR(pg_catalog.=) tg_tag) DESC, c.ordinality
                   LIMIT 1), ''),
         pg_catalog.current_setting('search_path'),
         pg_catalog.current_query(),
         v_skip;
END
$capture$;

COMMENT ON FUNCTION kasho.capture_ddl() IS 'kasho ddl capture v2';

DO $trigger$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger WHERE evtname = 'kasho_capture_ddl') THEN
    CREATE EVENT TRIGGER kasho_capture_ddl ON ddl_command_end EXECUTE FUNCTION kasho.capture_ddl();
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger WHERE evtname = 'kasho_capture_drop') THEN
    CREATE EVENT TRIGGER kasho_capture_drop ON sql_drop EXECUTE FUNCTION kasho.capture_drop();
  END IF;
END
$trigger$;
`,
  '20-publication.sql': String.raw`-- Kasho publication: every table, including kasho.ddl_log (which carries the DDL). FOR ALL TABLES
-- needs a superuser. Create it before the slot (30-replication-slot.sql). Idempotent.
--   psql "<source connection>" -v publication_name=kasho_pub -f sql/20-publication.sql
\if :{?publication_name}
\else
\set publication_name kasho_pub
\endif
SELECT pg_catalog.set_config('kasho.publication_name', :'publication_name', false);
DO $publication$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_publication
                 WHERE pubname = pg_catalog.current_setting('kasho.publication_name')) THEN
    EXECUTE pg_catalog.format('CREATE PUBLICATION %I FOR ALL TABLES',
                              pg_catalog.current_setting('kasho.publication_name'));
  END IF;
END
$publication$;
`,
  '30-replication-slot.sql': String.raw`-- Kasho replication slot (pgoutput). Needs a superuser or a role WITH REPLICATION. Run it as its own
-- statement: a slot cannot be created in a transaction that has already written. Idempotent.
--   psql "<source connection>" -v slot_name=kasho_slot -f sql/30-replication-slot.sql
-- A slot retains WAL until it is acknowledged: drop it when Kasho is retired, with
--   SELECT pg_drop_replication_slot('kasho_slot');
\if :{?slot_name}
\else
\set slot_name kasho_slot
\endif
SELECT pg_catalog.pg_create_logical_replication_slot(:'slot_name', 'pgoutput')
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_replication_slots WHERE slot_name = :'slot_name');
`,
} as const;

export type SetupSqlFile = keyof typeof SETUP_SQL;
