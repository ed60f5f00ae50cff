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
