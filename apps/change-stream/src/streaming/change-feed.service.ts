import { Inject, Injectable, Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { BufferGapError, CHANGE_BUFFER, ChangeBuffer } from '@kasho/buffer';
import { ChangeEnvelope, Position } from '@kasho/contracts';
import { ErrorMetrics } from '@kasho/metrics';
import { withTimeout } from '@kasho/runtime';
import { CaptureGate } from '../capture/capture-gate';
import { ConsumerLease } from './consumer-lease';
import { CreditWindow } from './credit-window';
import { StreamSession } from './stream-session';
import { failedPrecondition, toRpcException, unavailable } from '../grpc/grpc-status.mapper';
import { ConsumerConflictError } from './streaming.errors';
import { assertStreamable } from './streamable-size';

/**
 * Serves "everything after P, then what follows" from the one ordered Redis stream (invariant I4):
 * XREAD BLOCK from the last sent position replays retained entries and then waits for new ones,
 * so there is no gap between replay and follow and no separate notification channel.
 * One consumer at a time ({@link ConsumerLease}). A hole in the buffer (I2) ends the stream with
 * UNAVAILABLE once the buffer is being rebuilt from the slot; the consumer resumes after its applied position.
 */
@Injectable()
export class ChangeFeedService {
  static readonly DEFAULT_WINDOW = 5_000;
  static readonly MAX_WINDOW = 50_000;
  private static readonly PAGE = 1_000;
  /** A page (one ChangeBatch) holds at most this many bytes (changeSize), or one bigger change alone. */
  static readonly PAGE_BYTES = 4 * 1024 * 1024;
  /** Bytes in flight beyond the consumer's last receipt: a page is sent only below this. */
  static readonly WINDOW_BYTES = 64 * 1024 * 1024;
  private static readonly BLOCK_MS = 1_000;
  /** How long a stream that found a hole waits for the rebuild to start before it ends anyway. */
  private static readonly REBUILD_WAIT_MS = 15_000;

  private readonly logger = new Logger(ChangeFeedService.name);

  constructor(
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    private readonly errors: ErrorMetrics,
    private readonly lease: ConsumerLease,
    private readonly gate: CaptureGate,
  ) {}

  open(after: Position, requestedWindow: number, consumerId: string, targetId: string): Observable<ChangeEnvelope[]> {
    const size = Math.min(ChangeFeedService.MAX_WINDOW, requestedWindow > 0 ? requestedWindow : ChangeFeedService.DEFAULT_WINDOW);
    return new Observable<ChangeEnvelope[]>((subscriber) => {
      const window = new CreditWindow(size, ChangeFeedService.WINDOW_BYTES);
      const session = new StreamSession(consumerId, targetId, window, after);
      try {
        this.lease.attach(session);
      } catch (err) {
        subscriber.error(err instanceof ConsumerConflictError ? toRpcException(err, 'stream') : err);
        return;
      }
      const reader = this.buffer.openReader();
      let closed = false;
      const stop = () => {
        closed = true;
        window.close();
        this.lease.detach(session);
        void reader.close();
      };
      session.whenEnded((error) => {
        if (closed) return;
        stop();
        subscriber.error(error);
      });
      this.logger.log(`Consumer ${consumerId} streaming after ${after} (window ${size})`);

      const pump = async () => {
        await this.assertRetained(after);
        let cursor = after;
        while (!closed) {
          await window.waitForRoom();
          if (closed) break;
          const batch = await reader.read(cursor, Math.min(window.room, ChangeFeedService.PAGE), ChangeFeedService.BLOCK_MS, ChangeFeedService.PAGE_BYTES);
          if (closed || batch.length === 0) continue;
          const bytes = assertStreamable(batch);
          cursor = batch[batch.length - 1].position;
          session.recordSent(batch.length, cursor, bytes);
          subscriber.next(batch);
        }
      };
      pump().then(
        () => subscriber.complete(),
        async (err: Error) => {
          if (closed) return;
          const error = err instanceof BufferGapError ? await this.onGap(consumerId, err) : this.failed(consumerId, err);
          if (closed) return;
          stop();
          subscriber.error(error);
        },
      );

      return stop;
    });
  }

  private failed(consumerId: string, err: Error): RpcException {
    this.errors.record('stream');
    this.logger.warn(`Stream for consumer ${consumerId} failed: ${err.message}`);
    return toRpcException(err, 'change buffer unavailable');
  }

  /** Never skip a hole: report it (positions only), have capture rebuild the buffer from the slot, end the stream. */
  private async onGap(consumerId: string, gap: BufferGapError): Promise<RpcException> {
    this.errors.record('buffer_gap');
    this.logger.error(
      `Buffer hole while streaming to consumer ${consumerId}: ${gap.message}. ` +
        'Entries were lost from Redis; rebuilding the buffer from the replication slot (nothing is skipped)',
    );
    // The stream ends either way: the rebuild failing or outlasting the wait is capture's to retry.
    await withTimeout(this.gate.rebuildBuffer(), ChangeFeedService.REBUILD_WAIT_MS, 'rebuild not started').catch(() => undefined);
    return unavailable('the change buffer had a hole and is being rebuilt from the replication slot: reconnect and resume after your applied position');
  }

  /**
   * Entries at or below the applied position are trimmed. A consumer asking for less than that
   * would silently miss changes, so it is refused: its target is behind what was applied.
   */
  private async assertRetained(after: Position): Promise<void> {
    const applied = await this.buffer.getApplied();
    if (applied && applied.isAfter(after)) {
      throw failedPrecondition(
        `position ${after} is older than the applied position ${applied}, whose changes are no longer buffered: ` +
          'the target was reset or restored; re-initialise it (snapshot) instead of resuming',
      );
    }
  }
}
