import type { Client } from 'pg';
import { relationKey } from '@kasho/contracts';
import type { BlockRange, Position, SequenceValue } from '@kasho/contracts';
import { WRITE_APPLIED_POSITION } from './applied-position.sql';

/**
 * The snapshot's bookkeeping on the target, in schema kasho (never replicated, never dumped):
 * - snapshot_run: the one full snapshot in progress or last done (snapshot id, consistent point, phase);
 * - snapshot_ranges: block ranges already committed in the current run (each in the same target
 *   transaction as its rows, so a crash never leaves a half range);
 * - snapshot_indexed_tables: tables of the current run whose own indexes and constraints are built
 *   (in the same target transaction as the indexes);
 * - table_resync: per table, the consistent point of its last resync; the apply loop skips that
 *   table's row changes committed before it (they are in the copy).
 */
export const ENSURE_SNAPSHOT_TABLES = `
CREATE SCHEMA IF NOT EXISTS kasho;
CREATE TABLE IF NOT EXISTS kasho.snapshot_run (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  snapshot_id text NOT NULL,
  consistent_lsn text NOT NULL,
  phase text NOT NULL CHECK (phase IN ('data', 'done')),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  tables int NOT NULL DEFAULT 0,
  rows bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS kasho.snapshot_ranges (
  schema_name text NOT NULL,
  table_name text NOT NULL,
  start_block numeric NOT NULL,
  end_block numeric NOT NULL,
  rows bigint NOT NULL,
  done_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (schema_name, table_name, start_block)
);
CREATE TABLE IF NOT EXISTS kasho.snapshot_indexed_tables (
  schema_name text NOT NULL,
  table_name text NOT NULL,
  done_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (schema_name, table_name)
);
CREATE TABLE IF NOT EXISTS kasho.table_resync (
  schema_name text NOT NULL,
  table_name text NOT NULL,
  after_lsn numeric NOT NULL,
  rows bigint NOT NULL,
  done_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (schema_name, table_name)
)`;

export interface SnapshotRun {
  snapshotId: string;
  consistentLsn: bigint;
  phase: 'data' | 'done';
}

