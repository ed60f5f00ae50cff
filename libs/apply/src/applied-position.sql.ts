/**
 * SQL of the target's bookkeeping: `kasho.applied_position` holds one row, the position of the last
 * source commit applied, written in the same transaction as the changes (I3).
 */
export const APPLIED_POSITION_EXISTS = `SELECT to_regclass('kasho.applied_position') IS NOT NULL AS exists`;

export const ENSURE_APPLIED_POSITION = `
CREATE SCHEMA IF NOT EXISTS kasho;
CREATE TABLE IF NOT EXISTS kasho.applied_position (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  position text NOT NULL,
  commit_end_lsn text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

export const READ_APPLIED_POSITION = `SELECT position, commit_end_lsn FROM kasho.applied_position WHERE id = 1`;

/**
 * Compare-and-set: advances only from the position this session read (`$3`), so a second writer
 * that somehow bypassed the advisory lock (another lock key) affects 0 rows instead of both writing.
 */
export const WRITE_APPLIED_POSITION = `
INSERT INTO kasho.applied_position (id, position, commit_end_lsn, applied_at) VALUES (1, $1, $2, now())
ON CONFLICT (id) DO UPDATE SET position = excluded.position, commit_end_lsn = excluded.commit_end_lsn, applied_at = excluded.applied_at
WHERE kasho.applied_position.position = $3`;

export const TRY_LOCK = `SELECT pg_try_advisory_lock($1::bigint) AS locked`;
export const LOCK = `SELECT pg_advisory_lock($1::bigint)`;
/** Who holds the advisory lock: an int8 key is stored as classid (high 32 bits) and objid (low 32 bits). */
export const LOCK_HOLDER = `
SELECT pid, application_name, client_addr::text AS client_addr FROM pg_locks JOIN pg_stat_activity USING (pid)
WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND classid::bigint = (($1::bigint >> 32) & 4294967295) AND objid::bigint = ($1::bigint & 4294967295)
LIMIT 1`;

/**
 * The target's stable identity: a UUID created once in the target's kasho schema, so pg-change-stream
 * can tell a hot standby of the same target (same id) from a second consumer (another id).
 */
export const TARGET_IDENTITY_EXISTS = `SELECT to_regclass('kasho.target_identity') IS NOT NULL AS exists`;

export const ENSURE_TARGET_IDENTITY = `
CREATE SCHEMA IF NOT EXISTS kasho;
CREATE TABLE IF NOT EXISTS kasho.target_identity (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  target_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;

export const READ_TARGET_IDENTITY = `SELECT target_id::text AS target_id FROM kasho.target_identity WHERE id = 1`;

export const INSERT_TARGET_IDENTITY = `
INSERT INTO kasho.target_identity (id, target_id) VALUES (1, $1::uuid) ON CONFLICT (id) DO NOTHING`;
