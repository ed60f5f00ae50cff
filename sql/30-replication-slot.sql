-- Kasho replication slot (pgoutput). Needs a superuser or a role WITH REPLICATION. Run it as its own
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
