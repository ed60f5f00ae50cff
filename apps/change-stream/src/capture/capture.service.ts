import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CHANGE_BUFFER, BufferEpochChangedError, ChangeBuffer } from '@kasho/buffer';
import { ChangeEnvelope, Position, splitBySize } from '@kasho/contracts';
import { SourceSetupService, WalReader } from '@kasho/replication';
import { Backoff, sleep } from '@kasho/runtime';
import { CaptureMetrics } from '../metrics/capture.metrics';
import { BufferBackpressure } from './buffer-backpressure';
import { CaptureState } from './capture-state';
import { SlotProgress } from './slot-progress';

/**
 * The capture loop: source WAL → Redis buffer, acknowledging the slot only up to what the target
 * has applied. Any failure (source, Redis, a Redis that came back empty) stops decoding and
 * restarts it from the slot, which still holds everything not applied: nothing is skipped.
 */
@Injectable()
export class CaptureService implements OnApplicationBootstrap, OnApplicationShutdown {
  private static readonly EPOCH_CHECK_MS = 2_000;
  /** One buffer append (one script run) carries at most this many bytes (changeSize); a larger single change goes alone. */
  static readonly APPEND_BYTES = 8 * 1024 * 1024;
  private readonly logger = new Logger(CaptureService.name);
  private readonly abort = new AbortController();
  private readonly backoff = new Backoff();
  private loop?: Promise<void>;
  /** Ends the current decoding session; set while one runs. */
  private endSession?: (reason: Error) => void;
  /** Set between suspend() and resume() (initial snapshot): the loop parks instead of decoding. */
  private suspension?: Suspension;
  /** The onChanges call in flight, so suspend() returns only once nothing more is appended. */
  private inflight?: Promise<void>;
  /** Aborted by suspend(): ends a retry delay or a backpressure wait early. */
  private wake = new AbortController();
  /** Set by rebuildBuffer() until the stream is deleted and decoding restarts from the slot. */
  private rebuild?: { reason: Error; done: Promise<void>; resolve: () => void };

  constructor(
    private readonly setup: SourceSetupService,
    private readonly reader: WalReader,
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    private readonly backpressure: BufferBackpressure,
    private readonly progress: SlotProgress,
    private readonly state: CaptureState,
    private readonly metrics: CaptureMetrics,
  ) {}

