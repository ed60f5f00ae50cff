import { Position, RowChange } from '@kasho/contracts';
import { ResyncFilter } from './resync-filter';

const row = (table: string): RowChange => ({ kind: 'insert', schema: 'public', table, columns: [], new: {}, replicaIdentity: 'default' });

describe('ResyncFilter', () => {
  it('drops the resynced table changes committed before its consistent point, and nothing else', () => {
    const filter = new ResyncFilter();
    filter.set('public', 'users', 1000n);
    expect(filter.keep(row('users'), new Position(999n, 3n))).toBeNull();
    expect(filter.keep(row('users'), new Position(1000n, 0n))).not.toBeNull();
    expect(filter.keep(row('orders'), new Position(10n, 0n))).not.toBeNull();
    const truncate = {
      kind: 'truncate' as const,
      relations: [
        { schema: 'public', table: 'users' },
        { schema: 'public', table: 'orders' },
      ],
      cascade: false,
      restartIdentity: false,
    };
    expect(filter.keep(truncate, new Position(500n, 0n))).toEqual({ ...truncate, relations: [{ schema: 'public', table: 'orders' }] });
    const ddl = { kind: 'ddl' as const, sql: 'ALTER TABLE users ADD c int', searchPath: 'public', tag: 'ALTER TABLE', object: 'public.users' };
    expect(filter.keep(ddl, new Position(500n, 0n))).toBe(ddl);
  });
});
