import { bootEngine, col } from '@kasho/testing/transforms';
import { TransformError } from '../transform.errors';
import { TransformConfigError } from '../transforms-config.errors';

const YAML = 'version: v1\ntables:\n  public.t:\n    ssn: SetNull\n    note: SetNull\n';

describe('SetNull transform', () => {
  it('writes NULL for every value, of any type; NULL stays NULL; absent columns stay absent', async () => {
    const { engine, module } = await bootEngine(YAML);
    try {
      const cols = [col('ssn', 'text'), col('note', 'integer')];
      expect(await engine.transformTuple('public', 't', cols, { ssn: '123-45-6789', note: '42' })).toEqual({ ssn: null, note: null });
      expect(await engine.transformTuple('public', 't', cols, { ssn: null, note: null })).toEqual({ ssn: null, note: null });
      expect(await engine.transformTuple('public', 't', cols, { note: '1' })).toEqual({ note: null });
    } finally {
      await module.close();
    }
  });

  it("refuses a NOT NULL column of the target's catalog, naming the file, line and table.column", async () => {
    const { engine, module } = await bootEngine(YAML);
    try {
      expect(() =>
        engine.assertColumnsFit([
          {
            schema: 'public',
            table: 't',
            columns: [
              { name: 'ssn', type: 'text', notNull: false },
              { name: 'note', type: 'text' },
            ],
          },
        ]),
      ).not.toThrow();
      let error: unknown;
      try {
        engine.assertColumnsFit([{ schema: 'public', table: 't', columns: [{ name: 'ssn', type: 'text', notNull: true }] }]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TransformConfigError);
      // A snapshot refuses its copy with a TransformError naming the column, the file and the line.
      const refusal = engine.columnMisfit([
        {
          schema: 'public',
          table: 't',
          columns: [
            { name: 'ssn', type: 'text', notNull: true },
            { name: 'note', type: 'int', notNull: true },
          ],
        },
      ]);
      expect(refusal).toBeInstanceOf(TransformError);
      expect(refusal!.message).toMatch(
        /^public\.t\.ssn: SetNull: writes NULL, but the column is NOT NULL on the target; .*\(.*transforms\.yml:4\); 1 other rule\(s\) do not fit either$/,
      );
      expect(engine.columnMisfit([{ schema: 'public', table: 't', columns: [{ name: 'ssn', type: 'text', notNull: false }] }])).toBeUndefined();
      expect((error as Error).message).toMatch(/transforms\.yml:4: public\.t\.ssn: SetNull: writes NULL, but the column is NOT NULL on the target/);
    } finally {
      await module.close();
    }
  });
});
