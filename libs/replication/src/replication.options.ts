import type { NoKeyTables } from './table-selection';

/** What the replication lib needs; the app builds it from its validated env. */
export interface ReplicationOptions {
  /** Source PostgreSQL URL. Never logged nor put in an error. */
  connectionString: string;
  /** How errors name the source as the operator configured it, e.g. `PRIMARY_DATABASE_URL (the source)`. Default `the source database`. */
  connectionName?: string;
  /** Logical replication slot (pgoutput), e.g. `kasho_slot`. */
  slotName: string;
  /**
   * The pipeline's publication, e.g. `kasho_pub`: Kasho's own list of the tables with a replica identity,
   * or a publication the user made (used as it is). Streamed together with `<publicationName>_inserts`
   * (see publication-names.ts).
   */
  publicationName: string;
  /** What Kasho's publications do with a table without a replica identity. Default `insert-only`. */
  noKeyTables?: NoKeyTables;
  /** Globs on `schema.table` left out of Kasho's publications, as {@link excludeTableGlobs} returns them. Default none. */
  excludeTables?: string[];
  /** `publish_via_partition_root` on Kasho's publications. Default false. */
  publishViaPartitionRoot?: boolean;
  /** Changes per `onChanges` call inside a big transaction (its last call ends with the commit). Default 1000. */
  chunkSize?: number;
  /** Bound of the health check (connect + query). Default 2000 ms. */
  healthTimeoutMs?: number;
}
