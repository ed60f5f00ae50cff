import type { ColumnMeta } from '@kasho/contracts';
import type { SlotWal } from '@kasho/replication';

/**
 * Everything `kasho check` knows, read once from the source, the target, transforms.yml and this
 * machine. The checks are pure functions of it, so each is unit-tested with a hand-made one.
 */
export interface CheckFacts {
  settings: CheckSettings;
  /** Undefined when PRIMARY_DATABASE_URL is not set; `error` when it could not be read. */
  source?: SourceFacts | Unreachable;
  target?: TargetFacts | Unreachable;
  transforms?: TransformsFacts | { error: string[] };
  pgDump: { path: string; major: number | null } | { error: string };
}

export interface Unreachable {
  error: string;
}

/** The environment the services would run with, as the CLI reads it. */
export interface CheckSettings {
  slotName: string;
  publication: string;
  noKeyTables: 'insert-only' | 'full' | 'skip';
  excludeTables: readonly string[];
  snapshotMode: string;
  transformsFile: string;
  /** TRANSFORMS_SECRET's length (0 when unset); pg-translicator needs at least 32 characters. The value itself is never kept. */
  transformsSecretLength: number;
}

export interface ServerFacts {
  /** `server_version_num`, e.g. 170002. */
  versionNum: number;
  version: string;
  role: string;
  superuser: boolean;
  database: string;
}

export interface SourceFacts extends ServerFacts {
  replication: boolean;
  /** CREATE on the database (a publication of listed tables needs it, and ownership of the tables). */
  createOnDatabase: boolean;
  walLevel: string;
  maxReplicationSlots: number;
  /** Slots that exist, Kasho's included. */
  slotsUsed: number;
  maxWalSenders: number;
  /** WAL senders running now (pg_stat_replication). */
  walSendersUsed: number;
  /** `max_slot_wal_keep_size` in MB; -1: unlimited. */
  maxSlotWalKeepSizeMb: number;
  slot?: SlotFacts;
  /** The pipeline's publications that exist (PUBLICATION and its `_inserts` companion). */
  publications: PublicationFacts[];
  ddlCapture: { schema: boolean; table: boolean; triggers: number; enabledTriggers: number };
  tables: TableFacts[];
}

export interface SlotFacts extends SlotWal {
  plugin: string | null;
  slotType: string;
  database: string | null;
}

export interface PublicationFacts {
  name: string;
  /** Its comment; Kasho's own start with KASHO_PUBLICATION_COMMENT. */
  comment: string | null;
  allTables: boolean;
  /** `schema.table` of the tables it publishes. */
  tables: readonly string[];
}

export interface TableFacts {
  schema: string;
  table: string;
  /** `r` table, `p` partitioned table. */
  kind: 'r' | 'p';
  partition: boolean;
  /** `d` default (the primary key), `n` nothing, `f` full, `i` an index. */
  replicaIdentity: 'd' | 'n' | 'f' | 'i';
  hasPrimaryKey: boolean;
  /** The index REPLICA IDENTITY USING INDEX names still exists. */
  hasIdentityIndex: boolean;
  canSelect: boolean;
  ownedByRole: boolean;
  columns: ColumnMeta[];
  /** Unique indexes and the primary key (columns only; expression indexes are left out). */
  uniqueIndexes: { name: string; columns: readonly string[] }[];
}

export interface TargetFacts extends ServerFacts {
  inRecovery: boolean;
  connectOnDatabase: boolean;
  createOnDatabase: boolean;
  /** The schemas replicated tables live in on the source, as the target sees them. */
  schemas: { name: string; exists: boolean; usage: boolean; create: boolean }[];
  /** May SET session_replication_role (PostgreSQL 15+: granted; before 15: superusers only). */
  setReplicationRole: boolean;
}

/** transforms.yml, loaded with the transforms the services have. */
export interface TransformsFacts {
  file: string;
  strict: boolean;
  tables: ConfiguredTable[];
  /**
   * The output of the column's transform for a sample input of the column's type, checked against
   * the type: the fit problem (never a value), or undefined when it fits. Only for configured columns
   * the source has.
   */
  fit: (schema: string, table: string, column: string) => Promise<string | undefined>;
}

export interface ConfiguredTable {
  schema: string;
  table: string;
  line?: number;
  columns: ConfiguredColumn[];
}

export interface ConfiguredColumn {
  column: string;
  line?: number;
  /** The transform's name; `Keep` for a column kept as it is. */
  transform: string;
  /** What transforms.yml says: `unique: true`, `unique: false`, or nothing. */
  unique?: boolean;
  /** The transform can make its output unique (appends a keyed suffix). */
  supportsUnique: boolean;
}

export function reachable<T extends object>(facts: T | Unreachable | undefined): facts is T {
  return facts !== undefined && !('error' in facts);
}
