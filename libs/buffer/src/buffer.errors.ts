/**
 * Redis lost the buffer since `open()` (it restarted empty, or another writer re-created the epoch).
 * The writer must call `open()` again and restart decoding from the replication slot (invariant I2).
 */
export class BufferEpochChangedError extends Error {
  override readonly name = 'BufferEpochChangedError';

  constructor(readonly expectedEpoch: string) {
    super(`the change buffer epoch changed since open() (Redis lost its data?); re-open the buffer and restart decoding from the slot`);
  }
}

/** A buffered entry could not be decoded. Carries the position only, never the payload (it holds row values). */
export class ChangeDecodeError extends Error {
  override readonly name = 'ChangeDecodeError';

  constructor(
    readonly position: string,
    reason: string,
  ) {
    super(`cannot decode buffered change at ${position}: ${reason}`);
  }
}

/** A batch passed to `append()` is not in strictly increasing position order: a bug upstream, never silently reordered. */
export class BufferOrderError extends Error {
  override readonly name = 'BufferOrderError';

  constructor(previous: string, next: string) {
    super(`changes must be appended in strictly increasing position order: ${next} follows ${previous}`);
  }
}

/** The buffer or reader was used after `close()`. */
export class BufferClosedError extends Error {
  override readonly name = 'BufferClosedError';

  constructor(what: string) {
    super(`${what} is closed`);
  }
}

/**
 * The stream is not whole: an entry names a predecessor the reader never saw (entries were lost in
 * the middle: AOF `everysec` crash, an older RDB, failover to a lagging replica, eviction, XDEL).
 * Carries positions only. The buffer must be rebuilt from the replication slot (invariant I2); never skip.
 */
export class BufferGapError extends Error {
  override readonly name = 'BufferGapError';
  constructor(
    /** The last position this reader saw before the hole (its cursor, or the entry before). */
    readonly lastSeen: string,
    /** The entry after the hole. */
    readonly entry: string,
    /** The predecessor that entry names (null: the entry records none, written before predecessors were). */
    readonly prev: string | null,
  ) {
    super(
      prev === null
        ? `buffer entry ${entry} records no predecessor: its continuity after ${lastSeen} cannot be proven`
        : `buffer hole: entry ${entry} follows ${prev}, but the last entry read was ${lastSeen}`,
    );
  }
}

/**
 * At append time the stream's last ID is not the one this writer last appended: the store lost its tail
 * since (restart from an older RDB, failover to a lagging replica). The writer must re-open the buffer
 * and restart decoding from the replication slot, which re-appends what was lost.
 */
export class BufferTailLostError extends Error {
  override readonly name = 'BufferTailLostError';
  constructor(
    readonly expected: string,
    readonly found: string,
  ) {
    super(`the change buffer lost its tail: its last entry is ${found}, this writer last appended ${expected}; restart decoding from the slot`);
  }
}
