import { createHmac } from 'node:crypto';
import { createBuiltinTransformEngine } from '../builtin-engine';
import { bootEngine, col, TEST_SECRET, writeConfig } from '@kasho/testing/transforms';

const expected = (secret: string, value: string, length = 64) => createHmac('sha256', secret).update(`Hash\0${value}`).digest('hex').slice(0, length);

describe('Hash transform', () => {
  it('is HMAC-SHA256(TRANSFORMS_SECRET, "Hash" 0x00 value) in hex, cut to length; NULL stays NULL', async () => {
    const yaml = 'version: v1\ntables:\n  public.t:\n    a: Hash\n    b: {type: Hash, length: 12}\n  public.u:\n    a_ref: {type: Hash, length: 12}\n';
    const { engine, module } = await bootEngine(yaml);
    try {
      const cols = [col('a'), col('b')];
      for (const value of ['ada@corp.example', '42', 'é ☃ 🎉', '', 'x'.repeat(300)]) {
        const out = await engine.transformTuple('public', 't', cols, { a: value, b: value });
        expect(out).toEqual({ a: expected(TEST_SECRET, value), b: expected(TEST_SECRET, value, 12) });
      }
      expect(await engine.transformTuple('public', 't', cols, { a: null, b: null })).toEqual({ a: null, b: null });
      // The same value hashes the same in another table: joins on hashed keys still match.
      expect((await engine.transformTuple('public', 'u', [col('a_ref')], { a_ref: '42' })).a_ref).toBe(expected(TEST_SECRET, '42', 12));
      // The snapshot's transform threads build their engine without Nest: the same outputs.
      const threadEngine = createBuiltinTransformEngine({ file: writeConfig(yaml), secret: TEST_SECRET });
      expect(await threadEngine.transformTupleEager('public', 't', cols, { a: '42', b: '42' })).toEqual({
        a: expected(TEST_SECRET, '42'),
        b: expected(TEST_SECRET, '42', 12),
      });
    } finally {
      await module.close();
    }
  });

  it('depends on the secret', async () => {
    const { engine, module } = await bootEngine('version: v1\ntables:\n  public.t:\n    a: Hash\n', { secret: 'another-secret-0123456789abcdef' });
    try {
      const out = (await engine.transformTuple('public', 't', [col('a')], { a: '42' })).a;
      expect(out).toBe(expected('another-secret-0123456789abcdef', '42'));
      expect(out).not.toBe(expected(TEST_SECRET, '42'));
    } finally {
      await module.close();
    }
  });

  it('validates length (8 to 64) and the column, naming the file, line and table.column', async () => {
    await expect(bootEngine('version: v1\ntables:\n  public.t:\n    a: {type: Hash, length: 4}\n')).rejects.toThrow(
      /transforms\.yml:4: public\.t\.a: option 'length' must be at least 8, got 4/,
    );
    await expect(bootEngine('version: v1\ntables:\n  public.t:\n    a: {type: Hash, length: 65}\n')).rejects.toThrow(/option 'length' must be at most 64/);
    await expect(bootEngine('version: v1\ntables:\n  public.t:\n    a: {type: Hash, length: 1.5}\n')).rejects.toThrow(/option 'length' must be an integer/);
    const { engine, module } = await bootEngine('version: v1\ntables:\n  public.t:\n    a: {type: Hash, length: 16}\n');
    try {
      await expect(engine.transformTuple('public', 't', [col('a', 'integer')], { a: '1' })).rejects.toThrow(
        /public\.t\.a: Hash: its 16 hex digits do not fit the column/,
      );
      expect(() => engine.assertColumnsFit([{ schema: 'public', table: 't', columns: [{ name: 'a', type: 'character varying(10)' }] }])).toThrow(
        /transforms\.yml:4: public\.t\.a: Hash: its 16 hex digits do not fit/,
      );
      expect(() => engine.assertColumnsFit([{ schema: 'public', table: 't', columns: [{ name: 'a', type: 'character varying(16)' }] }])).not.toThrow();
    } finally {
      await module.close();
    }
  });
});
