export { validateEnv, EnvValidationError } from './env-validation';
export { withTimeout } from './with-timeout';
export { Backoff, sleep } from './backoff';
export { armShutdownDeadline } from './shutdown-deadline';
export { EventLoopHealthIndicator } from './event-loop.health';
export { typedConfigProvider } from './typed-config.provider';
export {
  EnvBoolean,
  EnvPort,
  OptionalFile,
  OptionalExecutable,
  IsExecutableFile,
  OptionalSecret,
  EnvInt,
  EnvRequired,
  requiredEnvNames,
  EmptyAsUnset,
  IsReadableFile,
  IsBindHost,
  isBindHost,
  hostPort,
} from './env-rules';
export { PINNED_SESSION_SETTINGS, pgClientConfig } from './pg-session';
export { connectPg, closePg, withPg, type PgConnectOptions } from './pg-client';
export {
  MIN_POSTGRES_MAJOR,
  NEWEST_TESTED_POSTGRES_MAJOR,
  checkServerVersion,
  judgeServerVersion,
  parseServerVersion,
  readServerVersion,
  type PgServerVersion,
  type ServerVersionVerdict,
} from './server-version';
export { UnsupportedServerVersionError } from './server-version.errors';
export { readUniqueKeys } from './unique-keys';
export { locatePgDump } from './pg-dump-binary';
export { readPartitionTrees, type PartitionTree } from './partition-tree';
