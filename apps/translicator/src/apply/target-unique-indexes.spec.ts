import type { UniqueIndex, UniqueKeys } from '@kasho/contracts';
import { relationKey } from '@kasho/contracts';
import { TargetUniqueIndexes } from './target-unique-indexes';

describe('TargetUniqueIndexes', () => {
  const email: UniqueIndex = { name: 'accounts_email_key', columns: ['email'], primaryKey: false, partial: false };

  function setup() {
    const calls: string[] = [];
    const engine = {
      hasRules: (_schema: string, table: string) => table === 'accounts',
      useUniqueKeys: jest.fn((_s: string, _t: string, _k: UniqueKeys) => true),
    };
    const applier = {
      uniqueKeys: jest.fn(async (tables: readonly { schema: string; table: string }[]) => {
        calls.push('read');
        return new Map(tables.map((t) => [relationKey(t.schema, t.table), { uniqueIndexes: [email], foreignKeys: [] }]));
      }),
    };
    const tx = { writePending: jest.fn(async () => void calls.push('write pending')) };
    return { indexes: new TargetUniqueIndexes(engine, applier, tx), engine, applier, calls };
  }

  it('reads a table with rules once, after writing what is pending, and tells the engine', async () => {
    const { indexes, engine, calls } = setup();
    await indexes.ensure('public', 'accounts');
    await indexes.ensure('public', 'accounts');
    expect(calls).toEqual(['write pending', 'read']);
    expect(engine.useUniqueKeys).toHaveBeenCalledWith('public', 'accounts', { uniqueIndexes: [email], foreignKeys: [] });
  });

  it('never reads a table without rules', async () => {
    const { indexes, applier } = setup();
    await indexes.ensure('public', 'orders');
    expect(applier.uniqueKeys).not.toHaveBeenCalled();
  });

  it('reads again after a DDL statement', async () => {
    const { indexes, calls } = setup();
    await indexes.ensure('public', 'accounts');
    indexes.forget();
    await indexes.ensure('public', 'accounts');
    expect(calls).toEqual(['write pending', 'read', 'write pending', 'read']);
  });
});
