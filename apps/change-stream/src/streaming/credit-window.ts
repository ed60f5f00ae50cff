import { Position } from '@kasho/contracts';

/**
 * Flow control for one consumer (invariant I5): at most `size` changes, and a page no sooner than
 * `maxBytes` are no longer in flight, beyond the last position the consumer said it has received.
 * Nest's gRPC writer buffers without limit when a client is slow, so the feed asks the window
 * before reading more. In flight at most: `maxBytes` plus one page.
 */
export class CreditWindow {
  private sent = 0;
  private received = 0;
  private sentBytes = 0;
  private receivedBytes = 0;
  /** Cumulative sent count and bytes at the end of each batch still unacknowledged, oldest first. */
  private readonly batches: { last: Position; sentAfter: number; bytesAfter: number }[] = [];
  private waiter?: () => void;
  private closed = false;

  constructor(
    readonly size: number,
    readonly maxBytes = Infinity,
  ) {}

  /** Changes that may be sent now (0 also while the bytes in flight are at maxBytes). */
  get room(): number {
    if (this.sentBytes - this.receivedBytes >= this.maxBytes) return 0;
    return Math.max(0, this.size - (this.sent - this.received));
  }

  recordSent(count: number, last: Position, bytes = 0): void {
    this.sent += count;
    this.sentBytes += bytes;
    this.batches.push({ last, sentAfter: this.sent, bytesAfter: this.sentBytes });
  }

  /** The consumer has taken everything up to `position` off the stream. */
  acknowledge(position: Position): void {
    while (this.batches.length > 0 && !this.batches[0].last.isAfter(position)) {
      const batch = this.batches.shift()!;
      this.received = batch.sentAfter;
      this.receivedBytes = batch.bytesAfter;
    }
    this.wake();
  }

  /** Resolves when there is room or the window closes. */
  async waitForRoom(): Promise<void> {
    while (!this.closed && this.room === 0) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