export async function ensureSnapshotTables(client: Client): Promise<void> {
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT to_regclass('kasho.snapshot_run') IS NOT NULL AND to_regclass('kasho.snapshot_ranges') IS NOT NULL AND to_regclass('kasho.table_resync') IS NOT NULL
        AND to_regclass('kasho.snapshot_indexed_tables') IS NOT NULL AS ok`,
  );
  if (!rows[0]?.ok) await client.query(ENSURE_SNAPSHOT_TABLES);
}

export async function readRun(client: Client): Promise<SnapshotRun | undefined> {
  const { rows } = await client.query<{ snapshot_id: string; consistent_lsn: string; phase: 'data' | 'done' }>(
    `SELECT snapshot_id, consistent_lsn, phase FROM kasho.snapshot_run WHERE id = 1`,
  );
  const row = rows[0];
  return row && { snapshotId: row.snapshot_id, consistentLsn: BigInt(row.consistent_lsn), phase: row.phase };
}

/** Starts a run (in the caller's transaction, with the schema): forgets the ranges and indexed tables of any earlier one. */
export async function startRun(client: Client, snapshotId: string, consistentLsn: bigint, tables: number): Promise<void> {
  await client.query(`DELETE FROM kasho.snapshot_ranges`);
  await client.query(`DELETE FROM kasho.snapshot_indexed_tables`);
  await client.query(
    `INSERT INTO kasho.snapshot_run (id, snapshot_id, consistent_lsn, phase, started_at, finished_at, tables, rows)
     VALUES (1, $1, $2, 'data', now(), NULL, $3, 0)
     ON CONFLICT (id) DO UPDATE SET snapshot_id = excluded.snapshot_id, consistent_lsn = excluded.consistent_lsn,
       phase = 'data', started_at = now(), finished_at = NULL, tables = excluded.tables, rows = 0`,
    [snapshotId, consistentLsn.toString(), tables],
  );
}

export async function doneRanges(client: Client): Promise<Map<string, number>> {
  const { rows } = await client.query<{ schema_name: string; table_name: string; start_block: string; rows: string }>(
    `SELECT schema_name, table_name, start_block::text, rows::text FROM kasho.snapshot_ranges`,
  );
  return new Map(rows.map((r) => [rangeKey(r.schema_name, r.table_name, BigInt(r.start_block)), Number(r.rows)]));
}

export async function recordRange(client: Client, schema: string, table: string, range: BlockRange, rows: number): Promise<void> {
  await client.query(`INSERT INTO kasho.snapshot_ranges (schema_name, table_name, start_block, end_block, rows) VALUES ($1, $2, $3, $4, $5)`, [
    schema,
    table,
    range.startBlock.toString(),
    range.endBlock.toString(),
    rows,
  ]);
}

/** Tables of the current run whose own indexes and constraints are built, as relationKey(schema, table). */
export async function indexedTables(client: Client): Promise<Set<string>> {
  const { rows } = await client.query<{ schema_name: string; table_name: string }>(`SELECT schema_name, table_name FROM kasho.snapshot_indexed_tables`);
  return new Set(rows.map((r) => relationKey(r.schema_name, r.table_name)));
}

/** In the transaction that built the table's indexes and constraints. */
export async function recordIndexed(client: Client, schema: string, table: string): Promise<void> {
  await client.query(`INSERT INTO kasho.snapshot_indexed_tables (schema_name, table_name) VALUES ($1, $2)`, [schema, table]);
}

export async function finishRun(client: Client, rows: number): Promise<void> {
  await client.query(`UPDATE kasho.snapshot_run SET phase = 'done', finished_at = now(), rows = $1 WHERE id = 1`, [rows]);
}

/**
 * The snapshot's position, compare-and-set like the applier's (the same statement): from the position
 * read when the lock was taken (`expected`). False when the row no longer holds `expected` (another
 * writer applied to this target).
 */
export async function writeSnapshotPosition(client: Client, position: Position, consistentLsn: bigint, expected: Position): Promise<boolean> {
  const written = await client.query(WRITE_APPLIED_POSITION, [position.toString(), consistentLsn.toString(), expected.toString()]);
  return written.rowCount === 1;
}

/** A table resync's consistent point and rows, in the transaction that holds its copy. */
export async function recordTableResync(client: Client, schema: string, table: string, afterLsn: bigint, rows: number): Promise<void> {
  await client.query(
    `INSERT INTO kasho.table_resync (schema_name, table_name, after_lsn, rows, done_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (schema_name, table_name) DO UPDATE SET after_lsn = excluded.after_lsn, rows = excluded.rows, done_at = now()`,
    [schema, table, afterLsn.toString(), rows],
  );
}

/** The table resyncs whose consistent point is past `commitLsn` (the applied position has not passed them yet). */
export async function tableResyncsAfter(client: Client, commitLsn: bigint): Promise<{ schema: string; table: string; afterLsn: bigint }[]> {
  const { rows } = await client.query<{ schema_name: string; table_name: string; after_lsn: string }>(
    `SELECT schema_name, table_name, after_lsn::text FROM kasho.table_resync WHERE after_lsn > $1::numeric`,
    [commitLsn.toString()],
  );
  return rows.map((r) => ({ schema: r.schema_name, table: r.table_name, afterLsn: BigInt(r.after_lsn) }));
}

export function rangeKey(schema: string, table: string, startBlock: bigint): string {
  return `${relationKey(schema, table)}\u0000${startBlock}`;
}

/**
 * Moves a target sequence forward to the source's value, never backward: the target keeps whichever
 * is further along in the sequence's own direction (a descending sequence counts down).
 */
export const SETVAL_FORWARD = `
WITH s AS (
  SELECT q.seqrelid AS oid, q.seqincrement AS inc, pg_catalog.pg_sequence_last_value(q.seqrelid) AS cur,
         CASE WHEN $3::boolean THEN $2::bigint ELSE $2::bigint - q.seqincrement END AS used
    FROM pg_catalog.pg_sequence q WHERE q.seqrelid = pg_catalog.to_regclass($1))
SELECT pg_catalog.setval(s.oid, $2::bigint, $3::boolean) FROM s
 WHERE s.cur IS NULL OR (s.inc > 0 AND s.used > s.cur) OR (s.inc < 0 AND s.used < s.cur)`;

export async function setSequencesForward(client: Client, sequences: readonly SequenceValue[]): Promise<number> {
  let moved = 0;
  for (const s of sequences) {
    const name = `${client.escapeIdentifier(s.schema)}.${client.escapeIdentifier(s.name)}`;
    const { rowCount } = await client.query(SETVAL_FORWARD, [name, s.lastValue, s.isCalled]);
    moved += rowCount ?? 0;
  }
  return moved;
}
