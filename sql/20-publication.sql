-- Kasho publications: lists of tables, never FOR ALL TABLES (which would make PostgreSQL refuse UPDATE
-- and DELETE on every table without a replica identity). Run after 10-ddl-capture.sql, before the slot
-- (30-replication-slot.sql). Needs the owner of the tables or a superuser. Idempotent; re-run it to
-- reconcile the lists with the catalog (pg-change-stream runs it at every start).
--   psql "<source connection>" -v publication_name=kasho_pub -v no_key_tables=insert-only \
--        -v exclude_tables='audit.*,public.tmp_*' -v publish_via_partition_root=false -v slot_name=kasho_slot \
--        -f sql/20-publication.sql
-- Creates <publication_name> (the tables with a replica identity: every action) and
-- <publication_name>_inserts (inserts and truncates: kasho.ddl_log, and the tables without a replica
-- identity when no_key_tables = insert-only; full sets REPLICA IDENTITY FULL on them, skip leaves them
-- out). exclude_tables: comma-separated globs on schema.table (* and ?; a name without a schema is in
-- public). The values must match pg-change-stream's PUBLICATION, NO_KEY_TABLES, EXCLUDE_TABLES,
-- PUBLISH_VIA_PARTITION_ROOT and REPLICATION_SLOT. A publication_name that names a publication you
-- made yourself is used as it is and never altered. See kasho.setup_publications in 10-ddl-capture.sql.
\if :{?publication_name}
\else
\set publication_name kasho_pub
\endif
\if :{?no_key_tables}
\else
\set no_key_tables insert-only
\endif
\if :{?exclude_tables}
\else
\set exclude_tables ''
\endif
\if :{?publish_via_partition_root}
\else
\set publish_via_partition_root false
\endif
\if :{?slot_name}
\else
\set slot_name kasho_slot
\endif
BEGIN;
SELECT kasho.setup_publications(:'publication_name', :'no_key_tables', :'exclude_tables',
                                (:'publish_via_partition_root')::boolean, :'slot_name') AS done;
COMMIT;
-- The WAL position after the creation of <publication_name>_inserts (once, after its commit).
UPDATE kasho.publications SET inserts_since_lsn = pg_catalog.pg_current_wal_insert_lsn()
 WHERE publication = :'publication_name' AND inserts_since_lsn IS NULL;
