export { ApplyModule } from './apply.module';
export { APPLY_OPTIONS } from './apply.module-definition';
export type { ApplyOptions } from './apply.options';
export { DEFAULT_LOCK_KEY, DEFAULT_MAX_ROWS_PER_STATEMENT } from './apply.options';
export { ApplyError } from './apply.errors';
export type { ApplyErrorContext } from './apply.errors';
export { TargetApplier } from './target-applier';
export { TargetHealthIndicator } from './target.health';
export { TargetVersionCheck } from './target-version.check';
export { decideDdl, loadDdlPolicy, DdlPolicyError } from './ddl-policy';
export type { DdlDecision, DdlRule } from './ddl-policy';
export { applyPolicyToDumpSql } from './dump-sql-policy';
export type { SkippedDumpStatement } from './dump-sql-policy';
export { readSkipped, readStuckChange, requestSkip, SkipRefusedError } from './stuck-change';
export type { SkipRecord, SkipRequest, StuckChange } from './stuck-change';
export { openTargetSession } from './target-session';
export { APPLIED_POSITION_EXISTS } from './applied-position.sql';
export {
  ENSURE_SNAPSHOT_TABLES,
  ensureSnapshotTables,
  readRun,
  startRun,
  doneRanges,
  recordRange,
  indexedTables,
  recordIndexed,
  finishRun,
  writeSnapshotPosition,
  recordTableResync,
  tableResyncsAfter,
  rangeKey,
  setSequencesForward,
} from './snapshot-bookkeeping';
export type { SnapshotRun } from './snapshot-bookkeeping';
