import type { Client } from 'pg';
import { parseSlotWal, publicationNames, SLOT_WAL_SQL, type SlotWalRow } from '@kasho/replication';
import type { CheckSettings, SourceFacts, TableFacts } from './check-facts';

/** User tables as logical replication sees them: permanent tables and partitioned tables, outside the system schemas. */
const USER_TABLES = `c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'`;

const SERVER_SQL = `
  SELECT pg_catalog.current_setting('server_version_num')::int AS version_num, pg_catalog.current_setting('server_version') AS version,
         current_user AS role, r.rolsuper AS superuser, r.rolreplication AS replication, pg_catalog.current_database() AS database,
         pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE') AS create_on_database,
         pg_catalog.current_setting('wal_level') AS wal_level,
         pg_catalog.current_setting('max_replication_slots')::int AS max_replication_slots,
         (SELECT pg_catalog.count(*) FROM pg_catalog.pg_replication_slots)::int AS slots_used,
         pg_catalog.current_setting('max_wal_senders')::int AS max_wal_senders,
         (SELECT pg_catalog.count(*) FROM pg_catalog.pg_stat_activity WHERE backend_type = 'walsender')::int AS wal_senders_used,
         (SELECT setting::int FROM pg_catalog.pg_settings WHERE name = 'max_slot_wal_keep_size') AS keep_mb
    FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`;

const SLOT_SQL = `SELECT plugin, slot_type, database FROM pg_catalog.pg_replication_slots WHERE slot_name = $1`;

const PUBLICATIONS_SQL = `
  SELECT p.pubname AS name, pg_catalog.obj_description(p.oid, 'pg_publication') AS comment, p.puballtables AS all_tables,
         ARRAY(SELECT t.schemaname || '.' || t.tablename FROM pg_catalog.pg_publication_tables t WHERE t.pubname = p.pubname)::text[] AS tables
    FROM pg_catalog.pg_publication p WHERE p.pubname = ANY ($1::text[])`;

const DDL_CAPTURE_SQL = `
  SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'kasho') AS schema,
         pg_catalog.to_regclass('kasho.ddl_log') IS NOT NULL AS table,
         (SELECT pg_catalog.count(*) FROM pg_catalog.pg_event_trigger WHERE evtname IN ('kasho_capture_ddl', 'kasho_capture_drop'))::int AS triggers,
         (SELECT pg_catalog.count(*) FROM pg_catalog.pg_event_trigger
           WHERE evtname IN ('kasho_capture_ddl', 'kasho_capture_drop') AND evtenabled <> 'D')::int AS enabled`;

const TABLES_SQL = `
  SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS table, c.relkind AS kind, c.relispartition AS partition,
         c.relreplident AS identity,
         EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk,
         EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisreplident) AS has_identity_index,
         pg_catalog.has_table_privilege(c.oid, 'SELECT') AS can_select,
         pg_catalog.pg_has_role(c.relowner, 'USAGE') AS owned
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE ${USER_TABLES}
   ORDER BY 2, 3`;

const COLUMNS_SQL = `
  SELECT a.attrelid::int AS oid, a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.atttypid::int AS type_oid,
         a.atttypmod AS type_mod, COALESCE(a.attnum = ANY (pk.indkey), false) AS key
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_index pk ON pk.indrelid = c.oid AND pk.indisprimary
   WHERE ${USER_TABLES} AND a.attnum > 0 AND NOT a.attisdropped
   ORDER BY a.attrelid, a.attnum`;

const UNIQUE_SQL = `
  SELECT i.indrelid::int AS oid, ic.relname AS name,
         ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(i.indkey::int2[]) k JOIN pg_catalog.pg_attribute a
                 ON a.attrelid = i.indrelid AND a.attnum = k)::text[] AS columns
    FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE ${USER_TABLES} AND i.indisunique AND i.indexprs IS NULL`;

/**
 * Reads what `kasho check` needs from the source, in a read-only transaction: the server and role,
 * replication settings, the slot, the pipeline's publications, DDL capture, and every user table with
 * its columns, replica identity, unique indexes and the role's rights on it. Catalog only: no row.
 */
export async function inspectSource(client: Client, settings: CheckSettings): Promise<SourceFacts> {
  await client.query('BEGIN TRANSACTION READ ONLY');
  try {
    const server = (await client.query(SERVER_SQL)).rows[0];
    const slotRow = (await client.query<{ plugin: string | null; slot_type: string; database: string | null }>(SLOT_SQL, [settings.slotName])).rows[0];
    const walRow = (await client.query<SlotWalRow>(SLOT_WAL_SQL, [settings.slotName])).rows[0];
    const publications = (await client.query(PUBLICATIONS_SQL, [publicationNames(settings.publication)])).rows;
    const ddl = (await client.query(DDL_CAPTURE_SQL)).rows[0];
    const tables = await readTables(client);
    return {
      versionNum: server.version_num,
      version: server.version,
      role: server.role,
      superuser: server.superuser,
      replication: server.replication,
      database: server.database,
      createOnDatabase: server.create_on_database,
      walLevel: server.wal_level,
      maxReplicationSlots: server.max_replication_slots,
      slotsUsed: server.slots_used,
      maxWalSenders: server.max_wal_senders,
      walSendersUsed: server.wal_senders_used,
      maxSlotWalKeepSizeMb: server.keep_mb,
      slot: slotRow && walRow ? { ...parseSlotWal(walRow), plugin: slotRow.plugin, slotType: slotRow.slot_type, database: slotRow.database } : undefined,
      publications: publications.map((p) => ({ name: p.name, comment: p.comment, allTables: p.all_tables, tables: p.tables })),
      ddlCapture: { schema: ddl.schema, table: ddl.table, triggers: ddl.triggers, enabledTriggers: ddl.enabled },
      tables,
    };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

async function readTables(client: Client): Promise<TableFacts[]> {
  const byOid = new Map<number, TableFacts>();
  for (const t of (await client.query(TABLES_SQL)).rows) {
    byOid.set(t.oid, {
      schema: t.schema,
      table: t.table,
      kind: t.kind,
      partition: t.partition,
      replicaIdentity: t.identity,
      hasPrimaryKey: t.has_pk,
      hasIdentityIndex: t.has_identity_index,
      canSelect: t.can_select,
      ownedByRole: t.owned,
      columns: [],
      uniqueIndexes: [],
    });
  }
  for (const c of (await client.query(COLUMNS_SQL)).rows) {
    byOid.get(c.oid)?.columns.push({ name: c.name, type: c.type, typeOid: c.type_oid, typeMod: c.type_mod, key: c.key });
  }
  for (const u of (await client.query(UNIQUE_SQL)).rows) byOid.get(u.oid)?.uniqueIndexes.push({ name: u.name, columns: u.columns });
  return [...byOid.values()];
}
