import { IsIn, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { existsSync, statSync } from 'node:fs';
import { GrpcTlsFiles } from '@kasho/contracts';
import { LOG_LEVELS, LogLevel } from '@kasho/logging';
import { EnvInt, EnvPort, EnvRequired, IsBindHost, OptionalFile, OptionalSecret, validateEnv } from '@kasho/runtime';

export const SNAPSHOT_MODES = ['auto', 'always', 'never'] as const;
export type SnapshotMode = (typeof SNAPSHOT_MODES)[number];
export const SNAPSHOT_COPY_FORMATS = ['auto', 'text'] as const;
export type SnapshotCopyFormat = (typeof SNAPSHOT_COPY_FORMATS)[number];

export const DEFAULT_TRANSFORMS_FILE = '/app/config/transforms.yml';

/** pg-translicator's environment, validated at boot. Only this folder reads process.env. */
export class TranslicatorEnv {
  @EnvRequired()
  @Matches(/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/, { message: 'must be host:port, e.g. pg-change-stream:8080' })
  CHANGE_STREAM_SERVICE!: string;

  @EnvRequired()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgresql:// URL' })
  REPLICA_DATABASE_URL!: string;

  @IsString()
  TRANSFORMS_FILE: string = DEFAULT_TRANSFORMS_FILE;

  /** Key for deterministic, non-reversible fakes (required: without a key anyone could reverse a fake by trying inputs). */
  @EnvRequired()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (make one with `openssl rand -hex 32`)' })
  TRANSFORMS_SECRET!: string;

  @EnvPort()
  HTTP_PORT: number = 8082;

  /** Address the HTTP port (/health, /metrics, /snapshot/resync) binds to. */
  @IsBindHost()
  HTTP_HOST: string = '0.0.0.0';

  /**
   * Bearer token the HTTP port requires for `/snapshot/resync` (re-copies). Without it the endpoint
   * is not served at all (404).
   */
  @OptionalSecret()
  ADMIN_TOKEN?: string = undefined;

  /** pg-change-stream's CHANGE_STREAM_TOKEN, sent as `authorization: Bearer <token>` on every call. */
  @OptionalSecret("must be at least 32 characters (the same value as pg-change-stream's)")
  CHANGE_STREAM_TOKEN?: string = undefined;

  /** Client certificate and key presented to pg-change-stream (mTLS); together. */
  @OptionalFile()
  GRPC_TLS_CERT?: string = undefined;

  @OptionalFile()
  GRPC_TLS_KEY?: string = undefined;

  /** CA that signed pg-change-stream's certificate; any GRPC_TLS_* turns TLS on (system roots without this one). */
  @OptionalFile()
  GRPC_TLS_CA?: string = undefined;

  /** Changes in flight from the change stream (gRPC flow-control window). */
  @EnvInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(100)
  @Max(50_000)
  STREAM_WINDOW: number = 5_000;

  /** Source transactions grouped into one target transaction when they are already waiting. */
  @EnvInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  APPLY_MAX_TRANSACTIONS: number = 500;

  /** Changes grouped into one target transaction (a single larger source transaction is never split). */
  @EnvInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  APPLY_MAX_CHANGES: number = 10_000;

  /**
   * Initial snapshot (docs/snapshot.md): `auto` copies the source first when the target holds no
   * Kasho position (or a snapshot was interrupted); `always` redoes it at every start; `never` skips it.
   */
  @IsIn(SNAPSHOT_MODES, { message: `must be one of ${SNAPSHOT_MODES.join(', ')}` })
  SNAPSHOT_MODE: SnapshotMode = 'auto';

  /** Block ranges copied in parallel during a snapshot (each on its own source and target connection). */
  @EnvInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(64)
  SNAPSHOT_WORKERS: number = 4;

  /**
   * `auto`: ranges of a table whose columns are all built-in types, enums or domains over built-in
   * types, and whose transforms (if any) read and write text-typed columns only, travel as COPY binary when source and target run the
   * same major version; `text`: every range as COPY text.
   */
  @IsIn(SNAPSHOT_COPY_FORMATS, { message: `must be one of ${SNAPSHOT_COPY_FORMATS.join(', ')}` })
  SNAPSHOT_COPY_FORMAT: SnapshotCopyFormat = 'auto';

  /** Worker threads that run transforms during a snapshot; 0 = one per CPU but one (1 to 4). */
  @EnvInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(32)
  SNAPSHOT_TRANSFORM_THREADS: number = 0;

  /** Seconds between moves of target sequences up to the source's values; 0 turns it off. */
  @EnvInt()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(0)
  @Max(86_400)
  SEQUENCE_SYNC_SECONDS: number = 15;

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /**
   * On SIGTERM: intake stops, the source transaction in flight is finished, committed and acknowledged
   * if it completes within half of this bound (else rolled back), connections close; past the bound the
   * process exits anyway (code 1).
   */
  @EnvInt()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1000)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS: number = 10_000;
}

export function loadTranslicatorEnv(env: Record<string, string | undefined> = process.env): TranslicatorEnv {
  return validateEnv(TranslicatorEnv, env, crossProblems);
}

/** The TLS files of the gRPC client. */
export function grpcTlsFiles(env: TranslicatorEnv): GrpcTlsFiles {
  return { cert: env.GRPC_TLS_CERT, key: env.GRPC_TLS_KEY, ca: env.GRPC_TLS_CA };
}

function crossProblems(env: TranslicatorEnv): string[] {
  const problems: string[] = [];
  const file = env.TRANSFORMS_FILE;
  if (typeof file === 'string' && (!existsSync(file) || !statSync(file).isFile())) {
    problems.push(
      file === DEFAULT_TRANSFORMS_FILE
        ? `Required config file ${file} not found. Please ensure transforms.yml exists in the mounted config directory`
        : `Required config file ${file} not found (TRANSFORMS_FILE)`,
    );
  }
  if (env.GRPC_TLS_CERT && !env.GRPC_TLS_KEY) problems.push('GRPC_TLS_KEY: must be set together with GRPC_TLS_CERT');
  if (env.GRPC_TLS_KEY && !env.GRPC_TLS_CERT) problems.push('GRPC_TLS_CERT: must be set together with GRPC_TLS_KEY');
  return problems;
}
