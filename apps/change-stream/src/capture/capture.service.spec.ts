import { BufferTailLostError, InMemoryChangeBuffer } from '@kasho/buffer';
import { Position } from '@kasho/contracts';
import { PublicationSwitchError, SourceSetupService, WalReader } from '@kasho/replication';
import { transaction, waitFor } from '@kasho/testing';
import { CaptureMetrics } from '../metrics/capture.metrics';
import { BufferBackpressure } from './buffer-backpressure';
import { BufferWriter } from './buffer-writer';
import { CaptureGate } from './capture-gate';
import { CaptureSession } from './capture-session';
import { CaptureState } from './capture-state';
import { CaptureService } from './capture.service';
import { CaptureOptions } from './capture.options';
import { SlotAcknowledger } from './slot-acknowledger';
import { SlotProgress } from './slot-progress';

type Handlers = Parameters<WalReader['start']>[0];

/** The WAL reader's part as capture sees it: started from the slot, handed changes, stopped, acknowledged. */
class FakeWalReader {
  starts = 0;
  handlers?: Handlers;
  acknowledged: bigint[] = [];
  async start(handlers: Handlers): Promise<void> {
    this.starts++;
    this.handlers = handlers;
  }
  async stop(): Promise<void> {
    this.handlers = undefined;
  }
  async acknowledge(lsn: bigint): Promise<void> {
    this.acknowledged.push(lsn);
  }
}

async function buffered(buffer: InMemoryChangeBuffer): Promise<string[]> {
  const read = buffer.openReader();
  try {
    return (await read.read(Position.ZERO, 100, 0)).map((c) => c.position.toString());
  } finally {
    await read.close();
  }
}

