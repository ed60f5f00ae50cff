import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { LOG_LEVELS, LogLevel } from '@kasho/logging';
import { validateEnv } from '@kasho/runtime';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** pg-change-stream's environment, validated at boot. Only this folder reads process.env. */
export class ChangeStreamEnv {
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgresql:// URL' })
  PRIMARY_DATABASE_URL!: string;

  @Matches(/^(rediss?|unix):\/\//, { message: 'must be a redis://, rediss:// or unix:// URL' })
  KV_URL!: string;

  @Transform(toInt) @IsInt({ message: 'must be a port number' }) @Min(1) @Max(65535)
  GRPC_PORT: number = 8080;

  @Transform(toInt) @IsInt({ message: 'must be a port number' }) @Min(1) @Max(65535)
  HTTP_PORT: number = 8081;

  @IsString() @Matches(IDENTIFIER, { message: 'must be a lower-case PostgreSQL identifier (letters, digits, _)' })
  REPLICATION_SLOT: string = 'kasho_slot';

  @IsString() @Matches(IDENTIFIER, { message: 'must be a lower-case PostgreSQL identifier (letters, digits, _)' })
  PUBLICATION: string = 'kasho_pub';

  /** WAL reading pauses while the buffer holds more changes than this beyond the applied position. */
  @Transform(toInt) @IsInt({ message: 'must be a whole number' }) @Min(1000)
  MAX_BUFFERED_CHANGES: number = 200_000;

  /**
   * WAL reading pauses while the buffer holds more bytes than this beyond the applied position: the
   * size of the buffered changes' values, column names and DDL text (not Redis's own overhead).
   * Default 1 GiB. A single transaction bigger than this is still buffered whole (it cannot be applied
   * in part); reading pauses after its commit.
   */
  @Transform(toInt) @IsInt({ message: 'must be a whole number of bytes' }) @Min(1_048_576, { message: 'must be at least 1048576 (1 MiB)' })
  MAX_BUFFERED_BYTES: number = 1_073_741_824;

  /** Name of the Redis stream namespace (several pipelines may share one Redis). */
  @IsString() @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 characters of letters, digits, _ . -' })
  BUFFER_NAME: string = 'default';

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** On SIGTERM: gRPC streams close, the WAL reader stops, Redis closes; past this bound the process exits anyway (code 1). */
  @Transform(toInt) @IsInt({ message: 'must be a whole number of milliseconds' }) @Min(1000) @Max(600_000)
  SHUTDOWN_TIMEOUT_MS: number = 10_000;
}

export function loadChangeStreamEnv(env: Record<string, string | undefined> = process.env): ChangeStreamEnv {
  return validateEnv(ChangeStreamEnv, env, ['PRIMARY_DATABASE_URL', 'KV_URL']);
}
