/** Options of `ApplyModule`; the app builds them from its validated config. */
export interface ApplyOptions {
  /** The target database, e.g. `postgresql://kasho@target:5432/replica`. */
  connectionString: string;
  /** How errors name the target as the operator configured it, e.g. `REPLICA_DATABASE_URL (the target)`. Default `the target database`. */
  connectionName?: string;
  /** Key of the session-level advisory lock that makes the applier the single writer (I8). */
  lockKey?: bigint | string;
  /** Row cap of one multi-row INSERT (also capped by 65535 bind parameters). */
  maxRowsPerStatement?: number;
}

/** Default advisory lock key: the ASCII bytes of "KASHOAPL" as a signed 64-bit integer. */
export const DEFAULT_LOCK_KEY = 0x4b4153484f41504cn;
export const DEFAULT_MAX_ROWS_PER_STATEMENT = 1000;

/** Options with defaults applied and checked. */
export interface ResolvedApplyOptions {
  connectionString: string;
  lockKey: bigint;
  maxRowsPerStatement: number;
}

export function resolveApplyOptions(options: ApplyOptions): ResolvedApplyOptions {
  const problems: string[] = [];
  if (typeof options.connectionString !== 'string' || options.connectionString.length === 0) {
    problems.push('connectionString must be a non-empty PostgreSQL connection string');
  }
  const maxRows = options.maxRowsPerStatement ?? DEFAULT_MAX_ROWS_PER_STATEMENT;
  if (!Number.isInteger(maxRows) || maxRows < 1) problems.push(`maxRowsPerStatement must be a positive integer, got ${String(maxRows)}`);
  let lockKey = DEFAULT_LOCK_KEY;
  try {
    lockKey = parseLockKey(options.lockKey ?? DEFAULT_LOCK_KEY);
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length > 0) throw new Error(`invalid apply options: ${problems.join('; ')}`);
  return { connectionString: options.connectionString, lockKey, maxRowsPerStatement: maxRows };
}

const MIN_INT8 = -(1n << 63n);
const MAX_INT8 = (1n << 63n) - 1n;

/** A bigint, or a decimal string, in PostgreSQL's int8 range. */
export function parseLockKey(key: bigint | string): bigint {
  let value: bigint;
  if (typeof key === 'bigint') value = key;
  else if (/^-?\d{1,20}$/.test(key.trim())) value = BigInt(key.trim());
  else throw new Error(`lockKey must be a 64-bit integer (bigint or decimal string), got "${key}"`);
  if (value < MIN_INT8 || value > MAX_INT8) throw new Error(`lockKey ${value} is outside the signed 64-bit range`);
  return value;
}
