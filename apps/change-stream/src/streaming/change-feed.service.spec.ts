import { status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { Subscription } from 'rxjs';
import { InMemoryChangeBuffer } from '@kasho/buffer';
import { Position } from '@kasho/contracts';
import { ErrorMetrics } from '@kasho/metrics';
import { inserts, waitFor } from '@kasho/testing';
import { CaptureGate } from '../capture/capture-gate';
import { ChangeFeedService } from './change-feed.service';
import { ConsumerLease } from './consumer-lease';

const P = (t: string) => Position.parse(t);

const rows = (from: number, to: number) => inserts(BigInt(from), to - from + 1);

describe('ChangeFeedService', () => {
  let buffer: InMemoryChangeBuffer;
  let lease: ConsumerLease;
  let errors: string[];
  let rebuilds: number;
  let feed: ChangeFeedService;
  let batches: string[][];
  let failure: unknown;
  let subscription: Subscription | undefined;

  beforeEach(async () => {
    buffer = new InMemoryChangeBuffer();
    await buffer.open();
    lease = new ConsumerLease();
    errors = [];
    rebuilds = 0;
    batches = [];
    failure = undefined;
    const gate = { rebuildBuffer: async () => void rebuilds++ } as unknown as CaptureGate;
    feed = new ChangeFeedService(buffer, { record: (kind: string) => errors.push(kind) } as unknown as ErrorMetrics, lease, gate);
  });

  afterEach(async () => {
    subscription?.unsubscribe();
    await buffer.close();
  });

  function open(after: Position, window = 0): void {
    subscription = feed.open(after, window, 'consumer-1', 'target-a').subscribe({
      next: (batch) => batches.push(batch.map((c) => c.position.toString())),
      error: (err) => (failure = err),
    });
  }
  const sent = () => batches.flat();

  it('replays what is buffered in pages of at most a thousand changes, in order', async () => {
    await buffer.append(rows(1, 2_500));
    open(Position.ZERO);
    await waitFor(() => sent().length === 2_500, { what: 'all changes', timeoutMs: 3_000 });
    expect(batches.map((b) => b.length)).toEqual([1_000, 1_000, 500]);
    expect(sent()).toEqual(rows(1, 2_500).map((c) => c.position.toString()));
    expect(failure).toBeUndefined();
  });

  it('sends no more than the credit window until the consumer acknowledges receipt', async () => {
    await buffer.append(rows(1, 10));
    open(Position.ZERO, 3);
    await waitFor(() => sent().length === 3, { what: 'the first window', timeoutMs: 3_000 });
    await new Promise((r) => setTimeout(r, 200));
    expect(sent()).toEqual(['1-0', '2-0', '3-0']);
    lease.session('consumer-1')!.window.acknowledge(P('3-0'));
    await waitFor(() => sent().length === 6, { what: 'the next window', timeoutMs: 3_000 });
    expect(batches).toEqual([
      ['1-0', '2-0', '3-0'],
      ['4-0', '5-0', '6-0'],
    ]);
  });

  it('resumes after the given position, then follows what is appended', async () => {
    await buffer.append(rows(1, 5));
    open(P('3-0'));
    await waitFor(() => sent().length === 2, { what: 'the rest of the buffer', timeoutMs: 3_000 });
    await buffer.append(rows(6, 7));
    await waitFor(() => sent().length === 4, { what: 'new changes', timeoutMs: 3_000 });
    expect(sent()).toEqual(['4-0', '5-0', '6-0', '7-0']);
  });

  it('refuses a position older than the applied one: its changes are trimmed', async () => {
    await buffer.append(rows(1, 5));
    await buffer.setApplied(P('4-0'));
    open(P('2-0'));
    await waitFor(() => failure !== undefined, { what: 'the refusal', timeoutMs: 3_000 });
    expect((failure as RpcException).getError()).toMatchObject({ code: status.FAILED_PRECONDITION });
    expect(sent()).toEqual([]);
  });

  it('never skips a hole: has capture rebuild the buffer and ends the stream UNAVAILABLE', async () => {
    await buffer.append(rows(1, 5));
    buffer.simulateEntryLoss([P('3-0')]);
    open(Position.ZERO);
    await waitFor(() => failure !== undefined, { what: 'the stream to end', timeoutMs: 3_000 });
    expect((failure as RpcException).getError()).toMatchObject({ code: status.UNAVAILABLE });
    expect(rebuilds).toBe(1);
    expect(errors).toEqual(['buffer_gap']);
    expect(sent()).not.toContain('4-0');
    expect(lease.session('consumer-1')).toBeUndefined();
  });
});
