import type { SkipRecord } from '@kasho/apply';
import { ChangeEnvelope, ChangePayload, CommitChange, Position } from '@kasho/contracts';
import { TargetTransactionError } from './apply-loop.errors';
import { TargetTransaction, TargetWriter, TransactionMetrics } from './target-transaction';

const row = (value = 'v'): ChangePayload => ({ kind: 'insert', schema: 'public', table: 't', columns: [], new: { v: value }, replicaIdentity: 'default' });
const ddl: ChangePayload = { kind: 'ddl', sql: 'ALTER TABLE t ADD c int', searchPath: 'public', tag: 'ALTER TABLE', object: 'public.t' };
const commit = (lsn: string): CommitChange => ({ kind: 'commit', xid: 1, commitEndLsn: lsn, commitTimeMicros: '1700000000000000', changeCount: 1 });
const at = (position: string, change: ChangePayload): ChangeEnvelope => ({ position: Position.parse(position), change });

/** Records every call the target transaction makes on the applier, in order. */
class FakeApplier implements TargetWriter {
  readonly calls: string[] = [];
  readonly written: ChangeEnvelope[][] = [];
  async begin(): Promise<void> {
    this.calls.push('begin');
  }
  async write(changes: ChangeEnvelope[]): Promise<void> {
    this.calls.push(`write ${changes.length}`);
    this.written.push([...changes]);
  }
  async commit(position: Position, commitEndLsn: string): Promise<void> {
    this.calls.push(`commit ${position} ${commitEndLsn}`);
  }
  async recordSkip(record: SkipRecord): Promise<void> {
    this.calls.push(`recordSkip ${record.position}`);
  }
  async rollback(): Promise<void> {
    this.calls.push('rollback');
  }
}

const fakeMetrics = (): jest.Mocked<TransactionMetrics> => ({ began: jest.fn(), written: jest.fn(), committed: jest.fn(), rolledBack: jest.fn() });

