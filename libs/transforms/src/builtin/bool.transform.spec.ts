import { bootEngine, col } from '@kasho/testing/transforms';

describe('Bool transform', () => {
  it('is a keyed deterministic boolean of the input, not the identity; t/f in bool columns; NULL stays NULL', async () => {
    const { engine, module } = await bootEngine('version: v1\ntables:\n  public.t:\n    b: Bool\n    s: Bool\n');
    const cols = [col('b', 'boolean'), col('s', 'text')];
    const outs = [];
    for (let i = 0; i < 200; i++) {
      const v = `v${i}`;
      const a = await engine.transformTuple('public', 't', cols, { b: v, s: v });
      const again = await engine.transformTuple('public', 't', cols, { b: v, s: v });
      expect(again).toEqual(a);
      expect(a.b).toMatch(/^[tf]$/);
      expect(a.s).toMatch(/^(true|false)$/);
      outs.push(a.b);
    }
    const trues = outs.filter((b) => b === 't').length;
    expect(trues).toBeGreaterThan(60);
    expect(trues).toBeLessThan(140);
    expect(await engine.transformTuple('public', 't', cols, { b: null, s: null })).toEqual({ b: null, s: null });
    await module.close();
  });
});
