import type { Client } from 'pg';
import type { TargetFacts } from './check-facts';

const SERVER_SQL = `
  SELECT pg_catalog.current_setting('server_version_num')::int AS version_num, pg_catalog.current_setting('server_version') AS version,
         current_user AS role, r.rolsuper AS superuser, pg_catalog.current_database() AS database, pg_catalog.pg_is_in_recovery() AS in_recovery,
         pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CONNECT') AS connect_on_database,
         pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE') AS create_on_database
    FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`;

const SCHEMAS_SQL = `
  SELECT s.name, n.oid IS NOT NULL AS exists,
         COALESCE(pg_catalog.has_schema_privilege(n.oid, 'USAGE'), false) AS usage,
         COALESCE(pg_catalog.has_schema_privilege(n.oid, 'CREATE'), false) AS create
    FROM pg_catalog.unnest($1::text[]) AS s(name) LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = s.name
   ORDER BY 1`;

/** Reads the target role's rights for `kasho check`: on the database, on `schemas` (those the replicated tables live in), on session_replication_role. */
export async function inspectTarget(client: Client, schemas: readonly string[]): Promise<TargetFacts> {
  const server = (await client.query(SERVER_SQL)).rows[0];
  const rows = (await client.query(SCHEMAS_SQL, [schemas])).rows;
  let setReplicationRole: boolean = server.superuser;
  if (!server.superuser && server.version_num >= 150000) {
    setReplicationRole = (await client.query(`SELECT pg_catalog.has_parameter_privilege('session_replication_role', 'SET') AS ok`)).rows[0].ok;
  }
  return {
    versionNum: server.version_num,
    version: server.version,
    role: server.role,
    superuser: server.superuser,
    database: server.database,
    inRecovery: server.in_recovery,
    connectOnDatabase: server.connect_on_database,
    createOnDatabase: server.create_on_database,
    schemas: rows.map((r) => ({ name: r.name, exists: r.exists, usage: r.usage, create: r.create })),
    setReplicationRole,
  };
}