describe('TargetTransaction', () => {
  let applier: FakeApplier;
  let metrics: jest.Mocked<TransactionMetrics>;
  let tx: TargetTransaction;

  beforeEach(() => {
    applier = new FakeApplier();
    metrics = fakeMetrics();
    tx = new TargetTransaction(applier, metrics, { maxTransactions: 3, maxChanges: 5 });
  });

  it('commits whole source transactions with the last source commit position, written just before', async () => {
    await tx.begin();
    expect(tx.open).toBe(true);
    await tx.add(at('100-0', row()));
    await tx.add(at('100-1', commit('110')));
    await tx.add(at('200-0', row()));
    await tx.add(at('200-1', commit('210')));
    expect(applier.calls).toEqual(['begin']);

    const committed = await tx.commit();

    expect(applier.calls).toEqual(['begin', 'write 4', 'commit 200-1 210']);
    expect(applier.written[0].map((e) => e.position.toString())).toEqual(['100-0', '100-1', '200-0', '200-1']);
    expect(committed).toEqual({ position: Position.parse('200-1'), commitTimeMicros: '1700000000000000', changes: 2, transactions: 2 });
    expect(metrics.committed).toHaveBeenCalledWith(2, '1700000000000000');
    expect(tx.open).toBe(false);
    expect(tx.holdsCommit).toBe(false);
  });

  it('refuses to commit before a source commit was added', async () => {
    await tx.begin();
    await tx.add(at('100-0', row()));
    await expect(tx.commit()).rejects.toBeInstanceOf(TargetTransactionError);
    expect(applier.calls).toEqual(['begin']);
  });

  it('asks to commit when nothing more is waiting, else only at a limit of source transactions or changes', async () => {
    await tx.begin();
    await tx.add(at('100-0', row()));
    await tx.add(at('100-1', commit('110')));
    expect(tx.shouldCommit(false, false)).toBe(true);
    expect(tx.shouldCommit(true, false)).toBe(false);
    // While stopped at a change: one source transaction per target transaction.
    expect(tx.shouldCommit(true, true)).toBe(true);

    await tx.add(at('200-0', row()));
    await tx.add(at('200-1', commit('210')));
    expect(tx.shouldCommit(true, false)).toBe(false);
    await tx.add(at('300-0', commit('310')));
    expect(tx.shouldCommit(true, false)).toBe(true); // 3 source transactions = maxTransactions
  });

  it('asks to commit once it holds maxChanges changes, counting rows and DDL but not commits', async () => {
    tx = new TargetTransaction(applier, metrics, { maxTransactions: 100, maxChanges: 3 });
    await tx.begin();
    await tx.add(at('100-0', row()));
    await tx.add(at('100-1', row()));
    await tx.add(at('100-2', commit('110')));
    expect(tx.shouldCommit(true, false)).toBe(false);
    await tx.add(at('200-0', row()));
    await tx.add(at('200-1', commit('210')));
    expect(tx.shouldCommit(true, false)).toBe(true);
  });

  it('commits at the source commit after DDL, however much is waiting', async () => {
    tx = new TargetTransaction(applier, metrics, { maxTransactions: 100, maxChanges: 100 });
    await tx.begin();
    await tx.add(at('100-0', ddl));
    await tx.add(at('100-1', commit('110')));
    expect(tx.shouldCommit(true, false)).toBe(true);
    await tx.commit();
    await tx.begin();
    await tx.add(at('200-0', row()));
    await tx.add(at('200-1', commit('210')));
    expect(tx.shouldCommit(true, false)).toBe(false);
  });

  it('writes (never commits) every WRITE_CHUNK pending changes', async () => {
    tx = new TargetTransaction(applier, metrics, { maxTransactions: 100, maxChanges: 1_000_000 });
    await tx.begin();
    for (let i = 0; i < TargetTransaction.WRITE_CHUNK + 1; i++) await tx.add(at(`100-${i}`, row()));
    expect(applier.calls).toEqual(['begin', `write ${TargetTransaction.WRITE_CHUNK}`]);
    expect(metrics.written).toHaveBeenCalledTimes(1);
    await tx.add(at(`100-${TargetTransaction.WRITE_CHUNK + 1}`, commit('110')));
    await tx.commit();
    expect(applier.calls).toEqual(['begin', `write ${TargetTransaction.WRITE_CHUNK}`, 'write 2', `commit 100-${TargetTransaction.WRITE_CHUNK + 1} 110`]);
  });

  it('writes (never commits) once pending changes hold WRITE_BYTES', async () => {
    const half = 'x'.repeat(TargetTransaction.WRITE_BYTES / 2);
    await tx.begin();
    await tx.add(at('100-0', row(half)));
    expect(applier.calls).toEqual(['begin']);
    await tx.add(at('100-1', row(half)));
    expect(applier.calls).toEqual(['begin', 'write 2']);
    // The count starts again after a write.
    await tx.add(at('100-2', row(half)));
    expect(applier.calls).toEqual(['begin', 'write 2']);
  });

  it('rolls back: the target transaction and what it held are dropped, the next one starts empty', async () => {
    await tx.begin();
    await tx.add(at('100-0', ddl));
    await tx.add(at('100-1', row()));
    await tx.add(at('100-2', commit('110')));
    await tx.rollback();
    expect(applier.calls).toEqual(['begin', 'rollback']);
    expect(metrics.rolledBack).toHaveBeenCalledTimes(1);
    expect(tx.open).toBe(false);
    expect(tx.holdsCommit).toBe(false);

    await tx.begin();
    await tx.add(at('200-0', row()));
    await tx.add(at('200-1', commit('210')));
    expect(tx.shouldCommit(true, false)).toBe(false); // the rolled back DDL no longer forces a commit
    const committed = await tx.commit();
    expect(applier.written.at(-1)!.map((e) => e.position.toString())).toEqual(['200-0', '200-1']);
    expect(committed).toMatchObject({ position: Position.parse('200-1'), changes: 1, transactions: 1 });
  });

  it('commits a skipped source transaction as its record and the position past it, in a target transaction of its own', async () => {
    const record: SkipRecord = { position: Position.parse('100-0'), reason: 'bad row', tables: ['public.t'], requestedAt: new Date(0) };
    await tx.commitSkip(record, Position.parse('100-3'), commit('110'));
    expect(applier.calls).toEqual(['begin', 'recordSkip 100-0', 'commit 100-3 110']);
    expect(metrics.committed).toHaveBeenCalledWith(0, '1700000000000000');
  });
});
