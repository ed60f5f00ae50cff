import { reachable, type CheckFacts } from '../check-facts';
import { blocker, ok, warn, type Finding } from '../finding';
import type { PreflightCheck } from '../preflight-check';

/**
 * Room for Kasho's replication slot and WAL sender: its own (unless they exist already) plus one of
 * each for the temporary slot `kasho resync` exports.
 */
export class ReplicationCapacityCheck implements PreflightCheck {
  readonly concern = 'max_replication_slots and max_wal_senders';

  run({ source }: CheckFacts): Finding[] {
    if (!reachable(source)) return [];
    const slotNeeded = source.slot ? 0 : 1;
    const senderNeeded = source.slot?.active ? 0 : 1;
    return [
      this.headroom('max_replication_slots', source.maxReplicationSlots, source.slotsUsed, slotNeeded),
      this.headroom('max_wal_senders', source.maxWalSenders, source.walSendersUsed, senderNeeded),
    ];
  }

  private headroom(setting: string, max: number, used: number, needed: number): Finding {
    const free = max - used;
    const place = `setting ${setting}`;
    const state = `${max} (${used} in use, ${free} free)`;
    const raise = `raise ${setting} (needs a restart) or free some: Kasho needs ${needed ? 'one for itself and ' : ''}one more while kasho resync runs`;
    if (free < needed) return blocker('source', place, `${state}: no room for Kasho's`, raise);
    if (free < needed + 1) return warn('source', place, `${state}: no room for the temporary one kasho resync needs`, raise);
    return ok('source', place, state);
  }
}
