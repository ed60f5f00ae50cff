import { bootEngine, col, insert } from '@kasho/testing/transforms';
import { TransformError } from './transform.errors';

const m = { schema: 'public', table: 'm' };
const m2024 = { schema: 'public', table: 'm_2024' };
const m2024q1 = { schema: 'public', table: 'm_2024_q1' };
const COLUMNS = [col('id', 'int4', true), col('secret'), col('note')];

const CONFIG = `
version: v1
tables:
  public.m:
    secret: FakeName
`;

describe('Partitioned tables in transforms.yml', () => {
  it('a partition at any depth takes the rules of its nearest listed ancestor, in the stream and for a bare tuple', async () => {
    const { engine, module } = await bootEngine(CONFIG);
    engine.usePartitionTree('public', 'm_2024', { ancestors: [m], descendants: [m2024q1] });
    engine.usePartitionTree('public', 'm_2024_q1', { ancestors: [m2024, m], descendants: [] });
    for (const partition of ['m_2024', 'm_2024_q1']) {
      expect(engine.hasRules('public', partition)).toBe(true);
      expect(engine.rulesTableOf('public', partition)).toEqual(m);
      expect(engine.configuredColumns('public', partition)).toEqual(['secret']);
      const out = await engine.transformRow(insert(`public.${partition}`, COLUMNS, { id: '1', secret: 'Alice Source', note: 'n' }));
      expect(out.new!.secret).not.toBe('Alice Source');
      expect(out.new!.note).toBe('n');
      const tuple = await engine.transformTuple('public', partition, COLUMNS, { id: '1', secret: 'Alice Source' });
      expect(tuple.secret).toBe(out.new!.secret);
    }
    await module.close();
  });

  it('a table whose tree was never told, or is not a partition, is matched by its own name', async () => {
    const { engine, module } = await bootEngine(CONFIG);
    expect(engine.hasRules('public', 'm_2024')).toBe(false);
    engine.usePartitionTree('public', 'other', { ancestors: [], descendants: [] });
    expect(engine.hasRules('public', 'other')).toBe(false);
    expect(engine.rulesTableOf('public', 'other')).toEqual({ schema: 'public', table: 'other' });
    await module.close();
  });

  it('fails closed on a table the catalog does not have: its rows are refused, naming the table', async () => {
    const { engine, module } = await bootEngine(CONFIG);
    engine.usePartitionTree('public', 'm_2099', undefined);
    expect(() => engine.hasRules('public', 'm_2099')).toThrow(TransformError);
    await expect(engine.transformRow(insert('public.m_2099', COLUMNS, { id: '1', secret: 'Alice Source' }))).rejects.toThrow(
      /^public\.m_2099\.\*: the target has no such table/,
    );
    await module.close();
  });

  it('refuses a partition listed together with its partitioned table, naming both', async () => {
    const { engine, module } = await bootEngine(`${CONFIG}  public.m_2024:\n    note: FakeName\n`);
    engine.usePartitionTree('public', 'm_2024', { ancestors: [m], descendants: [] });
    expect(() => engine.rulesTableOf('public', 'm_2024')).toThrow(/^public\.m_2024\.note: .*lists both this partition and public\.m/);
    await module.close();
  });

  it('refuses rows under a partitioned table (publish_via_partition_root) when one of its partitions is listed', async () => {
    const { engine, module } = await bootEngine(`version: v1\ntables:\n  public.m_2024:\n    secret: FakeName\n`);
    engine.usePartitionTree('public', 'm', { ancestors: [], descendants: [m2024] });
    await expect(engine.transformRow(insert('public.m', COLUMNS, { id: '1', secret: 'Alice Source' }))).rejects.toThrow(
      /^public\.m\.\*: .*lists public\.m_2024, a partition of this table/,
    );
    await module.close();
  });

  it('after forgetPartitionTrees a partition is matched by name again until its tree is told anew (a DDL re-read)', async () => {
    const { engine, module } = await bootEngine(CONFIG);
    engine.usePartitionTree('public', 'm_2024', { ancestors: [m], descendants: [] });
    expect(engine.knowsPartitionTree('public', 'm_2024')).toBe(true);
    engine.forgetPartitionTrees();
    expect(engine.knowsPartitionTree('public', 'm_2024')).toBe(false);
    await module.close();
  });

  it('mode: strict lists a partition through its ancestor: its listed columns pass, an unlisted one is refused naming the ancestor', async () => {
    const strict = `version: v1\nmode: strict\ntables:\n  public.m:\n    id: Keep\n    secret: FakeName\n`;
    const { engine, module } = await bootEngine(strict);
    engine.usePartitionTree('public', 'm_2024', { ancestors: [m], descendants: [] });
    expect(() => engine.assertListed([{ schema: 'public', table: 'm_2024', columns: ['id', 'secret'] }])).not.toThrow();
    expect(() => engine.assertListed([{ schema: 'public', table: 'm_2024', columns: ['id', 'secret', 'note'] }])).toThrow(
      /^public\.m_2024\.note: not listed .*takes the rules of public\.m/,
    );
    expect(engine.coverage([{ schema: 'public', table: 'm_2024', columns: ['id', 'secret'] }], 'the source')).toEqual([]);
    await module.close();
  });
});
