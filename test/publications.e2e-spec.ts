import { waitFor } from '@kasho/testing';
import { KashoPipeline, tableDigestSql } from './support/kasho-pipeline';

/**
 * Kasho never makes the source refuse a write. Its publications are lists (the FOR ALL TABLES one of an
 * earlier Kasho is converted at start): a table without a primary key is insert-only, so its UPDATE and
 * DELETE succeed on the source with Kasho running and stopped; a table that gains a key moves to the full
 * publication, even while Kasho is stopped; EXCLUDE_TABLES leaves a table out; NO_KEY_TABLES=full takes
 * effect at the next start; the rows of CREATE TABLE AS replicate. A user's own publication is used as it is, and DDL still replicates.
 */
describe('publications: a source never broken by Kasho', () => {
  let k: KashoPipeline;

  beforeAll(async () => {
    k = await KashoPipeline.start({
      changeStreamEnv: { EXCLUDE_TABLES: 'secret_*' },
      // What an earlier Kasho left on the source: its publication FOR ALL TABLES, without a comment.
      beforeStart: async (source) => void (await source.query('CREATE PUBLICATION kasho_pub FOR ALL TABLES')),
    });
  }, 180_000);

  afterAll(async () => {
    await k?.stop();
  }, 60_000);

  it('converts the FOR ALL TABLES publication of an earlier Kasho into lists, and says so', async () => {
    expect(k.changeStream.output.join('\n')).toContain('Publications: converted kasho_pub from FOR ALL TABLES (made by an earlier Kasho) to a list of tables');
    expect(await k.source.query(`SELECT pubname, puballtables FROM pg_publication ORDER BY 1`)).toEqual([
      { pubname: 'kasho_pub', puballtables: false },
      { pubname: 'kasho_pub_inserts', puballtables: false },
    ]);
  });

  it('replicates the inserts of a table without a primary key, not its updates and deletes, which the source accepts; leaves excluded tables out', async () => {
    await k.source.query(
      `CREATE TABLE accounts (id int PRIMARY KEY, v text); CREATE TABLE events (v text); CREATE TABLE secret_notes (id int PRIMARY KEY, note text)`,
    );
    // A table created and filled in one transaction: published from its first row.
    await k.source.query(`BEGIN; CREATE TABLE born (id int PRIMARY KEY, v text); INSERT INTO born VALUES (1, 'first'); UPDATE born SET v = 'second'; COMMIT`);
    await k.source.query(`INSERT INTO events VALUES ('e1'), ('e2'); INSERT INTO secret_notes VALUES (1, 'classified'); INSERT INTO accounts VALUES (1, 'a')`);
    await k.source.query(`UPDATE events SET v = 'changed' WHERE v = 'e1'; DELETE FROM events WHERE v = 'e2'`);
    await k.source.query(`INSERT INTO events VALUES ('e3'); INSERT INTO accounts VALUES (2, 'b')`);

    // CREATE TABLE AS writes its rows before the table is in a publication: they are written again once it is.
    await k.source.query(`CREATE TABLE copied AS SELECT id, v FROM accounts`);
    await k.waitForEqual('SELECT * FROM accounts ORDER BY id');
    await k.waitForEqual('SELECT * FROM born ORDER BY id');
    await k.waitForEqual('SELECT * FROM copied ORDER BY id');
    expect(await k.target.query('SELECT v FROM events ORDER BY v')).toEqual([{ v: 'e1' }, { v: 'e2' }, { v: 'e3' }]);
    expect(await k.target.query('SELECT count(*)::int AS n FROM secret_notes')).toEqual([{ n: 0 }]);
    const logs = k.changeStream.output.join('\n');
    expect(logs).not.toContain('classified');
  });

  it('with Kasho stopped: the source accepts UPDATE and DELETE; a table created then without a key and given one moves to the full publication', async () => {
    await Promise.all([k.translicator.kill('SIGKILL'), k.changeStream.kill('SIGKILL')]);
    await k.source.query(`UPDATE events SET v = 'changed again'; DELETE FROM events WHERE v = 'e3'`);
    await k.source.query(
      `CREATE TABLE late (id int NOT NULL, v text); INSERT INTO late VALUES (1, 'a'), (2, 'b'); UPDATE late SET v = 'not replicated' WHERE id = 2`,
    );
    await k.source.query(`ALTER TABLE late ADD PRIMARY KEY (id); CREATE TABLE ledger (v text); INSERT INTO ledger VALUES ('l1')`);
    expect(
      await k.source.query(
        `SELECT p.pubname, r.prrelid::regclass::text AS t FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid
          WHERE r.prrelid::regclass::text IN ('late', 'ledger', 'events') ORDER BY 2`,
      ),
    ).toEqual([
      { pubname: 'kasho_pub_inserts', t: 'events' },
      { pubname: 'kasho_pub', t: 'late' },
      { pubname: 'kasho_pub_inserts', t: 'ledger' },
    ]);

    // Restarted with NO_KEY_TABLES=full: ledger gets REPLICA IDENTITY FULL and every change of it replicates.
    k.changeStream.env.NO_KEY_TABLES = 'full';
    k.changeStream.start();
    await k.changeStream.waitHealthy();
    k.translicator.start();
    await k.source.query(`UPDATE late SET v = 'replicated' WHERE id = 2; UPDATE ledger SET v = 'l2'; INSERT INTO ledger VALUES ('l3')`);
    await k.source.query(`DELETE FROM ledger WHERE v = 'l3'`);
    await k.waitForEqual('SELECT * FROM late ORDER BY id');
    await k.waitForEqual(tableDigestSql('ledger'));
    const logs = k.changeStream.output.join('\n');
    expect(logs).toMatch(/replicated with REPLICA IDENTITY FULL \(each UPDATE and DELETE writes the whole old row to WAL\): copied, events, ledger/);
    expect(await k.source.query(`SELECT relreplident FROM pg_class WHERE relname = 'ledger'`)).toEqual([{ relreplident: 'f' }]);
  });
});

