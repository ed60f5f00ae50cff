import { reachable, type CheckFacts } from '../check-facts';
import { blocker, ok, warn, type Finding } from '../finding';
import type { PreflightCheck } from '../preflight-check';

/** `1.5 GiB`: bytes for a reader. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The WAL the slot holds on the source (invariant I10: never retained without saying so):
 * `max_slot_wal_keep_size`, the slot's kind, `wal_status` (lost is a blocker, unreserved a warning)
 * and the WAL it retains.
 */
export class SlotCheck implements PreflightCheck {
  readonly concern = 'replication slot and retained WAL';

  run({ source, settings }: CheckFacts): Finding[] {
    if (!reachable(source)) return [];
    const findings: Finding[] = [];
    const keep = source.maxSlotWalKeepSizeMb;
    if (keep < 0) {
      findings.push(
        warn(
          'source',
          'setting max_slot_wal_keep_size',
          '-1 (unlimited): while Kasho is stopped or behind, its slot keeps WAL until the source disk is full',
          'set max_slot_wal_keep_size to what the disk can spare (past it the slot is lost and the target needs a new snapshot), and alert on kasho_replication_retained_wal_bytes',
        ),
      );
    } else {
      findings.push(ok('source', 'setting max_slot_wal_keep_size', `${formatBytes(keep * 1024 * 1024)}: the slot never holds more WAL than this`));
    }
    const place = `slot ${settings.slotName}`;
    const slot = source.slot;
    if (!slot) {
      findings.push(ok('source', place, 'does not exist yet: pg-change-stream creates it at its first start'));
      return findings;
    }
    if (slot.slotType !== 'logical' || slot.plugin !== 'pgoutput') {
      findings.push(
        blocker(
          'source',
          place,
          `is ${slot.slotType}/${slot.plugin ?? 'no plugin'}, not a logical pgoutput slot`,
          'set REPLICATION_SLOT to another name, or drop this slot if it is not used',
        ),
      );
      return findings;
    }
    if (slot.database !== source.database) {
      findings.push(blocker('source', place, `belongs to database "${slot.database}", not "${source.database}"`, 'set REPLICATION_SLOT to another name'));
      return findings;
    }
    const retained = slot.retainedBytes === null ? 'unknown' : formatBytes(slot.retainedBytes);
    const activity = slot.active ? `active (pid ${slot.activePid})` : 'inactive';
    if (slot.walStatus === 'lost') {
      findings.push(
        blocker(
          'source',
          place,
          `wal_status lost: the WAL it needs was removed (max_slot_wal_keep_size); it can never be read again`,
          'kasho uninstall --yes (or drop the slot), then start again with a new snapshot of the target (SNAPSHOT_MODE=always once)',
        ),
      );
    } else if (slot.walStatus === 'unreserved') {
      findings.push(
        warn(
          'source',
          place,
          `wal_status unreserved: past max_slot_wal_keep_size, retaining ${retained}; its WAL may be removed at the next checkpoint`,
          'let Kasho catch up now (is pg-change-stream running and the target applying?)',
        ),
      );
    } else {
      findings.push(ok('source', place, `${activity}, wal_status ${slot.walStatus ?? 'unknown'}, retaining ${retained} of WAL`));
    }
    return findings;
  }
}
