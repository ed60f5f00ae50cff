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