  /** Source setup errors (privileges, wal_level, slot in use) are fatal at boot: they need a person. */
  async onApplicationBootstrap(): Promise<void> {
    await this.setup.ensure();
    this.loop = this.run();
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
      this.rebuild = { reason: new Error('the buffer has a hole: rebuilding it from the slot'), done, resolve };
      this.fail(this.rebuild.reason);
      this.wake.abort(); // ends a retry delay or a backpressure wait
      this.wake = new AbortController();
    }
    return this.rebuild.done;
  }

  /** Runs with decoding stopped: nothing is appended while the stream is deleted. */
  private async resetBuffer(): Promise<void> {
    const rebuild = this.rebuild;
    if (!rebuild) return;
    await this.inflight?.catch(() => undefined);
    await this.buffer.reset();
    this.rebuild = undefined;
    rebuild.resolve();
    this.logger.warn('Buffer deleted after a hole: decoding restarts from the replication slot');
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    this.endSession?.(new Error('shutdown'));
    await this.reader.stop();
    await this.loop;
    this.state.set('stopped');
  }

  /** The translicator reports a commit durably applied on the target. */
  async recordApplied(position: Position, commitEndLsn: bigint): Promise<void> {
    if (!this.progress.applied(position, commitEndLsn)) return;
    await this.buffer.setApplied(position);
    await this.buffer.trimThrough(position);
    await this.acknowledge();
  }

  /**
   * Stops decoding and returns once the replication connection is closed and nothing more is being
   * appended, so the slot can be dropped and re-created (initial snapshot). Until resume(), the
   * loop stays parked. Idempotent while suspended.
   */
  async suspend(): Promise<void> {
    if (!this.suspension) {
      let release!: () => void;
      let parked!: () => void;
      const resumed = new Promise<void>((resolve) => (release = resolve));
      const isParked = new Promise<void>((resolve) => (parked = resolve));
      this.suspension = { resumed, release, parked, isParked };
      this.logger.log('Capture suspended (snapshot)');
    }
    const suspension = this.suspension;
    this.wake.abort();
    this.wake = new AbortController();
    this.endSession?.(new Error('suspended'));
    await this.reader.stop();
    await this.inflight?.catch(() => undefined);
    await Promise.race([suspension.isParked, new Promise<void>((resolve) => this.abort.signal.addEventListener('abort', () => resolve(), { once: true }))]);
  }

  /** Decoding starts again from the slot (the re-created one after a snapshot). */
  resume(): void {
    const suspension = this.suspension;
    if (!suspension) return;
    this.suspension = undefined;
    this.backoff.reset();
    suspension.release();
    this.logger.log('Capture resumed');
  }

  /** While suspended: parks until resume() or shutdown. */
  private async park(): Promise<void> {
    const suspension = this.suspension;
    if (!suspension) return;
    this.state.set('snapshot');
    suspension.parked();
    await Promise.race([suspension.resumed, new Promise<void>((resolve) => this.abort.signal.addEventListener('abort', () => resolve(), { once: true }))]);
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      if (this.suspension) {
        await this.park();
        continue;
      }
      try {
        const ended = new Promise<Error>((resolve) => (this.endSession = resolve));
        if (this.rebuild) await this.resetBuffer();
        const { fresh } = await this.buffer.open();
        if (fresh) {
          this.logger.warn('Redis buffer is new or came back empty: decoding restarts from the slot');
          this.backpressure.bufferLost();
        }
        await this.reader.start({
          onChanges: (changes) => this.onChanges(changes),
          onKeepalive: (walEnd, shouldRespond, idle) => this.onKeepalive(walEnd, shouldRespond, idle),
          onError: (err) => this.fail(err),
          onSkippedDdl: (skipped) => this.metrics.recordSkippedDdl(skipped.tag),
        });
        this.state.set('streaming');
        this.logger.log('Streaming changes from the source');
        this.backoff.reset();
        const reason = await this.watchingEpoch(ended);
        if (this.abort.signal.aborted) break;
        if (this.suspension) continue;
        throw reason;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        if (this.suspension || err === this.rebuild?.reason) {
          await this.reader.stop().catch(() => undefined);
          continue;
        }
        const error = err as Error;
        const delay = this.backoff.next();
        this.state.set('retrying', error.message);
        this.metrics.recordError('capture');
        this.logger.error(`Capture stopped: ${error.message}; restarting from the slot in ${delay} ms`);
        await this.reader.stop().catch(() => undefined);
        await sleep(delay, AbortSignal.any([this.abort.signal, this.wake.signal]));
      }
    }
  }

  /**
   * While a session runs, checks every few seconds that Redis still holds this writer's buffer, so a
   * Redis that came back empty is noticed on an idle source too (not only on the next append) and
   * decoding restarts from the slot (I2). A Redis that does not answer is left to the appends.
   */
  private async watchingEpoch<T>(ended: Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      this.buffer.epochIntact().then(
        (intact) => intact || this.fail(new Error('Redis lost the buffer (epoch changed)')),
        () => undefined,
      );
    }, CaptureService.EPOCH_CHECK_MS);
    try {
      return await ended;
    } finally {
      clearInterval(timer);
    }
  }

  private fail(error: Error): void {
    this.endSession?.(error);
  }

  private onChanges(changes: ChangeEnvelope[]): Promise<void> {
    const call = this.appendChanges(changes);
    this.inflight = call;
    return call;
  }

  private async appendChanges(changes: ChangeEnvelope[]): Promise<void> {
    if (this.suspension) throw new Error('suspended');
    try {
      // Positions stay exact across the runs and the commit entry, last in `changes`, is appended last.
      for (const run of splitBySize(changes, CaptureService.APPEND_BYTES)) await this.buffer.append(run);
      this.backpressure.appended(changes);
      this.metrics.recordCaptured(changes);
      const last = changes[changes.length - 1];
      if (last?.change.kind === 'commit') {
        this.progress.buffered(BigInt(last.change.commitEndLsn));
        const waited = await this.backpressure.waitForRoom(
          () => this.keepAlive(),
          AbortSignal.any([this.abort.signal, this.wake.signal]),
          () => {
            this.state.set('paused');
            this.logger.warn('Buffer is full: WAL reading paused until the target catches up');
          },
        );
        if (waited > 0 && !this.abort.signal.aborted) {
          this.state.set('streaming');
          this.logger.log(`WAL reading resumed after ${waited} ms`);
        }
      }
    } catch (err) {
      const error = err instanceof BufferEpochChangedError ? new Error('Redis lost the buffer (epoch changed)') : (err as Error);
      this.fail(error);
      throw error;
    }
  }

  private async onKeepalive(walEnd: bigint, shouldRespond: boolean, idle: boolean): Promise<void> {
    const next = this.progress.nextAck(walEnd, idle);
    if (next !== null) await this.sendAck(next);
    else if (shouldRespond) await this.keepAlive();
  }

  private async acknowledge(): Promise<void> {
    const next = this.progress.nextAck();
    if (next !== null) await this.sendAck(next);
  }

  /** Re-sends the last acknowledged position: a status update that keeps the connection alive. */
  private async keepAlive(): Promise<void> {
    await this.reader.acknowledge(this.progress.lastAcknowledged).catch(() => undefined);
  }

  private async sendAck(lsn: bigint): Promise<void> {
    try {
      await this.reader.acknowledge(lsn);
      this.progress.markAcknowledged(lsn);
    } catch (err) {
      this.metrics.recordError('ack');
      this.logger.warn(`Could not acknowledge the slot: ${(err as Error).message}`);
    }
  }
}

interface Suspension {
  resumed: Promise<void>;
  release: () => void;
  parked: () => void;
  isParked: Promise<void>;
}
