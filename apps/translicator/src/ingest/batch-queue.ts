import { ChangeEnvelope } from '@kasho/contracts';

/**
 * Hands change batches from the gRPC stream to the apply loop one at a time. It is bounded by the
 * stream's flow-control window: the server never sends more than the window beyond what the loop
 * has taken (and acknowledged as received).
 */
export class BatchQueue {
  private readonly items: ChangeEnvelope[][] = [];
  private ended = false;
  private failure?: Error;
  private waiter?: () => void;

  push(batch: ChangeEnvelope[]): void {
    this.items.push(batch);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: Error): void {
    this.failure = error;
    this.wake();
  }

  /** True when a batch is waiting right now. */
  get hasReady(): boolean {
    return this.items.length > 0;
  }

  /** The next batch; undefined when the stream ended; throws the stream's error. */
  async take(signal: AbortSignal): Promise<ChangeEnvelope[] | undefined> {
    for (;;) {
      if (this.items.length > 0) return this.items.shift();
      if (this.failure) throw this.failure;
      if (this.ended || signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
