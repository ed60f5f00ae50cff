/**
 * What the `kasho` command line (cli/main.ts) reads from its environment. It is a short-lived tool,
 * not a service, so there is no validated env class: a missing value is reported by the command
 * that needs it, and flags override these.
 */
export interface CliEnv {
  /** TRANSLICATOR_URL: pg-translicator's HTTP port, for `resync`. */
  translicatorUrl: string;
  /** ADMIN_TOKEN: sent as `Authorization: Bearer` by `resync` when set. */
  adminToken?: string;
  /** PRIMARY_DATABASE_URL: the source `preview` reads sample rows from. */
  primaryDatabaseUrl?: string;
  /** REPLICA_DATABASE_URL: the target, where `skip` records its request. */
  replicaDatabaseUrl?: string;
  /** TRANSFORMS_FILE and TRANSFORMS_SECRET: the rules `preview` applies. */
  transformsFile: string;
  transformsSecret?: string;
  /**
   * pg-change-stream's and pg-translicator's settings that `check` and `uninstall` judge the source
   * by (README): REPLICATION_SLOT, PUBLICATION, NO_KEY_TABLES, EXCLUDE_TABLES (comma-separated globs),
   * SNAPSHOT_MODE, with the services' defaults.
   */
  slotName: string;
  publication: string;
  noKeyTables: string;
  excludeTables: string[];
  snapshotMode: string;
  /** PG_DUMP, as pg-change-stream takes it, and PATH: where `check` finds the pg_dump the snapshot would run. */
  pgDump?: string;
  searchPath?: string;
}

export function readCliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  return {
    translicatorUrl: env.TRANSLICATOR_URL || 'http://127.0.0.1:8082',
    adminToken: env.ADMIN_TOKEN || undefined,
    primaryDatabaseUrl: env.PRIMARY_DATABASE_URL || undefined,
    replicaDatabaseUrl: env.REPLICA_DATABASE_URL || undefined,
    transformsFile: env.TRANSFORMS_FILE || 'config/transforms.yml',
    transformsSecret: env.TRANSFORMS_SECRET || undefined,
    slotName: env.REPLICATION_SLOT || 'kasho_slot',
    publication: env.PUBLICATION || 'kasho_pub',
    noKeyTables: env.NO_KEY_TABLES || 'insert-only',
    excludeTables: (env.EXCLUDE_TABLES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    snapshotMode: env.SNAPSHOT_MODE || 'auto',
    pgDump: env.PG_DUMP || undefined,
    searchPath: env.PATH,
  };
}
