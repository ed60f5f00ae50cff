export { ReplicationModule } from './replication.module';
export { REPLICATION_OPTIONS, REPLICATION_OPTIONS_TYPE, REPLICATION_ASYNC_OPTIONS_TYPE } from './replication.module-definition';
export type { ReplicationOptions } from './replication.options';
export { SourceSetupService } from './source-setup.service';
export { WalReader } from './wal-reader.service';
export type { WalReaderHandlers } from './replication-session';
export { SourceHealthIndicator } from './source.health';
export { SlotLagProbe } from './slot-lag.probe';
export { SLOT_WAL_SQL, SLOT_WAL_STATUSES, parseSlotWal, type SlotWal, type SlotWalRow, type SlotWalStatus } from './slot-wal';
export { ExportSlot, assertSnapshotName, type ExportedSlot } from './export-slot';
export { PgoutputDecoder, KASHO_SCHEMA, DDL_LOG_TABLE } from './pgoutput-decoder';
export type { PgoutputDecoderOptions } from './pgoutput-decoder';
export type { SkippedDdl } from './derived-ddl';
export { TypeNames } from './type-names';
export { findDdlStatement, isDdlStatement } from './ddl-statement';
export {
  ReplicationError,
  WalLevelError,
  SourcePrivilegeError,
  SlotInUseError,
  SourceSetupError,
  PublicationSwitchError,
  DdlCaptureError,
  SlotExportError,
  InvalidSnapshotNameError,
} from './replication.errors';
export { KASHO_PUBLICATION_COMMENT, pipelinePublications, publicationNames, type PipelinePublications } from './publication-names';
export { NO_KEY_TABLE_MODES, excludeTableGlobs, type NoKeyTables } from './table-selection';
