/** What the replication lib needs; the app builds it from its validated env. */
export interface ReplicationOptions {
  /** Source PostgreSQL URL. Never logged nor put in an error. */
  connectionString: string;
  /** How errors name the source as the operator configured it, e.g. `PRIMARY_DATABASE_URL (the source)`. Default `the source database`. */
  connectionName?: string;
  /** Logical replication slot (pgoutput), e.g. `kasho_slot`. */
  slotName: string;
  /** Publication streamed from, e.g. `kasho_pub` (FOR ALL TABLES, so it includes kasho.ddl_log). */
  publicationName: string;
  /** Changes per `onChanges` call inside a big transaction (its last call ends with the commit). Default 1000. */
  chunkSize?: number;
  /** Bound of the health check (connect + query). Default 2000 ms. */
  healthTimeoutMs?: number;
}
