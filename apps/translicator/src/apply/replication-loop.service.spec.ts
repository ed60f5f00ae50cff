import { Test, TestingModule } from '@nestjs/testing';
import { Observable, Subscriber } from 'rxjs';
import { SkipRecord, SkipRequest, StuckChange, TargetApplier } from '@kasho/apply';
import { ChangeEnvelope, ChangePayload, Position, RowChange } from '@kasho/contracts';
import { TransformEngine, TransformError } from '@kasho/transforms';
import { ChangeStreamGrpcClient } from '../ingest/change-stream.client';
import { ApplyMetrics } from '../metrics/apply.metrics';
import { SnapshotCoordinator } from '../snapshot/snapshot-coordinator.service';
import { APPLY_LOOP_PROVIDERS } from './apply-loop.module';
import { APPLY_LOOP_OPTIONS } from './apply-loop.module-definition';
import { ApplyLoopOptions } from './apply-loop.options';
import { ApplyState } from '../state/apply-state';
import { SnapshotGate } from './snapshot-gate';

// The source's change log: three source transactions of rows on public.t, each ending in its commit.
const row = (value: string): RowChange => ({ kind: 'insert', schema: 'public', table: 't', columns: [], new: { v: value }, replicaIdentity: 'default' });
const commit = (lsn: number): ChangePayload => ({
  kind: 'commit',
  xid: lsn,
  commitEndLsn: String(lsn + 10),
  commitTimeMicros: '1700000000000000',
  changeCount: 0,
});
const SOURCE: ChangeEnvelope[] = [
  { position: Position.parse('100-0'), change: row('a1') },
  { position: Position.parse('100-1'), change: row('a2') },
  { position: Position.parse('100-2'), change: commit(100) },
  { position: Position.parse('200-0'), change: row('b1') },
  { position: Position.parse('200-1'), change: row('b2') },
  { position: Position.parse('200-2'), change: commit(200) },
  { position: Position.parse('300-0'), change: row('c1') },
  { position: Position.parse('300-1'), change: commit(300) },
];

/** The target: its applied position, what each target transaction committed, and the kasho skip bookkeeping. */
class FakeTarget {
  applied = Position.ZERO;
  /** Per target transaction: the position it committed and the row positions it held (or the skip it recorded). */
  readonly commits: Array<{ position: string; rows: string[]; skip?: SkipRecord }> = [];
  readonly opened: string[] = [];
  stuck?: StuckChange;
  skip?: SkipRequest;
  private pending?: string[];
  private pendingSkip?: SkipRecord;

  async open(): Promise<{ position: Position; commitEndLsn: string | null; targetId: string }> {
    this.opened.push(this.applied.toString());
    return { position: this.applied, commitEndLsn: '1', targetId: 'target-1' };
  }
  async begin(): Promise<void> {
    if (this.pending) throw new Error('a target transaction is already open');
    this.pending = [];
  }
  async write(changes: ChangeEnvelope[]): Promise<void> {
    if (!this.pending) throw new Error('write() outside a transaction');
    for (const { position, change } of changes) if (change.kind !== 'commit') this.pending.push(position.toString());
  }
  /** Like kasho.applied_position's compare-and-set: a position at or below the applied one is refused. */
  async commit(position: Position): Promise<void> {
    if (!this.pending) throw new Error('commit() outside a transaction');
    if (!position.isAfter(this.applied)) throw new Error(`commit at ${position} is not after ${this.applied}`);
    this.commits.push({ position: position.toString(), rows: this.pending, ...(this.pendingSkip ? { skip: this.pendingSkip } : {}) });
    this.applied = position;
    this.pending = this.pendingSkip = undefined;
  }
  async rollback(): Promise<void> {
    this.pending = this.pendingSkip = undefined;
  }
  async close(): Promise<void> {
    await this.rollback();
  }
  async recordFailure(position: Position, error: string): Promise<void> {
    await this.rollback();
    this.stuck = { position, error, failedAt: new Date() };
  }
  async stuckChange(): Promise<{ stuck?: StuckChange; skip?: SkipRequest }> {
    const stuck = this.stuck?.position.isAfter(this.applied) ? this.stuck : undefined;
    return { stuck, skip: stuck && this.skip?.position.equals(stuck.position) ? this.skip : undefined };
  }
  async recordSkip(record: SkipRecord): Promise<void> {
    this.pendingSkip = record;
  }
  /** Row positions committed, in commit order. */
  get rows(): string[] {
    return this.commits.flatMap((c) => c.rows);
  }
}

