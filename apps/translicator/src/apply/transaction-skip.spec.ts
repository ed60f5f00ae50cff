import { Position, type ChangePayload } from '@kasho/contracts';
import { TransactionSkip } from './transaction-skip';

const row = (table: string): ChangePayload => ({ kind: 'insert', schema: 'public', table, columns: [], new: {}, replicaIdentity: 'default' });

describe('TransactionSkip', () => {
  const skip = () => new TransactionSkip({ position: Position.parse('500-2'), reason: 'bad row', requestedAt: new Date(0) });

  it('covers every change of the stuck source transaction (same commit LSN), whatever its index', () => {
    const s = skip();
    expect(s.covers(Position.parse('500-0'), row('users'))).toBe(true);
    expect(
      s.covers(Position.parse('500-1'), { kind: 'truncate', relations: [{ schema: 'public', table: 'orders' }], cascade: false, restartIdentity: false }),
    ).toBe(true);
    expect(s.covers(Position.parse('500-2'), { kind: 'ddl', sql: 'x', searchPath: '', tag: 'ALTER TABLE', object: 'public.items' })).toBe(true);
    expect(s.covers(Position.parse('500-3'), { kind: 'commit', xid: 1, commitEndLsn: '510', commitTimeMicros: '0', changeCount: 3 })).toBe(true);
    expect(s.record()).toEqual({
      position: Position.parse('500-2'),
      reason: 'bad row',
      tables: ['public.items', 'public.orders', 'public.users'],
      requestedAt: new Date(0),
    });
  });

  it('covers nothing of another transaction, before or after', () => {
    const s = skip();
    expect(s.covers(Position.parse('499-2'), row('a'))).toBe(false);
    expect(s.covers(Position.parse('501-0'), row('b'))).toBe(false);
    expect(s.covers(Position.parse('5000-2'), row('c'))).toBe(false);
    expect(s.record().tables).toEqual([]);
  });
});
