import { Inject, Injectable } from '@nestjs/common';
import { CHANGE_BUFFER, ChangeBuffer } from '@kasho/buffer';
import { sleep } from '@kasho/runtime';
import { ChangeStreamEnv } from '../config/change-stream.env';

/**
 * Invariant I5: WAL reading pauses at a transaction boundary while the buffer holds more than
 * MAX_BUFFERED_CHANGES changes beyond the applied position (applied entries are trimmed, so the
 * stream length is the distance). `keepAlive` runs every few seconds while paused so the source
 * does not drop the replication connection (wal_sender_timeout).
 */
@Injectable()
export class BufferBackpressure {
  private static readonly POLL_MS = 100;
  private static readonly KEEPALIVE_MS = 10_000;

  constructor(
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    private readonly env: ChangeStreamEnv,
  ) {}

  /** Resolves when there is room; returns how long it waited (ms). */
  async waitForRoom(keepAlive: () => Promise<void>, signal: AbortSignal, onPause?: () => void): Promise<number> {
    if ((await this.buffer.length()) <= this.env.MAX_BUFFERED_CHANGES) return 0;
    onPause?.();
    const started = Date.now();
    let lastKeepAlive = started;
    while (!signal.aborted && (await this.buffer.length()) > this.env.MAX_BUFFERED_CHANGES) {
      if (Date.now() - lastKeepAlive >= BufferBackpressure.KEEPALIVE_MS) {
        await keepAlive();
        lastKeepAlive = Date.now();
      }
      await sleep(BufferBackpressure.POLL_MS, signal);
    }
    return Date.now() - started;
  }
}
