import { ChangeEnvelope, Position } from '@kasho/contracts';

/** What the health indicator needs to know; no values. */
export interface BufferProbe {
  epochPresent: boolean;
}

/**
 * The ordered change buffer between capture and apply: one stream whose entry IDs are the change
 * positions (invariant I1). Redis in production ({@link RedisChangeBuffer}), in memory for unit tests
 * of other modules and `KV_URL=memory://` ({@link InMemoryChangeBuffer}); both keep the same semantics.
 */
export interface ChangeBuffer {
  /** Creates the epoch if absent. Returns the epoch and whether the buffer was found empty/new (fresh=true means: restart decoding from the slot). */
  open(): Promise<{ epoch: string; fresh: boolean }>;
  /**
   * Appends in order; entries at or below the last ID are skipped; each entry records its predecessor's ID.
   * Throws BufferEpochChangedError when Redis lost the buffer since open(), BufferTailLostError when the
   * stream's last ID is no longer the one this writer's previous append left (it lost its tail), and
   * BufferOrderError when the batch itself is not strictly increasing. After either loss: open() again and
   * restart decoding from the slot.
   */
  append(changes: ChangeEnvelope[]): Promise<{ appended: number; skipped: number }>;
  /** A reader with its own connection for blocking reads. */
  openReader(): ChangeReader;
  /** The entry at exactly `position`, or null when the buffer does not hold it (never written, trimmed or lost). */
  entryAt(position: Position): Promise<ChangeEnvelope | null>;
  /**
   * Deletes the stream and the epoch (the applied position stays): the next open() is fresh and decoding
   * restarts from the slot. For a stream found to have a hole.
   */
  reset(): Promise<void>;
  /** The store's `maxmemory-policy`, or null when it refuses to say (CONFIG disabled); rejects when it does not answer. */
  evictionPolicy(): Promise<string | null>;
  /** Drops entries at or below `position` (they are applied on the target). */
  trimThrough(position: Position): Promise<void>;
  /**
   * Whether the store still holds the epoch this writer opened. False: it lost the buffer (Redis came back
   * empty) and decoding must restart from the slot; lets an idle writer notice without an append.
   * Rejects when the store does not answer.
   */
  epochIntact(): Promise<boolean>;
  /** Entries currently retained. */
  length(): Promise<number>;
  /** Last entry ID ever added (last-generated-id), or null when the stream does not exist. */
  lastPosition(): Promise<Position | null>;
  /** Records / reads the applied position reported by the translicator (informational; the target is the system of record). */
  setApplied(position: Position): Promise<void>;
  getApplied(): Promise<Position | null>;
  /**
   * For readiness: the store answers (Redis: PING) and whether the epoch exists (missing: the store lost
   * the buffer and the writer has not re-opened it yet). Rejects when the store does not answer.
   */
  probe(): Promise<BufferProbe>;
  /** Closes the connection and every reader still open. Idempotent. */
  close(): Promise<void>;
}

export interface ChangeReader {
  /**
   * Entries strictly after `after`, up to `count`, waiting up to `blockMs` when none are there yet (XREAD BLOCK:
   * replay and follow in one call, I4). Returns [] on timeout. `blockMs <= 0` does not wait.
   * Throws BufferGapError when an entry's predecessor is after the last position seen (`after`, then each
   * entry read): entries in between were lost.
   * A read pending when the reader is closed resolves []; a read after close() rejects.
   * With `maxBytes`, the entries returned hold at most that many stored bytes, except that the first
   * entry is always returned whatever its size (a page never comes back empty because one entry is big).
   */
  read(after: Position, count: number, blockMs: number, maxBytes?: number): Promise<ChangeEnvelope[]>;
  /** Interrupts a pending blocking read promptly (disconnects). Idempotent. */
  close(): Promise<void>;
}
