/**
 * What a replication slot costs the source: the WAL it retains and whether PostgreSQL still keeps it.
 * One query, shared by the health indicator, the metrics probe and `kasho check`.
 *
 * `retainedBytes`: WAL between the slot's `restart_lsn` and the server's current position; the source
 * cannot recycle it while the slot exists. `lagBytes`: WAL between `confirmed_flush_lsn` (what the
 * target has durably applied, invariant I2) and the current position. `walStatus` (PostgreSQL 13+):
 * `reserved` and `extended` are fine; `unreserved` means the slot is past `max_slot_wal_keep_size` and
 * its WAL may be removed at the next checkpoint; `lost` means it was, and the slot can no longer be used.
 * `safeWalSize`: bytes that can still be written before the slot becomes `lost` (null when
 * `max_slot_wal_keep_size` is -1, unlimited).
 */
export type SlotWalStatus = 'reserved' | 'extended' | 'unreserved' | 'lost';

export const SLOT_WAL_STATUSES: readonly SlotWalStatus[] = ['reserved', 'extended', 'unreserved', 'lost'];

export interface SlotWal {
  lagBytes: number | null;
  retainedBytes: number | null;
  walStatus: SlotWalStatus | null;
  safeWalSize: number | null;
  active: boolean;
  activePid: number | null;
}

/** $1: the slot name. No row when the slot does not exist. */
export const SLOT_WAL_SQL = `
  SELECT (pg_catalog.pg_current_wal_lsn() - confirmed_flush_lsn)::text AS lag,
         (pg_catalog.pg_current_wal_lsn() - restart_lsn)::text AS retained,
         wal_status, safe_wal_size::text AS safe_wal_size, active, active_pid
    FROM pg_catalog.pg_replication_slots WHERE slot_name = $1`;

export interface SlotWalRow {
  lag: string | null;
  retained: string | null;
  wal_status: string | null;
  safe_wal_size: string | null;
  active: boolean;
  active_pid: number | null;
}

export function parseSlotWal(row: SlotWalRow): SlotWal {
  const bytes = (v: string | null) => (v === null || v === undefined ? null : Math.max(0, Number(v)));
  const status = SLOT_WAL_STATUSES.find((s) => s === row.wal_status) ?? null;
  return {
    lagBytes: bytes(row.lag),
    retainedBytes: bytes(row.retained),
    walStatus: status,
    safeWalSize: row.safe_wal_size === null || row.safe_wal_size === undefined ? null : Number(row.safe_wal_size),
    active: row.active,
    activePid: row.active_pid ?? null,
  };
}