describe("publications: a user's own publication", () => {
  let k: KashoPipeline;

  beforeAll(async () => {
    k = await KashoPipeline.start({
      changeStreamEnv: { PUBLICATION: 'mypub' },
      beforeStart: async (source) =>
        void (await source.query(
          `CREATE TABLE a (id int PRIMARY KEY, v text); CREATE TABLE b (id int PRIMARY KEY, v text); CREATE PUBLICATION mypub FOR TABLE a`,
        )),
    });
  }, 180_000);

  afterAll(async () => {
    await k?.stop();
  }, 60_000);

  it("is used as it is, without kasho.ddl_log: DDL still replicates and table b's rows never reach the target", async () => {
    await k.source.query(`INSERT INTO a VALUES (1, 'x'); INSERT INTO b VALUES (1, 'secret')`);
    await k.source.query(`ALTER TABLE a ADD COLUMN w int DEFAULT 7; INSERT INTO a VALUES (2, 'y', 8); INSERT INTO b VALUES (2, 'secret')`);
    await k.waitForEqual('SELECT * FROM a ORDER BY id');
    const [{ exists }] = await k.target.query<{ exists: boolean }>(`SELECT to_regclass('public.b') IS NOT NULL AS exists`);
    if (exists) expect(await k.target.query('SELECT count(*)::int AS n FROM b')).toEqual([{ n: 0 }]);
    expect(
      await k.source.query(`SELECT p.pubname, r.prrelid::regclass::text AS t FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid ORDER BY 1`),
    ).toEqual([
      { pubname: 'mypub', t: 'a' },
      { pubname: 'mypub_inserts', t: 'kasho.ddl_log' },
    ]);
    await waitFor(
      () => k.changeStream.output.some((l) => l.includes('Publication \\"mypub\\" is not Kasho') || l.includes('Publication "mypub" is not Kasho')),
      {
        timeoutMs: 5_000,
        what: "the log line about the user's publication",
      },
    );
  });
});
