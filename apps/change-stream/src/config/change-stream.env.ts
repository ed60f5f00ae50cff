import { IsIn, IsInt, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { memoryUrlProblem, parseRedisUrl } from '@kasho/buffer';
import { GrpcTlsFiles, isMutualTls } from '@kasho/contracts';
import { LOG_LEVELS, LogLevel } from '@kasho/logging';
import { NO_KEY_TABLE_MODES, NoKeyTables, excludeTableGlobs } from '@kasho/replication';
import { EnvBoolean, EnvInt, EnvPort, EnvRequired, IsBindHost, OptionalExecutable, OptionalFile, OptionalSecret, validateEnv } from '@kasho/runtime';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** pg-change-stream's environment, validated at boot. Only this folder reads process.env. */
export class ChangeStreamEnv {
  @EnvRequired()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgresql:// URL' })
  PRIMARY_DATABASE_URL!: string;

  @EnvRequired()
  @Matches(/^((rediss?(\+cluster)?|unix):\/\/|memory:)/i, {
    message: 'must be a redis://, rediss://, redis+cluster://, rediss+cluster:// or unix:// URL, or memory:// (demos and development)',
  })
  @ValidateBy({
    name: 'isMemoryUrl',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || memoryUrlProblem(value) === null,
      defaultMessage: (args) => memoryUrlProblem(String(args?.value)) ?? 'must be exactly memory://',
    },
  })
  @ValidateBy({
    name: 'isRedisClusterUrl',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !/^(rediss?\+cluster|unix):/i.test(value) || clusterUrlProblem(value) === null,
      defaultMessage: (args) => clusterUrlProblem(String(args?.value)) ?? 'must be a valid redis+cluster:// URL',
    },
  })
  KV_URL!: string;

  @EnvPort()
  GRPC_PORT: number = 8080;

  @EnvPort()
  HTTP_PORT: number = 8081;

  /** Address the gRPC port binds to (0.0.0.0: every interface, as a container needs; 127.0.0.1: this host only). */
  @IsBindHost()
  GRPC_HOST: string = '0.0.0.0';

  /** Address the HTTP port (/health, /metrics) binds to. */
  @IsBindHost()
  HTTP_HOST: string = '0.0.0.0';

  /**
   * Shared secret every kasho.v1 call must carry as `authorization: Bearer <token>` (docs/security.md).
   * Required unless clients authenticate with mTLS or GRPC_INSECURE=true.
   */
  @OptionalSecret()
  CHANGE_STREAM_TOKEN?: string = undefined;

  /** PEM certificate (chain) of the gRPC server; with GRPC_TLS_KEY the port speaks TLS only. */
  @OptionalFile()
  GRPC_TLS_CERT?: string = undefined;

  @OptionalFile()
  GRPC_TLS_KEY?: string = undefined;

  /** PEM CA: clients must present a certificate it signed (mTLS). */
  @OptionalFile()
  GRPC_TLS_CA?: string = undefined;

  /** The explicit opt-out: serve kasho.v1 without a token and without mTLS (a warning at start). */
  @EnvBoolean()
  GRPC_INSECURE: boolean = false;

  /** Concurrent Snapshot/CopyRange calls (each holds a source connection); at least the translicator's SNAPSHOT_WORKERS. */
  @EnvInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(64)
  GRPC_MAX_COPY_RANGES: number = 16;

  @IsString()
  @Matches(IDENTIFIER, { message: 'must be a lower-case PostgreSQL identifier (letters, digits, _)' })
  REPLICATION_SLOT: string = 'kasho_slot';

  @IsString()
  @Matches(IDENTIFIER, { message: 'must be a lower-case PostgreSQL identifier (letters, digits, _)' })
  PUBLICATION: string = 'kasho_pub';

  /**
   * Tables without a replica identity (no primary key, no REPLICA IDENTITY index or FULL): `insert-only`
   * (in PUBLICATION_inserts: inserts and truncates replicated, UPDATE/DELETE accepted by the source and
   * not replicated), `full` (Kasho sets REPLICA IDENTITY FULL on them: exact, but each UPDATE/DELETE
   * writes the whole old row to WAL), or `skip` (left out).
   */
  @IsIn(NO_KEY_TABLE_MODES, { message: `must be one of ${NO_KEY_TABLE_MODES.join(', ')}` })
  NO_KEY_TABLES: NoKeyTables = 'insert-only';

  /** Comma-separated globs on schema.table left out of Kasho's publications (* and ?; a bare name is in public). */
  @IsString()
  @ValidateBy({
    name: 'isTableGlobList',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || globListProblem(value) === null,
      defaultMessage: (args) => globListProblem(String(args?.value)) ?? 'must be comma-separated table globs',
    },
  })
  EXCLUDE_TABLES: string = '';

  /** publish_via_partition_root on Kasho's publications: a partitioned table's changes are published as its root's. */
  @EnvBoolean()
  PUBLISH_VIA_PARTITION_ROOT: boolean = false;

  /** WAL reading pauses while the buffer holds more changes than this beyond the applied position. */
  @EnvInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1000)
  MAX_BUFFERED_CHANGES: number = 200_000;

  /**
   * WAL reading pauses while the buffer holds more bytes than this beyond the applied position: the
   * size of the buffered changes' values, column names and DDL text (not Redis's own overhead).
   * Default 1 GiB. A single transaction bigger than this is still buffered whole (it cannot be applied
   * in part); reading pauses after its commit.
   */
  @EnvInt()
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1_048_576, { message: 'must be at least 1048576 (1 MiB)' })
  MAX_BUFFERED_BYTES: number = 1_073_741_824;

  /**
   * The pg_dump the initial snapshot reads the source's schema with (docs/snapshot.md). It must be at
   * least the source's major version. Unset: the newest in /usr/lib/postgresql/<major>/bin, then on PATH
   * (the Docker image ships pg_dump 17).
   */
  @OptionalExecutable()
  PG_DUMP?: string = undefined;

  /** Name of the Redis stream namespace (several pipelines may share one Redis). */
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 characters of letters, digits, _ . -' })
  BUFFER_NAME: string = 'default';

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** On SIGTERM: gRPC streams close, the WAL reader stops, Redis closes; past this bound the process exits anyway (code 1). */
  @EnvInt()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1000)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS: number = 10_000;
}

