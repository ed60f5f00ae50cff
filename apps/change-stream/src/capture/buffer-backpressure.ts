import { Inject, Injectable } from '@nestjs/common';
import { CHANGE_BUFFER, ChangeBuffer } from '@kasho/buffer';
import { ChangeEnvelope } from '@kasho/contracts';
import { sleep } from '@kasho/runtime';
import { ChangeStreamEnv } from '../config/change-stream.env';
import { BufferedBytes } from './buffered-bytes';

/**
 * Invariant I5: WAL reading pauses at a transaction boundary while the buffer holds more than
 * MAX_BUFFERED_CHANGES changes, or more than MAX_BUFFERED_BYTES bytes, beyond the applied position
 * (applied entries are trimmed, so the stream length is the distance; bytes are counted as appended,
 * see BufferedBytes). `keepAlive` runs every few seconds while paused so the source does not drop
 * the replication connection (wal_sender_timeout).
 */
@Injectable()
export class BufferBackpressure {
  private static readonly POLL_MS = 100;
  private static readonly KEEPALIVE_MS = 10_000;
  private readonly bytes = new BufferedBytes();

  constructor(
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    private readonly env: ChangeStreamEnv,
  ) {}

  /** Bytes held beyond the applied position, as last counted. */
  get bufferedBytes(): number {
    return this.bytes.total;
  }

  /** Counts changes just appended to the buffer. */
  appended(changes: readonly ChangeEnvelope[]): void {
    this.bytes.appended(changes);
  }

  /** The buffer came back empty: it holds nothing any more. */
  bufferLost(): void {
    this.bytes.clear();
  }

  /** Resolves when there is room; returns how long it waited (ms). */
  async waitForRoom(keepAlive: () => Promise<void>, signal: AbortSignal, onPause?: () => void): Promise<number> {
    if (!(await this.full())) return 0;
    onPause?.();
    const started = Date.now();
    let lastKeepAlive = started;
    while (!signal.aborted && (await this.full())) {
      if (Date.now() - lastKeepAlive >= BufferBackpressure.KEEPALIVE_MS) {
        await keepAlive();
        lastKeepAlive = Date.now();
      }
      await sleep(BufferBackpressure.POLL_MS, signal);
    }
    return Date.now() - started;
  }

  private async full(): Promise<boolean> {
    if (this.bytes.total > this.env.MAX_BUFFERED_BYTES) {
      const applied = await this.buffer.getApplied();
      if (applied) this.bytes.appliedThrough(applied);
      if (this.bytes.total > this.env.MAX_BUFFERED_BYTES) return true;
    }
    return (await this.buffer.length()) > this.env.MAX_BUFFERED_CHANGES;
  }
}
