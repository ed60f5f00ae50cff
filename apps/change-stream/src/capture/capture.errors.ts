/** Capture was suspended (initial snapshot): the decoding session ends and the loop parks until resume(). */
export class CaptureSuspendedError extends Error {
  override readonly name = 'CaptureSuspendedError';

  constructor() {
    super('suspended');
  }
}

/** The application is shutting down: the decoding session ends for good. */
export class CaptureShutdownError extends Error {
  override readonly name = 'CaptureShutdownError';

  constructor() {
    super('shutdown');
  }
}

/** A reader found a hole in the buffer: the decoding session ends, the stream is deleted and rebuilt from the slot (I2). */
export class BufferHoleError extends Error {
  override readonly name = 'BufferHoleError';

  constructor() {
    super('the buffer has a hole: rebuilding it from the slot');
  }
}

/** Redis no longer holds this writer's buffer (it restarted empty, or another writer re-created the epoch): decoding restarts from the slot (I2). */
export class BufferLostError extends Error {
  override readonly name = 'BufferLostError';

  constructor() {
    super('Redis lost the buffer (epoch changed)');
  }
}

/** Redis's `maxmemory-policy` evicts any key (`allkeys-*`): it would punch holes in the buffer, so pg-change-stream refuses to start. */
export class EvictingRedisError extends Error {
  override readonly name = 'EvictingRedisError';
}
