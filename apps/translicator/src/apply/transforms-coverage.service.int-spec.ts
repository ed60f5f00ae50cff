import type { SnapshotTable } from '@kasho/contracts';
import { EphemeralPostgres } from '@kasho/testing';
import { bootEngine, col } from '@kasho/testing/transforms';
import { TransformConfigError, TransformError } from '@kasho/transforms';
import { TargetCatalog } from '../range-copy/target-catalog';
import { TransformsCoverageService } from './transforms-coverage.service';

jest.setTimeout(60_000);

const RULES = `version: v1
tables:
  public.people:
    ssn: SetNull
    note: SetNull
    qty: {type: Constant, value: none}
`;

/** Rules that cannot write their column, against a real target's catalog: the start and a snapshot refuse them. */
describe("transform rules against the target's catalog (real PostgreSQL)", () => {
  let pg: EphemeralPostgres;

  beforeAll(async () => {
    pg = await EphemeralPostgres.start();
    await pg.query(`
      CREATE SCHEMA kasho;
      CREATE TABLE kasho.applied_position (id smallint PRIMARY KEY, position text NOT NULL);
      CREATE TABLE public.people (id int PRIMARY KEY, ssn text NOT NULL, note text, qty int)`);
  });

  afterAll(async () => {
    await pg?.stop();
  });

  it('refuses the start of a replicating target: SetNull on NOT NULL and a Constant of the wrong type, with file:line and table.column', async () => {
    const { engine, module } = await bootEngine(RULES);
    try {
      const service = new TransformsCoverageService(engine, { targetUrl: pg.urlFor(pg.database) });
      const error = await service.onApplicationBootstrap().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransformConfigError);
      const issues = (error as TransformConfigError).issues.map((i) => `${i.line}: ${i.path}: ${i.message.split(';')[0].split(' (')[0]}`);
      expect(issues).toEqual([
        '4: public.people.ssn: SetNull: writes NULL, but the column is NOT NULL on the target',
        '6: public.people.qty: Constant: value does not fit the column',
      ]);
    } finally {
      await module.close();
    }
  });

  it('starts when every rule fits its column', async () => {
    const { engine, module } = await bootEngine('version: v1\ntables:\n  public.people:\n    note: SetNull\n    qty: {type: Constant, value: 0}\n');
    try {
      await expect(new TransformsCoverageService(engine, { targetUrl: pg.urlFor(pg.database) }).onApplicationBootstrap()).resolves.toBeUndefined();
    } finally {
      await module.close();
    }
  });

  it("gives a snapshot the target's NOT NULL and types, so it refuses the rule before copying", async () => {
    const { engine, module } = await bootEngine(RULES);
    try {
      const people: SnapshotTable = {
        schema: 'public',
        table: 'people',
        columns: [col('id', 'integer', true), col('ssn'), col('note'), col('qty', 'integer')],
        estimatedRows: 0,
        estimatedBytes: 0,
        uniqueIndexes: [],
        foreignKeys: [],
        ranges: [],
        postDataSql: '',
      };
      const columns = await pg.withClient(async (client) => (await TargetCatalog.read(client, [people])).columnsOf([people]));
      expect(columns).toEqual([
        {
          schema: 'public',
          table: 'people',
          columns: [
            { name: 'id', type: 'integer', notNull: true },
            { name: 'ssn', type: 'text', notNull: true },
            { name: 'note', type: 'text', notNull: false },
            { name: 'qty', type: 'integer', notNull: false },
          ],
        },
      ]);
      const refusal = engine.columnMisfit(columns);
      expect(refusal).toBeInstanceOf(TransformError);
      expect(refusal!.message).toMatch(
        /^public\.people\.ssn: SetNull: writes NULL, but the column is NOT NULL on the target; .*transforms\.yml:4\); 1 other rule\(s\) do not fit either$/,
      );
    } finally {
      await module.close();
    }
  });
});
