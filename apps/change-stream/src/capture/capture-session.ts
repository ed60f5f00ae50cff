import { Injectable } from '@nestjs/common';
import { WalReader } from '@kasho/replication';
import { CaptureMetrics } from '../metrics/capture.metrics';
import { BufferWriter } from './buffer-writer';
import { CaptureGate } from './capture-gate';
import { BufferLostError } from './capture.errors';
import { SlotAcknowledger } from './slot-acknowledger';

/**
 * One decoding session: the WAL reader started from the slot, feeding the buffer, until something
 * ends it: the gate (shutdown, snapshot, a hole), a reader error, a failed append, or a Redis that
 * lost the buffer. The slot still holds everything not applied, so the next session loses nothing.
 */
@Injectable()
export class CaptureSession {
  private static readonly EPOCH_CHECK_MS = 2_000;

  constructor(
    private readonly reader: WalReader,
    private readonly writer: BufferWriter,
    private readonly acknowledger: SlotAcknowledger,
    private readonly metrics: CaptureMetrics,
    private readonly gate: CaptureGate,
  ) {}

  /**
   * Deletes the stream first if a rebuild is pending (decoding is stopped here), opens the buffer,
   * starts decoding, calls `started`, and resolves with the reason the session ended. Rejects when
   * it could not start.
   */
  async run(started: () => void): Promise<Error> {
    let end!: (reason: Error) => void;
    const ended = new Promise<Error>((resolve) => (end = resolve));
    const stopListening = this.gate.onInterrupt(end);
    try {
      await this.gate.rebuildIfRequested(() => this.writer.reset());
      await this.writer.open();
      await this.reader.start({
        onChanges: (changes) =>
          this.writer.append(changes).catch((err: Error) => {
            end(err);
            throw err;
          }),
        onKeepalive: (walEnd, shouldRespond, idle) => this.acknowledger.onKeepalive(walEnd, shouldRespond, idle),
        onError: (err) => end(err),
        onSkippedDdl: (skipped) => this.metrics.recordSkippedDdl(skipped.tag),
      });
      started();
      return await this.watchingEpoch(ended, end);
    } finally {
      stopListening();
    }
  }

  /** Closes the replication connection (errors ignored: the next session opens a new one). */
  async stop(): Promise<void> {
    await this.reader.stop().catch(() => undefined);
  }

  /** Resolves once nothing more is being appended. */
  drained(): Promise<void> {
    return this.writer.drained();
  }

  /**
   * While a session runs, checks every few seconds that Redis still holds this writer's buffer, so a
   * Redis that came back empty is noticed on an idle source too (not only on the next append) and
   * decoding restarts from the slot (I2). A Redis that does not answer is left to the appends.
   */
  private async watchingEpoch(ended: Promise<Error>, end: (reason: Error) => void): Promise<Error> {
    const timer = setInterval(() => {
      this.writer.epochIntact().then(
        (intact) => intact || end(new BufferLostError()),
        () => undefined,
      );
    }, CaptureSession.EPOCH_CHECK_MS);
    try {
      return await ended;
    } finally {
      clearInterval(timer);
    }
  }
}
