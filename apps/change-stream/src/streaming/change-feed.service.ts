import { Inject, Injectable, Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { CHANGE_BUFFER, ChangeBuffer } from '@kasho/buffer';
import { ChangeEnvelope, Position, envelopesSize } from '@kasho/contracts';
import { ErrorMetrics } from '@kasho/metrics';
import { CreditWindow } from './credit-window';
import { failedPrecondition, unavailable } from './stream-errors';
import { assertStreamable } from './streamable-size';

/**
 * Serves "everything after P, then what follows" from the one ordered Redis stream (invariant I4):
 * XREAD BLOCK from the last sent position replays retained entries and then waits for new ones,
 * so there is no gap between replay and follow and no separate notification channel.
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

  private readonly logger = new Logger(ChangeFeedService.name);
  private readonly windows = new Map<string, CreditWindow>();

  constructor(
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    private readonly errors: ErrorMetrics,
  ) {}

  open(after: Position, requestedWindow: number, consumerId: string): Observable<ChangeEnvelope[]> {
    const size = Math.min(ChangeFeedService.MAX_WINDOW, requestedWindow > 0 ? requestedWindow : ChangeFeedService.DEFAULT_WINDOW);
    return new Observable<ChangeEnvelope[]>((subscriber) => {
      const window = new CreditWindow(size, ChangeFeedService.WINDOW_BYTES);
      const reader = this.buffer.openReader();
      let closed = false;
      this.windows.get(consumerId)?.close();
      this.windows.set(consumerId, window);
      this.logger.log(`Consumer ${consumerId} streaming after ${after} (window ${size})`);

      const pump = async () => {
        await this.assertRetained(after);
        let cursor = after;
        while (!closed) {
          await window.waitForRoom();
          if (closed) break;
          const batch = await reader.read(cursor, Math.min(window.room, ChangeFeedService.PAGE), ChangeFeedService.BLOCK_MS, ChangeFeedService.PAGE_BYTES);
          if (closed || batch.length === 0) continue;
          assertStreamable(batch);
          cursor = Position.parse(batch[batch.length - 1].position);
          window.recordSent(batch.length, cursor, envelopesSize(batch));
          subscriber.next(batch);
        }
      };
      pump().then(
        () => subscriber.complete(),
        (err: Error) => {
          if (closed) return;
          this.errors.record('stream');
          this.logger.warn(`Stream for consumer ${consumerId} failed: ${err.message}`);
          subscriber.error(err instanceof RpcException ? err : unavailable(`change buffer unavailable: ${err.message}`));
        },
      );

      return () => {
        closed = true;
        window.close();
        if (this.windows.get(consumerId) === window) this.windows.delete(consumerId);
        void reader.close();
      };
    });
  }

  /** The consumer has received everything up to `position`: frees window credit. */
  received(consumerId: string, position: Position): void {
    this.windows.get(consumerId)?.acknowledge(position);
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
