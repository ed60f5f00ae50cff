import { BufferTailLostError, InMemoryChangeBuffer } from '@kasho/buffer';
import { ChangeEnvelope, Position } from '@kasho/contracts';
import { SourceSetupService, WalReader } from '@kasho/replication';
import { ChangeStreamEnv } from '../config/change-stream.env';
import { CaptureMetrics } from '../metrics/capture.metrics';
import { BufferBackpressure } from './buffer-backpressure';
import { CaptureState } from './capture-state';
import { CaptureService } from './capture.service';
import { SlotProgress } from './slot-progress';

type Handlers = Parameters<WalReader['start']>[0];

/** Polls `check` until it is truthy, for at most `timeoutMs`. */
async function waitFor<T>(check: () => T | undefined | false, { timeoutMs, what }: { timeoutMs: number; what: string }): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The WAL reader's part as capture sees it: started from the slot, handed changes, stopped. */
class FakeWalReader {
  starts = 0;
  handlers?: Handlers;
  async start(handlers: Handlers): Promise<void> {
    this.starts++;
    this.handlers = handlers;
  }
  async stop(): Promise<void> {
    this.handlers = undefined;
  }
  async acknowledge(): Promise<void> {}
}

function transaction(lsn: number): ChangeEnvelope[] {
  return [
    {
      position: new Position(BigInt(lsn), 0n),
      change: { kind: 'insert', schema: 'public', table: 't', columns: [{ name: 'id', type: 'int4', typeOid: 23, typeMod: -1, key: true }], new: { id: '1' }, replicaIdentity: 'default' },
    },
    { position: new Position(BigInt(lsn), 1n), change: { kind: 'commit', xid: 1, commitEndLsn: String(lsn + 1), commitTimeMicros: '1', changeCount: 1 } },
  ];
}

describe('CaptureService', () => {
  let buffer: InMemoryChangeBuffer;
  let reader: FakeWalReader;
  let capture: CaptureService;
  let errors: string[];

  beforeEach(async () => {
    buffer = new InMemoryChangeBuffer();
    reader = new FakeWalReader();
    errors = [];
    const env = { MAX_BUFFERED_CHANGES: 1_000_000 } as ChangeStreamEnv;
    const metrics = { recordCaptured: () => undefined, recordError: (kind: string) => errors.push(kind) } as unknown as CaptureMetrics;
    capture = new CaptureService(
      { ensure: async () => undefined } as unknown as SourceSetupService,
      reader as unknown as WalReader,
      buffer,
      new BufferBackpressure(buffer, env),
      new SlotProgress(),
      new CaptureState(),
      metrics,
    );
    await capture.onApplicationBootstrap();
    await waitFor(() => reader.handlers, { timeoutMs: 2_000, what: 'decoding started' });
  });

  afterEach(async () => {
    await capture.onApplicationShutdown();
    await buffer.close();
  });

  it('rebuilds the buffer after a hole: decoding stops, the stream and its epoch are deleted, decoding restarts from the slot', async () => {
    await reader.handlers!.onChanges([...transaction(10), ...transaction(20)]);
    expect(await buffer.length()).toBe(4);
    await capture.rebuildBuffer();
    expect(await buffer.length()).toBe(0);
    expect(await buffer.lastPosition()).toBeNull();
    await waitFor(() => reader.starts === 2 && reader.handlers, { timeoutMs: 2_000, what: 'decoding restarted' });
    // The slot re-delivers from its confirmed position: the rebuilt stream is whole from there.
    await reader.handlers!.onChanges([...transaction(10), ...transaction(20)]);
    const read = buffer.openReader();
    expect((await read.read(Position.ZERO, 10, 0)).map((c) => c.position.toString())).toEqual(['10-0', '10-1', '20-0', '20-1']);
    await read.close();
    expect(errors).toEqual([]);
  });

  it('restarts decoding from the slot when an append finds the stream lost its tail', async () => {
    await reader.handlers!.onChanges(transaction(10));
    await reader.handlers!.onChanges(transaction(20));
    buffer.simulateTailLoss(2);
    await expect(reader.handlers!.onChanges(transaction(30))).rejects.toThrow(BufferTailLostError);
    await waitFor(() => reader.starts === 2 && reader.handlers, { timeoutMs: 10_000, what: 'decoding restarted' });
    expect(errors).toEqual(['capture']);
    await reader.handlers!.onChanges([...transaction(20), ...transaction(30)]);
    const read = buffer.openReader();
    expect((await read.read(Position.ZERO, 10, 0)).map((c) => c.position.toString())).toEqual(['10-0', '10-1', '20-0', '20-1', '30-0', '30-1']);
    await read.close();
  }, 15_000);
});