/** pg-change-stream: on open, sends the log after the position asked for (or as `send` decides), never ending the stream itself. */
class FakeStream {
  readonly opened: string[] = [];
  readonly acks: Array<{ received?: string; applied?: string }> = [];
  subscriber?: Subscriber<ChangeEnvelope[]>;
  send = (after: Position, subscriber: Subscriber<ChangeEnvelope[]>): void => {
    const rest = SOURCE.filter((e) => e.position.isAfter(after));
    for (let i = 0; i < rest.length; i += 2) subscriber.next(rest.slice(i, i + 2));
  };

  open(after: Position): { consumerId: string; batches: Observable<ChangeEnvelope[]> } {
    this.opened.push(after.toString());
    const batches = new Observable<ChangeEnvelope[]>((subscriber) => {
      this.subscriber = subscriber;
      this.send(after, subscriber);
      return () => (this.subscriber = undefined);
    });
    return { consumerId: `consumer-${this.opened.length}`, batches };
  }
  async ack(_consumerId: string, progress: { received?: Position; applied?: Position }): Promise<void> {
    this.acks.push({ received: progress.received?.toString(), applied: progress.applied?.toString() });
  }
}

/** The transforms: rows pass unchanged, except a value listed in `failOnce`, which fails the first time it is seen. */
class FakeTransforms {
  readonly failOnce = new Set<string>();
  hasRules(): boolean {
    return false;
  }
  async transformRow(change: RowChange): Promise<RowChange> {
    const value = change.new?.v ?? '';
    if (this.failOnce.delete(value)) throw new TransformError('public', 't', 'v', 'cannot transform');
    return change;
  }
  knowsPartitionTree(): boolean {
    return false;
  }
  hasAnyListed(): boolean {
    return false;
  }
}

const noSnapshot = (): SnapshotGate => ({
  beforeFollow: async () => false,
  keep: (change) => change,
  resyncPending: false,
  resyncWakeSignal: new AbortController().signal,
  runResyncs: async () => undefined,
});

