import { bootEngine, col } from '@kasho/testing/transforms';
import { TransformError } from '../transform.errors';

async function expectBootError(yaml: string, pattern: RegExp): Promise<void> {
  await expect(bootEngine(yaml)).rejects.toThrow(pattern);
}

describe('Constant transform', () => {
  it('writes its value for every non-NULL value; NULL stays NULL; YAML numbers and booleans as their text', async () => {
    const { engine, module } = await bootEngine(
      "version: v1\ntables:\n  public.t:\n    plan: {type: Constant, value: 'free'}\n    n: {type: Constant, value: 0}\n    b: {type: Constant, value: true}\n    d: {type: Constant, value: 2024-01-01}\n",
    );
    try {
      const cols = [col('plan'), col('n', 'integer'), col('b', 'boolean'), col('d', 'date')];
      const row = { plan: 'enterprise', n: '77', b: 'f', d: '1999-12-31' };
      expect(await engine.transformTuple('public', 't', cols, row)).toEqual({ plan: 'free', n: '0', b: 'true', d: '2024-01-01' });
      expect(await engine.transformTuple('public', 't', cols, { plan: null, n: null, b: null, d: null })).toEqual({ plan: null, n: null, b: null, d: null });
    } finally {
      await module.close();
    }
  });

  it('requires value, and refuses a list, naming the file, line and table.column', async () => {
    await expectBootError('version: v1\ntables:\n  public.t:\n    plan: Constant\n', /transforms\.yml:4: public\.t\.plan: option 'value' is required/);
    await expectBootError(
      'version: v1\ntables:\n  public.t:\n    plan: {type: Constant, value: [1]}\n',
      /:4: public\.t\.plan: option 'value' must be a string, a number or true\/false, got a list/,
    );
  });

  it('refuses a value of the wrong type for the column when the table is first planned, before any row is written', async () => {
    const { engine, module } = await bootEngine(
      "version: v1\ntables:\n  public.t:\n    qty: {type: Constant, value: 'none'}\n    code: {type: Constant, value: 'toolong'}\n",
    );
    try {
      const error = await engine.transformTuple('public', 't', [col('qty', 'integer')], { qty: '5' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransformError);
      expect((error as Error).message).toMatch(
        /^public\.t\.qty: Constant: value does not fit the column \(output is not an integer, column type is integer\) \(.*transforms\.yml:4\)$/,
      );
      await expect(engine.transformTuple('public', 't', [col('code', 'character varying(3)')], { code: 'x' })).rejects.toThrow(
        /public\.t\.code: Constant: .*longer than/,
      );
      // Known at boot from the target's catalog too.
      expect(() => engine.assertColumnsFit([{ schema: 'public', table: 't', columns: [{ name: 'qty', type: 'bigint' }] }])).toThrow(
        /transforms\.yml:4: public\.t\.qty: Constant: value does not fit/,
      );
      expect(() => engine.assertColumnsFit([{ schema: 'public', table: 't', columns: [{ name: 'qty', type: 'text' }] }])).not.toThrow();
    } finally {
      await module.close();
    }
  });
});
