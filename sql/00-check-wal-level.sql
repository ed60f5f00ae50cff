-- Kasho: check that the source can do logical decoding.
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
