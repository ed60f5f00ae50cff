import type { PartitionTree } from '@kasho/runtime';
import { relationKey } from '@kasho/contracts';
import { TargetPartitionTrees } from './target-partition-trees';

describe('TargetPartitionTrees', () => {
  const tree: PartitionTree = { ancestors: [{ schema: 'public', table: 'm' }], descendants: [] };

  function setup(listed = true, onTarget = true) {
    const calls: string[] = [];
    const known = new Set<string>();
    const engine = {
      hasAnyListed: () => listed,
      knowsPartitionTree: (s: string, t: string) => known.has(relationKey(s, t)),
      usePartitionTree: jest.fn((s: string, t: string) => void known.add(relationKey(s, t))),
      forgetPartitionTrees: jest.fn(() => known.clear()),
    };
    const applier = {
      partitionTrees: jest.fn(async (tables: readonly { schema: string; table: string }[]) => {
        calls.push('read');
        return new Map(onTarget ? tables.map((t) => [relationKey(t.schema, t.table), tree]) : []);
      }),
    };
    const tx = { writePending: jest.fn(async () => void calls.push('write pending')) };
    return { trees: new TargetPartitionTrees(engine, applier, tx), engine, applier, calls };
  }

  it('reads a table once, after writing what is pending, and tells the engine', async () => {
    const { trees, engine, calls } = setup();
    await trees.ensure('public', 'm_2024');
    await trees.ensure('public', 'm_2024');
    expect(calls).toEqual(['write pending', 'read']);
    expect(engine.usePartitionTree).toHaveBeenCalledWith('public', 'm_2024', tree);
  });

  it('tells the engine a table the target does not have as unresolved (undefined), not as a table without a tree', async () => {
    const { trees, engine } = setup(true, false);
    await trees.ensure('public', 'm_2099');
    expect(engine.usePartitionTree).toHaveBeenCalledWith('public', 'm_2099', undefined);
  });

  it('reads nothing while transforms.yml lists no table', async () => {
    const { trees, applier } = setup(false);
    await trees.ensure('public', 'm_2024');
    expect(applier.partitionTrees).not.toHaveBeenCalled();
  });

  it('reads again after a DDL statement', async () => {
    const { trees, calls } = setup();
    await trees.ensure('public', 'm_2024');
    trees.forget();
    await trees.ensure('public', 'm_2024');
    expect(calls).toEqual(['write pending', 'read', 'write pending', 'read']);
  });
});
