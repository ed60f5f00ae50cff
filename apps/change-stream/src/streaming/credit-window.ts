import { Position } from '@kasho/contracts';

/**
 * Flow control for one consumer (invariant I5): at most `size` changes are sent beyond the last
 * position the consumer said it has received. Nest's gRPC writer buffers without limit when a
 * client is slow, so the feed asks the window before reading more.
 */
export class CreditWindow {
  private sent = 0;
  private received = 0;
  /** Cumulative sent count at the end of each batch still unacknowledged, oldest first. */
  private readonly batches: { last: Position; sentAfter: number }[] = [];
  private waiter?: () => void;
  private closed = false;

  constructor(readonly size: number) {}

  get room(): number {
    return Math.max(0, this.size - (this.sent - this.received));
  }

  recordSent(count: number, last: Position): void {
    this.sent += count;
    this.batches.push({ last, sentAfter: this.sent });
  }

  /** The consumer has taken everything up to `position` off the stream. */
  acknowledge(position: Position): void {
    while (this.batches.length > 0 && !this.batches[0].last.isAfter(position)) {
      this.received = this.batches.shift()!.sentAfter;
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
