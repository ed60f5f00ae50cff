/**
 * SQL of the stuck-change bookkeeping on the target (docs/operations.md, "A change that cannot go
 * through"): `kasho.apply_failure` holds the change the translicator last stopped at (written
 * outside any apply transaction, so it survives the rollback); `kasho skip` writes a request into
 * `kasho.skip_requests`; the translicator skips that one source transaction and writes
 * `kasho.skipped_changes` in the same target transaction as the applied position it moves past it.
 */
export const STUCK_CHANGE_TABLES_EXIST = `
SELECT to_regclass('kasho.apply_failure') IS NOT NULL AND to_regclass('kasho.skip_requests') IS NOT NULL
   AND to_regclass('kasho.skipped_changes') IS NOT NULL AS exists`;

export const ENSURE_STUCK_CHANGE_TABLES = `
CREATE SCHEMA IF NOT EXISTS kasho;
CREATE TABLE IF NOT EXISTS kasho.apply_failure (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  position text NOT NULL,
  error text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS kasho.skip_requests (
  position text PRIMARY KEY,
  reason text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS kasho.skipped_changes (
  position text PRIMARY KEY,
  skipped_at timestamptz NOT NULL DEFAULT now(),
  reason text NOT NULL,
  tables text[] NOT NULL,
  requested_at timestamptz
)`;

export const RECORD_FAILURE = `
INSERT INTO kasho.apply_failure (id, position, error, failed_at) VALUES (1, $1, $2, now())
ON CONFLICT (id) DO UPDATE SET position = excluded.position, error = excluded.error, failed_at = excluded.failed_at`;

/** The recorded failure and the applied position, read together (the failure is current only while it is after the position). */
export const READ_FAILURE = `
SELECT f.position, f.error, f.failed_at, (SELECT position FROM kasho.applied_position WHERE id = 1) AS applied
  FROM kasho.apply_failure f WHERE f.id = 1`;

/** The skip request for the recorded failure, if any. */
export const READ_SKIP_REQUEST = `
SELECT r.position, r.reason, r.requested_at FROM kasho.skip_requests r JOIN kasho.apply_failure f ON f.position = r.position`;

export const REQUEST_SKIP = `
INSERT INTO kasho.skip_requests (position, reason, requested_at) VALUES ($1, $2, now())
ON CONFLICT (position) DO UPDATE SET reason = excluded.reason, requested_at = excluded.requested_at`;

export const RECORD_SKIP = `
WITH done AS (DELETE FROM kasho.skip_requests WHERE position = $1)
INSERT INTO kasho.skipped_changes (position, skipped_at, reason, tables, requested_at) VALUES ($1, now(), $2, $3::text[], $4)`;

export const READ_SKIPPED = `SELECT position, skipped_at, reason, tables FROM kasho.skipped_changes WHERE position = $1`;
