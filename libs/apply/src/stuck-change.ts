import { Position } from '@kasho/contracts';
import type { Client } from 'pg';
import {
  ENSURE_STUCK_CHANGE_TABLES,
  READ_FAILURE,
  READ_SKIP_REQUEST,
  READ_SKIPPED,
  RECORD_FAILURE,
  RECORD_SKIP,
  REQUEST_SKIP,
  STUCK_CHANGE_TABLES_EXIST,
} from './stuck-change.sql';

/** The change the pipeline is stopped at: recorded by the translicator, still after the applied position. */
export interface StuckChange {
  position: Position;
  /** The error (table, column, position; never a value). */
  error: string;
  failedAt: Date;
}

export interface SkipRequest {
  position: Position;
  reason: string;
  requestedAt: Date;
}

/** One skipped source transaction, as `kasho.skipped_changes` records it. */
export interface SkipRecord {
  /** The position `kasho skip --position` named (the stuck change). */
  position: Position;
  reason: string;
  /** `schema.table` of every relation the skipped transaction touched. */
  tables: string[];
  requestedAt?: Date;
}

type Queryable = Pick<Client, 'query'>;

export async function ensureStuckChangeTables(client: Queryable): Promise<void> {
  const { rows } = await client.query<{ exists: boolean }>(STUCK_CHANGE_TABLES_EXIST);
  if (!rows[0]?.exists) await client.query(ENSURE_STUCK_CHANGE_TABLES);
}

export async function recordFailure(client: Queryable, position: Position, error: string): Promise<void> {
  await client.query(RECORD_FAILURE, [position.toString(), error]);
}

/** The recorded failure while the target's applied position has not passed it; undefined when not stuck. */
export async function readStuckChange(client: Queryable): Promise<StuckChange | undefined> {
  const exists = await client.query<{ exists: boolean }>(STUCK_CHANGE_TABLES_EXIST);
  if (!exists.rows[0]?.exists) return undefined;
  const { rows } = await client.query<{ position: string; error: string; failed_at: Date; applied: string | null }>(READ_FAILURE);
  const row = rows[0];
  if (!row) return undefined;
  const position = Position.parse(row.position);
  if (!position.isAfter(Position.parseOrZero(row.applied))) return undefined;
  return { position, error: row.error, failedAt: row.failed_at };
}

/** The skip request naming the recorded failure, if an operator made one. */
export async function readSkipRequest(client: Queryable): Promise<SkipRequest | undefined> {
  const { rows } = await client.query<{ position: string; reason: string; requested_at: Date }>(READ_SKIP_REQUEST);
  const row = rows[0];
  return row ? { position: Position.parse(row.position), reason: row.reason, requestedAt: row.requested_at } : undefined;
}

/** A refusal of `kasho skip`: the position is not the change the pipeline is stuck at. */
export class SkipRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SkipRefusedError';
  }
}

/**
 * `kasho skip`: records the request, only if `position` is exactly the change the pipeline is stuck
 * at (read in the same transaction as the request is written). Throws SkipRefusedError otherwise.
 */
export async function requestSkip(client: Queryable, position: Position, reason: string): Promise<StuckChange> {
  await client.query('BEGIN');
  try {
    const stuck = await readStuckChange(client);
    if (!stuck) throw new SkipRefusedError(`the pipeline is not stopped at any change (nothing recorded after the target's applied position); nothing to skip`);
    if (!stuck.position.equals(position)) {
      throw new SkipRefusedError(
        `the pipeline is stopped at position ${stuck.position}, not ${position}; kasho skip skips only the change it is stopped at (${stuck.error})`,
      );
    }
    await client.query(REQUEST_SKIP, [position.toString(), reason]);
    await client.query('COMMIT');
    return stuck;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Inside the open target transaction that moves the applied position past the skipped transaction. */
export async function recordSkip(client: Queryable, record: SkipRecord): Promise<void> {
  await client.query(RECORD_SKIP, [record.position.toString(), record.reason, record.tables, record.requestedAt ?? null]);
}

export async function readSkipped(client: Queryable, position: Position): Promise<{ skippedAt: Date; reason: string; tables: string[] } | undefined> {
  const { rows } = await client.query<{ skipped_at: Date; reason: string; tables: string[] }>(READ_SKIPPED, [position.toString()]);
  const row = rows[0];
  return row ? { skippedAt: row.skipped_at, reason: row.reason, tables: row.tables } : undefined;
}