export function loadChangeStreamEnv(env: Record<string, string | undefined> = process.env): ChangeStreamEnv {
  return validateEnv(ChangeStreamEnv, env, grpcSecurityProblems);
}

/** The TLS files of the gRPC server. */
export function grpcTlsFiles(env: ChangeStreamEnv): GrpcTlsFiles {
  return { cert: env.GRPC_TLS_CERT, key: env.GRPC_TLS_KEY, ca: env.GRPC_TLS_CA };
}

/** Rules between the gRPC security variables: the raw-row port never opens without being asked to. */
function grpcSecurityProblems(env: ChangeStreamEnv): string[] {
  const problems: string[] = [];
  if (env.GRPC_TLS_CERT && !env.GRPC_TLS_KEY) problems.push('GRPC_TLS_KEY: must be set together with GRPC_TLS_CERT');
  if (env.GRPC_TLS_KEY && !env.GRPC_TLS_CERT) problems.push('GRPC_TLS_CERT: must be set together with GRPC_TLS_KEY');
  if (env.GRPC_TLS_CA && !(env.GRPC_TLS_CERT || env.GRPC_TLS_KEY)) {
    problems.push("GRPC_TLS_CA: needs GRPC_TLS_CERT and GRPC_TLS_KEY (the server's own certificate and key)");
  }
  if (!env.CHANGE_STREAM_TOKEN && !isMutualTls(grpcTlsFiles(env)) && env.GRPC_INSECURE !== true) {
    problems.push(
      'CHANGE_STREAM_TOKEN environment variable is required: the gRPC port serves raw rows. Make one with `openssl rand -hex 32` ' +
        'and give the same value to pg-translicator (or use mTLS: GRPC_TLS_CERT, GRPC_TLS_KEY and GRPC_TLS_CA; ' +
        'or set GRPC_INSECURE=true to run without authentication)',
    );
  }
  return problems;
}

/** What is wrong with an EXCLUDE_TABLES list, or null. */
function globListProblem(list: string): string | null {
  try {
    excludeTableGlobs(list);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** What is wrong with a `redis+cluster://` or `unix://` URL (never echoing it: it may hold a password), or null. */
function clusterUrlProblem(url: string): string | null {
  try {
    parseRedisUrl(url);
    return null;
  } catch (err) {
    return (err as Error).message.replace(/^invalid Redis URL: /, '');
  }
}
