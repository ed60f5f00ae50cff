import type { SnapshotPlan } from '@kasho/contracts';
import type { ExportSlot } from '@kasho/replication';

export interface HeldSnapshot {
  kind: 'full' | 'table';
  plan: SnapshotPlan;
  slot: ExportSlot;
  /** The target a full snapshot was prepared for (it holds the consumer lease meanwhile). */
  targetId?: string;
  /** The plan's partitioned tables (relationKey): copied through their root, without ONLY. */
  partitioned: ReadonlySet<string>;
  lastUsed: number;
  activeCopies: number;
}

/**
 * Exported snapshots held open for a translicator, by snapshot id. A snapshot nobody used for
 * `leaseMs` (no call, no copy running) is released: the translicator died or gave up, and an idle
 * export must not hold back the source's vacuum forever.
 */
export class HeldSnapshots {
  private readonly held = new Map<string, HeldSnapshot>();

  constructor(private readonly leaseMs: number) {}

  add(entry: Omit<HeldSnapshot, 'lastUsed' | 'activeCopies'>): void {
    this.held.set(entry.plan.snapshotId, { ...entry, lastUsed: Date.now(), activeCopies: 0 });
  }

  /** The snapshot, its lease renewed; undefined when it is not held. */
  touch(id: string): HeldSnapshot | undefined {
    const entry = this.held.get(id);
    if (entry) entry.lastUsed = Date.now();
    return entry;
  }

  full(): HeldSnapshot | undefined {
    return [...this.held.values()].find((h) => h.kind === 'full');
  }

  async release(id: string): Promise<boolean> {
    const entry = this.held.get(id);
    if (!entry) return false;
    this.held.delete(id);
    await entry.slot.close();
    return true;
  }

  /** Releases the snapshots whose lease ran out; returns their ids. */
  async expire(now = Date.now()): Promise<string[]> {
    const expired = [...this.held.values()].filter((h) => h.activeCopies === 0 && now - h.lastUsed > this.leaseMs).map((h) => h.plan.snapshotId);
    for (const id of expired) await this.release(id);
    return expired;
  }

  async releaseAll(): Promise<void> {
    for (const id of [...this.held.keys()]) await this.release(id);
  }
}
