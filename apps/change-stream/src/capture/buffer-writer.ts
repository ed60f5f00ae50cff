import { Inject, Injectable, Logger } from '@nestjs/common';
import { BufferEpochChangedError, CHANGE_BUFFER, ChangeBuffer } from '@kasho/buffer';
import { ChangeEnvelope, splitBySize } from '@kasho/contracts';
import { CaptureMetrics } from '../metrics/capture.metrics';
import { BufferBackpressure } from './buffer-backpressure';
import { CaptureGate } from './capture-gate';
import { BufferLostError, CaptureSuspendedError } from './capture.errors';
import { SlotProgress } from './slot-progress';

/**
 * Capture's side of the change buffer: opens it, appends decoded changes in size-bounded runs,
 * records each whole transaction as buffered (I2) and pauses at its commit while the buffer is full
 * (I5), and deletes the stream for a rebuild. Holds the append in flight, so a suspension or a
 * rebuild can wait until nothing more is being appended.
 */
@Injectable()
export class BufferWriter {
  /** One buffer append (one script run) carries at most this many bytes (changeSize); a larger single change goes alone. */
  static readonly APPEND_BYTES = 8 * 1024 * 1024;
  private readonly logger = new Logger(BufferWriter.name);
  /** The last append() call, so drained() resolves only once nothing more is appended. */
  private inflight?: Promise<void>;

  constructor(
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    private readonly backpressure: BufferBackpressure,
    private readonly progress: SlotProgress,
    private readonly metrics: CaptureMetrics,
    private readonly gate: CaptureGate,
  ) {}

  /** Opens the buffer before decoding starts; a buffer that is new or came back empty holds no bytes any more. */
  async open(): Promise<void> {
    const { fresh } = await this.buffer.open();
    if (fresh) {
      this.logger.warn('The change buffer is new or came back empty: decoding restarts from the slot');
      this.backpressure.bufferLost();
    }
  }

  /** False once Redis no longer holds this writer's buffer (restarted empty, or re-created by another writer). */
  epochIntact(): Promise<boolean> {
    return this.buffer.epochIntact();
  }

  /** Appends a chunk handed over by the WAL reader; rejects with {@link BufferLostError} when Redis lost the buffer. */
  append(changes: ChangeEnvelope[]): Promise<void> {
    const call = this.appendChanges(changes);
    this.inflight = call;
    return call;
  }

  /** Resolves once the append in flight, if any, has ended (either way). */
  async drained(): Promise<void> {
    await this.inflight?.catch(() => undefined);
  }

  /** With decoding stopped: deletes the stream (with its epoch), so decoding rebuilds it from the slot. */
  async reset(): Promise<void> {
    await this.drained();
    await this.buffer.reset();
    this.logger.warn('Buffer deleted after a hole: decoding restarts from the replication slot');
  }

  private async appendChanges(changes: ChangeEnvelope[]): Promise<void> {
    if (this.gate.suspended) throw new CaptureSuspendedError();
    try {
      // Positions stay exact across the runs and the commit entry, last in `changes`, is appended last.
      for (const run of splitBySize(changes, BufferWriter.APPEND_BYTES)) await this.buffer.append(run);
      this.backpressure.appended(changes);
      this.metrics.recordCaptured(changes);
      const last = changes[changes.length - 1];
      if (last?.change.kind === 'commit') {
        this.progress.buffered(BigInt(last.change.commitEndLsn));
        await this.backpressure.pauseWhileFull();
      }
    } catch (err) {
      throw err instanceof BufferEpochChangedError ? new BufferLostError() : err;
    }
  }
}
