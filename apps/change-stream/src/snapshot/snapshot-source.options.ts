/** What the snapshot source needs; the root module builds it from ChangeStreamEnv. */
export interface SnapshotSourceOptions {
  /** Source PostgreSQL URL (PRIMARY_DATABASE_URL). Never logged nor put in an error. */
  connectionString: string;
  /** The replication slot a full snapshot re-creates with an exported snapshot (REPLICATION_SLOT). */
  slotName: string;
  /**
   * PUBLICATION: only tables of the pipeline's publications (publicationNames: it and its `_inserts`
   * companion) are ever served, the table selection of docs/architecture.md.
   */
  publicationName: string;
  /** The pg_dump to run (PG_DUMP); unset: findPgDump picks the newest installed. */
  pgDump?: string;
}