describe('CaptureService (the capture loop)', () => {
  let buffer: InMemoryChangeBuffer;
  let reader: FakeWalReader;
  let gate: CaptureGate;
  let state: CaptureState;
  let progress: SlotProgress;
  let acknowledger: SlotAcknowledger;
  let capture: CaptureService;
  let errors: string[];

  async function start(options: Partial<CaptureOptions> = {}): Promise<void> {
    const all: CaptureOptions = { maxBufferedChanges: 1_000_000, maxBufferedBytes: Number.MAX_SAFE_INTEGER, bufferUrl: 'redis://test', ...options };
    const metrics = {
      recordCaptured: () => undefined,
      recordSkippedDdl: () => undefined,
      recordError: (kind: string) => errors.push(kind),
    } as unknown as CaptureMetrics;
    const wal = reader as unknown as WalReader;
    acknowledger = new SlotAcknowledger(wal, buffer, progress, metrics);
    const backpressure = new BufferBackpressure(buffer, all, acknowledger, state, gate);
    const writer = new BufferWriter(buffer, backpressure, progress, metrics, gate);
    const session = new CaptureSession(wal, writer, acknowledger, metrics, gate);
    capture = new CaptureService({ ensure: async () => undefined } as unknown as SourceSetupService, gate, session, state, metrics);
    await capture.onApplicationBootstrap();
    await waitFor(() => reader.handlers, { timeoutMs: 2_000, what: 'decoding started' });
  }

  beforeEach(() => {
    buffer = new InMemoryChangeBuffer();
    reader = new FakeWalReader();
    gate = new CaptureGate();
    state = new CaptureState();
    progress = new SlotProgress();
    errors = [];
  });

  afterEach(async () => {
    await capture?.onApplicationShutdown();
    await buffer.close();
  });

  it('appends whole transactions in order and counts them buffered, not applied: the slot is not confirmed', async () => {
    await start();
    expect(state.phase).toBe('streaming');
    await reader.handlers!.onChanges(transaction(10));
    await reader.handlers!.onChanges(transaction(20));
    expect(await buffered(buffer)).toEqual(['10-0', '10-1', '20-0', '20-1']);
    expect(progress.nothingPending).toBe(false);
    await reader.handlers!.onKeepalive(1_000n, false, true);
    expect(reader.acknowledged).toEqual([]);
  });

  it('rebuilds the buffer after a hole: decoding stops, the stream and its epoch are deleted, decoding restarts from the slot', async () => {
    await start();
    await reader.handlers!.onChanges([...transaction(10), ...transaction(20)]);
    expect(await buffer.length()).toBe(4);
    await gate.rebuildBuffer();
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
    await start();
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

  it('retries after a reader failure and the re-delivered changes are neither lost nor doubled', async () => {
    await start();
    await reader.handlers!.onChanges(transaction(10));
    reader.handlers!.onError(new Error('connection to the source lost'));
    await waitFor(() => state.phase === 'retrying', { timeoutMs: 2_000, what: 'retrying' });
    expect(state.lastError).toBe('connection to the source lost');
    await waitFor(() => reader.starts === 2 && reader.handlers, { timeoutMs: 5_000, what: 'decoding restarted' });
    expect(errors).toEqual(['capture']);
    // The slot re-delivers from its confirmed position, which is before 10: 10 again, then what is new.
    await reader.handlers!.onChanges([...transaction(10), ...transaction(20)]);
    expect(await buffered(buffer)).toEqual(['10-0', '10-1', '20-0', '20-1']);
    expect(state.phase).toBe('streaming');
  });

  it('starts a new session at once, without counting an error, when the slot has passed the creation of the second publication', async () => {
    await start();
    reader.handlers!.onError(new PublicationSwitchError('kasho_pub', 0x2000n));
    await waitFor(() => reader.starts === 2 && reader.handlers, { timeoutMs: 2_000, what: 'decoding restarted' });
    expect(errors).toEqual([]);
    expect(state.phase).toBe('streaming');
  });

  it('restarts from the slot when Redis comes back empty, noticed on an idle source', async () => {
    await start();
    await reader.handlers!.onChanges(transaction(10));
    buffer.simulateDataLoss();
    await waitFor(() => state.phase === 'retrying', { timeoutMs: 5_000, what: 'retrying' });
    expect(state.lastError).toBe('Redis lost the buffer (epoch changed)');
    await waitFor(() => reader.starts === 2 && reader.handlers, { timeoutMs: 3_000, what: 'decoding restarted' });
    expect(errors).toEqual(['capture']);
    await reader.handlers!.onChanges(transaction(10));
    expect(await buffered(buffer)).toEqual(['10-0', '10-1']);
  }, 10_000);

  it('pauses at a commit while the buffer holds more changes than the limit, and resumes once the target applied them', async () => {
    await start({ maxBufferedChanges: 2 });
    await reader.handlers!.onChanges(transaction(10)); // 2 entries: at the limit, not beyond
    let returned = false;
    const appending = reader.handlers!.onChanges(transaction(20)).then(() => (returned = true));
    await waitFor(() => state.phase === 'paused', { timeoutMs: 2_000, what: 'paused' });
    await new Promise((r) => setTimeout(r, 300));
    expect(returned).toBe(false);
    await acknowledger.recordApplied(Position.parse('20-1'), 21n);
    await appending;
    expect(state.phase).toBe('streaming');
    expect(reader.acknowledged).toEqual([21n]);
  });

  it('pauses while the buffer holds more bytes than the limit beyond the applied position', async () => {
    await start({ maxBufferedBytes: 1 });
    let returned = false;
    const appending = reader.handlers!.onChanges(transaction(10)).then(() => (returned = true));
    await waitFor(() => state.phase === 'paused', { timeoutMs: 2_000, what: 'paused' });
    await new Promise((r) => setTimeout(r, 300));
    expect(returned).toBe(false);
    await acknowledger.recordApplied(Position.parse('10-1'), 11n);
    await appending;
    expect(state.phase).toBe('streaming');
  });

  it('parks while suspended (a paused append ends first), and decodes again from the slot after resume', async () => {
    await start({ maxBufferedChanges: 0 });
    const appending = reader.handlers!.onChanges(transaction(10));
    await waitFor(() => state.phase === 'paused', { timeoutMs: 2_000, what: 'paused' });
    await gate.suspend();
    await appending;
    expect(state.phase).toBe('snapshot');
    expect(reader.handlers).toBeUndefined();
    await new Promise((r) => setTimeout(r, 100));
    expect(reader.starts).toBe(1);
    gate.resume();
    await waitFor(() => reader.starts === 2 && reader.handlers, { timeoutMs: 2_000, what: 'decoding resumed' });
    expect(state.phase).toBe('streaming');
    expect(errors).toEqual([]);
  });

  it('stops decoding on shutdown', async () => {
    await start();
    await capture.onApplicationShutdown();
    expect(reader.handlers).toBeUndefined();
    expect(state.phase).toBe('stopped');
    expect(reader.starts).toBe(1);
  });
});
