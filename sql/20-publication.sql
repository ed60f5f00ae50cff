-- Kasho publication: every table, including kasho.ddl_log (which carries the DDL). FOR ALL TABLES
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
