import { Inject, Injectable, Logger } from '@nestjs/common';
import { CHANGE_BUFFER, ChangeBuffer } from '@kasho/buffer';
import { ChangeEnvelope } from '@kasho/contracts';
import { sleep } from '@kasho/runtime';
import { BufferedBytes } from './buffered-bytes';
import { CaptureGate } from './capture-gate';
import { CAPTURE_OPTIONS } from './capture.module-definition';
import { CaptureOptions } from './capture.options';
import { CaptureState } from './capture-state';
import { SlotAcknowledger } from './slot-acknowledger';

/**
 * Invariant I5: WAL reading pauses at a transaction boundary while the buffer holds more than
 * maxBufferedChanges changes, or more than maxBufferedBytes bytes, beyond the applied position
 * (applied entries are trimmed, so the stream length is the distance; bytes are counted as appended,
 * see BufferedBytes). The slot is kept alive every few seconds while paused so the source does not
 * drop the replication connection (wal_sender_timeout).
 */
@Injectable()
export class BufferBackpressure {
  private static readonly POLL_MS = 100;
  private static readonly KEEPALIVE_MS = 10_000;
  private readonly logger = new Logger(BufferBackpressure.name);
  private readonly bytes = new BufferedBytes();

  constructor(
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureOptions,
    private readonly acknowledger: SlotAcknowledger,
    private readonly state: CaptureState,
    private readonly gate: CaptureGate,
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

  /**
   * After a whole transaction is appended: returns at once when there is room, else pauses (phase
   * `paused`) until the target catches up, the gate interrupts (snapshot, hole) or shutdown.
   */
  async pauseWhileFull(): Promise<void> {
    const waited = await this.waitForRoom(
      () => this.acknowledger.keepAlive(),
      this.gate.signal,
      () => {
        this.state.set('paused');
        this.logger.warn('Buffer is full: WAL reading paused until the target catches up');
      },
    );
    if (waited > 0 && !this.gate.closed) {
      this.state.set('streaming');
      this.logger.log(`WAL reading resumed after ${waited} ms`);
    }
  }

  /** Resolves when there is room; returns how long it waited (ms). */
  private async waitForRoom(keepAlive: () => Promise<void>, signal: AbortSignal, onPause: () => void): Promise<number> {
    if (!(await this.full())) return 0;
    onPause();
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
    if (this.bytes.total > this.options.maxBufferedBytes) {
      const applied = await this.buffer.getApplied();
      if (applied) this.bytes.appliedThrough(applied);
      if (this.bytes.total > this.options.maxBufferedBytes) return true;
    }
    return (await this.buffer.length()) > this.options.maxBufferedChanges;
  }
}
