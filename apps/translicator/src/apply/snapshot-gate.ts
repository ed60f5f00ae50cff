import type { ChangePayload, Position } from '@kasho/contracts';

/**
 * What the apply loop asks of the snapshot capability (SnapshotCoordinator implements it), at its few
 * decision points and nothing else:
 * - after taking the target's lock: run an initial snapshot when one is due;
 * - per change: whether it is already in a table resync's copy;
 * - between target transactions: run the table resyncs requested meanwhile.
 */
export interface SnapshotGate {
  /**
   * Called with the lock held and the position just read. True when a snapshot ran (the loop then
   * re-opens the target to read the position it wrote); false to follow the stream now.
   */
  beforeFollow(opened: { position: Position; commitEndLsn: string | null; targetId: string }, signal: AbortSignal): Promise<boolean>;
  /** The change to apply, or null when a resynced table's copy already holds it. */
  keep(change: ChangePayload, position: Position): ChangePayload | null;
  /** A table resync was requested and has not run yet. */
  readonly resyncPending: boolean;
  /** Aborted when a table resync is requested, to wake the loop waiting for batches. */
  readonly resyncWakeSignal: AbortSignal;
  runResyncs(): Promise<void>;
}
