import { Counter, Registry } from 'prom-client';
import { ChangeEnvelope, Position, RowChange } from '@kasho/contracts';
import { ChangeTally } from '@kasho/metrics';

const row = (table: string, kind: RowChange['kind'], value: string): ChangeEnvelope => ({
  position: Position.parse('1-0'),
  change: { kind, schema: 'public', table, columns: [], new: { v: value }, replicaIdentity: 'default' },
});

describe('ChangeTally', () => {
  it('adds per schema.table and kind in one call per pair, never a value, and skips commits', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'kasho_test_total', help: 'h', labelNames: ['table', 'kind'], registers: [registry] });
    const tally = new ChangeTally();
    tally.add([
      row('users', 'insert', 'secret-1'),
      row('users', 'insert', 'secret-2'),
      row('users', 'delete', 'secret-3'),
      {
        position: Position.parse('1-3'),
        change: {
          kind: 'truncate',
          relations: [
            { schema: 'public', table: 'users' },
            { schema: 's', table: 't' },
          ],
          cascade: false,
          restartIdentity: false,
        },
      },
      { position: Position.parse('1-4'), change: { kind: 'ddl', sql: 'ALTER TABLE x', searchPath: '', tag: 'ALTER TABLE', object: 'public.users' } },
      { position: Position.parse('1-5'), change: { kind: 'commit', xid: 1, commitEndLsn: '1', commitTimeMicros: '1', changeCount: 5 } },
    ]);
    tally.flushTo(counter);
    expect(tally.isEmpty).toBe(true);
    const text = await registry.metrics();
    expect(text).toContain('kasho_test_total{table="public.users",kind="insert"} 2');
    expect(text).toContain('kasho_test_total{table="public.users",kind="delete"} 1');
    expect(text).toContain('kasho_test_total{table="public.users",kind="truncate"} 1');
    expect(text).toContain('kasho_test_total{table="s.t",kind="truncate"} 1');
    expect(text).toContain('kasho_test_total{table="public.users",kind="ddl"} 1');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('kind="update"');
  });

  it('clear() forgets what was not flushed (a rolled-back transaction counts nothing)', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'kasho_test_total', help: 'h', labelNames: ['table', 'kind'], registers: [registry] });
    const tally = new ChangeTally();
    tally.add([row('users', 'insert', 'x')]);
    tally.clear();
    tally.flushTo(counter);
    expect(await registry.metrics()).not.toContain('public.users');
  });
});