async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('ReplicationLoopService (the apply loop over a fake stream, target and snapshot)', () => {
  let target: FakeTarget;
  let stream: FakeStream;
  let transforms: FakeTransforms;
  let state: ApplyState;
  let app: TestingModule | undefined;

  beforeEach(() => {
    target = new FakeTarget();
    stream = new FakeStream();
    transforms = new FakeTransforms();
    state = new ApplyState();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(options: Partial<ApplyLoopOptions> = {}): Promise<void> {
    app = await Test.createTestingModule({
      providers: [
        ...APPLY_LOOP_PROVIDERS,
        {
          provide: APPLY_LOOP_OPTIONS,
          useValue: { targetUrl: '', streamWindow: 100, maxTransactions: 1, maxChanges: 100, shutdownTimeoutMs: 2_000, ...options },
        },
        { provide: TargetApplier, useValue: target },
        { provide: ChangeStreamGrpcClient, useValue: stream },
        { provide: TransformEngine, useValue: transforms },
        { provide: SnapshotCoordinator, useValue: noSnapshot() },
        { provide: ApplyState, useValue: state },
      ],
    })
      .overrideProvider(ApplyMetrics)
      .useValue({ began: jest.fn(), written: jest.fn(), committed: jest.fn(), rolledBack: jest.fn(), ddlSkipped: jest.fn(), recordError: jest.fn() })
      .compile();
    await app.init();
  }

  it('commits whole source transactions, each with the position of its commit, and acknowledges it', async () => {
    await start();
    await until(() => target.applied.equals(Position.parse('300-1')), 'the last commit');

    expect(target.commits).toEqual([
      { position: '100-2', rows: ['100-0', '100-1'] },
      { position: '200-2', rows: ['200-0', '200-1'] },
      { position: '300-1', rows: ['300-0'] },
    ]);
    expect(stream.acks.filter((a) => a.applied).map((a) => a.applied)).toEqual(['100-2', '200-2', '300-1']);
    expect(state.appliedPosition.toString()).toBe('300-1');
  });

  it('groups waiting source transactions into one target transaction, never splitting one', async () => {
    await start({ maxTransactions: 2 });
    await until(() => target.applied.equals(Position.parse('300-1')), 'the last commit');

    expect(target.commits).toEqual([
      { position: '200-2', rows: ['100-0', '100-1', '200-0', '200-1'] },
      { position: '300-1', rows: ['300-0'] },
    ]);
  });

  it('rolls back a failure in the middle of a source transaction and resumes from the target position, without skipping or doubling', async () => {
    transforms.failOnce.add('b2');
    await start();
    await until(() => target.applied.equals(Position.parse('300-1')), 'the last commit');

    expect(target.opened).toEqual(['0-0', '100-2']);
    expect(stream.opened).toEqual(['0-0', '100-2']);
    expect(target.stuck?.position.toString()).toBe('200-1');
    expect(target.rows).toEqual(['100-0', '100-1', '200-0', '200-1', '300-0']);
    expect(target.commits.map((c) => c.position)).toEqual(['100-2', '200-2', '300-1']);
    expect(state.lastError).toBeUndefined();
  });

  it('skips changes at or below the applied position, whatever the stream sends', async () => {
    target.applied = Position.parse('200-2');
    stream.send = (_after, subscriber) => subscriber.next(SOURCE); // the whole log, from the start
    await start();
    await until(() => target.applied.equals(Position.parse('300-1')), 'the last commit');

    expect(target.commits).toEqual([{ position: '300-1', rows: ['300-0'] }]);
  });

  it('on shutdown, finishes the source transaction in flight, commits and acknowledges it, and takes nothing more', async () => {
    stream.send = (_after, subscriber) => subscriber.next(SOURCE.slice(0, 2)); // a1, a2: the commit is still to come
    await start();
    await until(() => stream.acks.some((a) => a.received === '100-1'), 'the first batch');

    const closing = app!.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    stream.subscriber!.next(SOURCE.slice(2, 4)); // A's commit, and B's first row
    stream.subscriber?.next(SOURCE.slice(4));
    await closing;
    app = undefined;

    expect(target.commits).toEqual([{ position: '100-2', rows: ['100-0', '100-1'] }]);
    expect(stream.acks.at(-1)).toEqual({ received: undefined, applied: '100-2' });
    expect(stream.subscriber).toBeUndefined();
    expect(state.phase).toBe('stopped');
  });

  it('on shutdown, rolls back a source transaction that does not complete within the drain bound', async () => {
    stream.send = (_after, subscriber) => subscriber.next(SOURCE.slice(0, 2));
    await start({ shutdownTimeoutMs: 1_000 });
    await until(() => stream.acks.some((a) => a.received === '100-1'), 'the first batch');

    await app!.close();
    app = undefined;

    expect(target.commits).toEqual([]);
    expect(target.applied).toBe(Position.ZERO);
  });

  it('skips the source transaction kasho skip names, recording it, and applies the rest', async () => {
    target.applied = Position.parse('100-2');
    target.stuck = { position: Position.parse('200-1'), error: 'public.t.v: cannot transform', failedAt: new Date(0) };
    target.skip = { position: Position.parse('200-1'), reason: 'bad row', requestedAt: new Date(0) };
    await start();
    await until(() => target.applied.equals(Position.parse('300-1')), 'the last commit');

    expect(target.commits).toEqual([
      { position: '200-2', rows: [], skip: { position: Position.parse('200-1'), reason: 'bad row', tables: ['public.t'], requestedAt: new Date(0) } },
      { position: '300-1', rows: ['300-0'] },
    ]);
  });
});
