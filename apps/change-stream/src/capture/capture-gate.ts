import { Injectable, Logger } from '@nestjs/common';
import { BufferHoleError, CaptureShutdownError, CaptureSuspendedError } from './capture.errors';

/**
 * What stops capture, and the latch that keeps it stopped. Each of these aborts {@link signal}, which
 * ends the decoding session and any retry delay or backpressure wait:
 * - shutdown, for good ({@link close});
 * - an initial snapshot, from {@link suspend} until {@link resume}: the slot is dropped and re-created
 *   with an exported snapshot while nothing is decoded or appended, and the loop stays parked;
 * - a reader that found a hole ({@link rebuildBuffer}): decoding stops until the stream is deleted,
 *   then restarts from the slot.
 * The gate holds the state only; the capture loop obeys it ({@link CaptureService}).
 */
@Injectable()
export class CaptureGate {
  private readonly logger = new Logger(CaptureGate.name);
  private readonly closing = new AbortController();
  /** Aborted by suspend() and rebuildBuffer(), then replaced by a fresh one. */
  private wake = new AbortController();
  /** Set between suspend() and resume(). */
  private suspension?: Suspension;
  /** Set by rebuildBuffer() until the stream is deleted (rebuildIfRequested). */
  private rebuild?: { reason: BufferHoleError; done: Promise<void>; resolve: () => void };

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  get suspended(): boolean {
    return this.suspension !== undefined;
  }

  /** Aborted, with the reason, by shutdown or by the next suspend() or rebuildBuffer(). Take it afresh for each wait. */
  get signal(): AbortSignal {
    return AbortSignal.any([this.closing.signal, this.wake.signal]);
  }

  /**
   * Calls `listener` once, with the reason, at the next shutdown, suspend() or rebuildBuffer() (at
   * once after shutdown). Returns what removes it. Listens on the gate's own signals, which the gate
   * holds, so nothing depends on a derived signal staying reachable.
   */
  onInterrupt(listener: (reason: Error) => void): () => void {
    const closing = this.closing.signal;
    const wake = this.wake.signal;
    if (closing.aborted) {
      listener(closing.reason as Error);
      return () => undefined;
    }
    const off = () => {
      closing.removeEventListener('abort', fire);
      wake.removeEventListener('abort', fire);
    };
    const fire = (event: Event) => {
      off();
      listener((event.target as AbortSignal).reason as Error);
    };
    closing.addEventListener('abort', fire);
    wake.addEventListener('abort', fire);
    return off;
  }

  /** Shutdown: capture stops for good. */
  close(): void {
    this.closing.abort(new CaptureShutdownError());
  }

  /**
   * Stops decoding and returns once the replication connection is closed and nothing more is being
   * appended (the loop parks only then), so the slot can be dropped and re-created (initial snapshot).
   * Until resume(), the loop stays parked. Idempotent while suspended.
   */
  async suspend(): Promise<void> {
    if (!this.suspension) {
      this.suspension = new Suspension();
      this.logger.log('Capture suspended (snapshot)');
    }
    const suspension = this.suspension;
    this.interrupt(new CaptureSuspendedError());
    await Promise.race([suspension.parked, this.untilClosed()]);
  }

  /** Decoding starts again from the slot (the re-created one after a snapshot). */
  resume(): void {
    const suspension = this.suspension;
    if (!suspension) return;
    this.suspension = undefined;
    suspension.resume();
    this.logger.log('Capture resumed');
  }

  /** The loop, with decoding stopped, while suspended: parks until resume() or shutdown. */
  async park(): Promise<void> {
    const suspension = this.suspension;
    if (!suspension) return;
    suspension.park();
    await Promise.race([suspension.resumed, this.untilClosed()]);
  }

  /**
   * A reader found a hole in the buffer: the stream is deleted (with its epoch) and decoding restarts
   * from the slot, whose confirmed position is at or below what the target applied, so the rebuilt
   * stream holds everything the target still needs (I2). Resolves once the stream is deleted.
   */
  rebuildBuffer(): Promise<void> {
    if (!this.rebuild) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      this.rebuild = { reason: new BufferHoleError(), done, resolve };
      this.interrupt(this.rebuild.reason);
    }
    return this.rebuild.done;
  }

  /** True when `reason` ended the session for the pending rebuild (not a failure: no retry delay). */
  isRebuilding(reason: unknown): boolean {
    return this.rebuild !== undefined && reason === this.rebuild.reason;
  }

  /** The loop, with decoding stopped: if a rebuild is pending, runs `reset` (deletes the stream), then lets the waiting readers go. */
  async rebuildIfRequested(reset: () => Promise<void>): Promise<void> {
    const rebuild = this.rebuild;
    if (!rebuild) return;
    await reset();
    this.rebuild = undefined;
    rebuild.resolve();
  }

  private interrupt(reason: Error): void {
    const wake = this.wake;
    this.wake = new AbortController();
    wake.abort(reason);
  }

  private untilClosed(): Promise<void> {
    const signal = this.closing.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}

/** One suspend()…resume(): `parked` once the loop has stopped, `resumed` when it may go on. */
class Suspension {
  readonly parked: Promise<void>;
  readonly resumed: Promise<void>;
  readonly park: () => void;
  readonly resume: () => void;

  constructor() {
    let park!: () => void;
    let resume!: () => void;
    this.parked = new Promise<void>((r) => (park = r));
    this.resumed = new Promise<void>((r) => (resume = r));
    this.park = park;
    this.resume = resume;
  }
}
