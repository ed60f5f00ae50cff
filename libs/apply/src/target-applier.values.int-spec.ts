import { ColumnMeta } from '@kasho/contracts';
import { EphemeralPostgres } from '@kasho/testing';
import { applyTransactions, col, ddl, insert, rowChange, transaction, truncate } from '../test/changes';
import { TargetApplier } from './target-applier';

/** Exact values and every change kind, against a real target. */
describe('TargetApplier values and change kinds', () => {
  let pg: EphemeralPostgres;
  let applier: TargetApplier;
  let lsn = 1000n;
  const apply = (changes: Parameters<typeof transaction>[1]) => applyTransactions(applier, transaction((lsn += 100n), changes));

  beforeAll(async () => {
    pg = await EphemeralPostgres.start({ settings: { timezone: 'UTC' } });
    await pg.query(`CREATE TYPE mood AS ENUM ('happy', 'sad')`);
    await pg.query(
      `CREATE TABLE exact (id bigint PRIMARY KEY, num numeric(30,10), i8 int8, ts timestamptz, ia int[], ta text[], j json, jb jsonb, b bytea, u uuid, m mood, t text, t2 text)`,
    );
    applier = new TargetApplier({ connectionString: pg.url });
    await applier.open();
  });

  afterAll(async () => {
    await applier?.close();
    await pg?.stop();
  });

  const exactCols: ColumnMeta[] = [
    col('id', 'bigint', true, 20),
    col('num', 'numeric(30,10)', false, 1700),
    col('i8', 'bigint', false, 20),
    col('ts', 'timestamp with time zone', false, 1184),
    col('ia', 'integer[]', false, 1007),
    col('ta', 'text[]', false, 1009),
    col('j', 'json', false, 114),
    col('jb', 'jsonb', false, 3802),
    col('b', 'bytea', false, 17),
    col('u', 'uuid', false, 2950),
    col('m', 'public.mood', false, 0),
    col('t', 'text'),
    col('t2', 'text'),
  ];
  const exactRow = {
    id: '1',
    num: '12345678901234567890.0123456789',
    i8: '9007199254740993',
    ts: '2024-01-02 03:04:05.123456+00',
    ia: '{1,NULL,3}',
    ta: '{"a\\"b","c,d",NULL,"NULL",it\'s,"sp ace"}',
    j: '{"z": 1,   "a" : [1, 2.50]}',
    jb: '{"a": [1, 2.50], "z": 1}',
    b: '\\x00ff',
    u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    m: 'happy',
    t: null,
    t2: '',
  };
  const readExact = async (id: string) =>
    (await pg.query(`SELECT ${exactCols.map((c) => `${c.name}::text AS ${c.name}`).join(', ')} FROM exact WHERE id = $1`, [id]))[0];

  it('round-trips numeric, int8, timestamptz, arrays, json, jsonb, bytea, uuid, enum, NULL and empty text exactly', async () => {
    await apply([insert('exact', exactCols, exactRow)]);
    expect(await readExact('1')).toEqual(exactRow);
  });

  it('updates exact values by key and deletes by key', async () => {
    const changed = { ...exactRow, num: '-0.0000000001', i8: '-9223372036854775808', t: '', t2: null };
    await apply([rowChange('update', 'exact', exactCols, { new: changed })]);
    expect(await readExact('1')).toEqual(changed);
    await apply([rowChange('delete', 'exact', exactCols, { old: { id: '1' } })]);
    expect(await pg.query('SELECT * FROM exact')).toEqual([]);
  });

  it('leaves an unchanged TOAST column untouched', async () => {
    await pg.query('CREATE TABLE docs (id int PRIMARY KEY, title text, body text)');
    const cols = [col('id', 'integer', true, 23), col('title'), col('body')];
    const body = 'x'.repeat(100_000);
    await apply([insert('docs', cols, { id: '1', title: 'a', body })]);
    await apply([rowChange('update', 'docs', cols, { new: { id: '1', title: 'b' }, unchangedToast: ['body'] })]);
    expect(await pg.query('SELECT title, length(body) AS len FROM docs')).toEqual([{ title: 'b', len: 100_000 }]);
  });

  it('applies a primary key change by the old key', async () => {
    await pg.query('CREATE TABLE pk (id int PRIMARY KEY, v text)');
    const cols = [col('id', 'integer', true, 23), col('v')];
    await apply([insert('pk', cols, { id: '1', v: 'one' }), insert('pk', cols, { id: '2', v: 'two' })]);
    await apply([rowChange('update', 'pk', cols, { old: { id: '1' }, new: { id: '10', v: 'ten' } })]);
    expect(await pg.query('SELECT id, v FROM pk ORDER BY id')).toEqual([
      { id: 2, v: 'two' },
      { id: 10, v: 'ten' },
    ]);
  });

  it('under REPLICA IDENTITY FULL updates and deletes exactly one of duplicate rows, json compared as text', async () => {
    await pg.query('CREATE TABLE dups (a int, j json, n text)');
    await pg.query('ALTER TABLE dups REPLICA IDENTITY FULL');
    const cols = [col('a', 'integer', true, 23), col('j', 'json', true, 114), col('n', 'text', true)];
    const row = { a: '1', j: '{"k": 1}', n: null };
    await apply([insert('dups', cols, row), insert('dups', cols, row), insert('dups', cols, row)]);
    await apply([rowChange('delete', 'dups', cols, { old: row }, 'full')]);
    expect(await pg.query('SELECT count(*)::int AS n FROM dups')).toEqual([{ n: 2 }]);
    await apply([rowChange('update', 'dups', cols, { old: row, new: { ...row, a: '2' } }, 'full')]);
    expect(await pg.query('SELECT a, count(*)::int AS n FROM dups GROUP BY a ORDER BY a')).toEqual([
      { a: 1, n: 1 },
      { a: 2, n: 1 },
    ]);
  });

  it('applies inserts and FULL-identity deletes to a table without a primary key', async () => {
    await pg.query('CREATE TABLE nopk (v text)');
    await pg.query('ALTER TABLE nopk REPLICA IDENTITY FULL');
    const cols = [col('v', 'text', true)];
    await apply([insert('nopk', cols, { v: 'x' }), insert('nopk', cols, { v: 'x' }), insert('nopk', cols, { v: 'y' })]);
    await apply([rowChange('delete', 'nopk', cols, { old: { v: 'x' } }, 'full')]);
    expect(await pg.query('SELECT v FROM nopk ORDER BY v')).toEqual([{ v: 'x' }, { v: 'y' }]);
  });

  it('truncates several tables with RESTART IDENTITY', async () => {
    await pg.query('CREATE TABLE ta (id serial PRIMARY KEY, v text); CREATE TABLE tb (v text)');
    await pg.query(`INSERT INTO ta (v) VALUES ('1'), ('2'); INSERT INTO tb VALUES ('x')`);
    await apply([truncate(['ta', 'tb'], { restartIdentity: true })]);
    await pg.query(`INSERT INTO ta (v) VALUES ('3')`);
    expect(await pg.query('SELECT id FROM ta')).toEqual([{ id: 1 }]);
    expect(await pg.query('SELECT * FROM tb')).toEqual([]);
  });

  it('runs DDL in order with the rows around it, under the source search_path, and restores it', async () => {
    await pg.query('CREATE SCHEMA app');
    const cols = [col('id', 'integer', true, 23), col('v')];
    await apply([
      ddl('CREATE TABLE made (id int PRIMARY KEY)', 'app, public'),
      ddl('ALTER TABLE made ADD COLUMN v text', 'app, public'),
      { ...insert('made', cols, { id: '1', v: 'a' }), schema: 'app' },
      ddl('ALTER TABLE made ADD COLUMN w text DEFAULT $$d$$', 'app'),
      { ...insert('made', cols, { id: '2', v: 'b' }), schema: 'app' },
      ddl('CREATE TABLE plain (id int)', '"$user", public'),
    ]);
    expect(await pg.query('SELECT id, v, w FROM app.made ORDER BY id')).toEqual([
      { id: 1, v: 'a', w: 'd' },
      { id: 2, v: 'b', w: 'd' },
    ]);
    expect(await pg.query(`SELECT to_regclass('public.plain')::text AS t, to_regclass('app.plain')::text AS a`)).toEqual([{ t: 'plain', a: null }]);
  });

  it('refuses DDL text that holds more than one statement (extended protocol): nothing of it runs', async () => {
    await expect(apply([ddl(`CREATE TABLE glued (a int); INSERT INTO exact (id, t) VALUES (777, $$ceo@corp.example$$)`, 'public')])).rejects.toThrow(
      /cannot apply ddl at position \d+-0: cannot insert multiple commands into a prepared statement \(SQLSTATE 42601\)/,
    );
    expect(applier.inTransaction).toBe(false);
    expect(await pg.query(`SELECT to_regclass('public.glued')::text AS t, (SELECT count(*)::int FROM exact WHERE id = 777) AS n`)).toEqual([{ t: null, n: 0 }]);
  });

  it('fails closed when an update or delete finds no row (the replica diverged)', async () => {
    const cols = [col('id', 'integer', true, 23), col('v')];
    await expect(apply([rowChange('update', 'pk', cols, { new: { id: '999', v: 'x' } })])).rejects.toThrow(
      /cannot apply update on public.pk at position \d+-0: expected to affect 1 row\(s\) but affected 0/,
    );
    expect(applier.inTransaction).toBe(false);
    await expect(apply([rowChange('delete', 'pk', cols, { old: { id: '999' } })])).rejects.toThrow('affected 0');
  });

  it('deletes many rows by key in batched statements (single and composite keys) and fails closed when one is missing', async () => {
    await pg.query(`CREATE TABLE many (id bigint PRIMARY KEY, v text)`);
    await pg.query(`INSERT INTO many SELECT g, 'v' || g FROM generate_series(1, 3000) g`);
    await pg.query(`CREATE TABLE pairs (a text, b timestamptz, n numeric, v text, PRIMARY KEY (a, b, n))`);
    await pg.query(
      `INSERT INTO pairs SELECT E'k\\t''' || g % 7, timestamptz '2024-01-01 00:00+00' + g * interval '1 second', g / 3.0, 'v' FROM generate_series(1, 500) g`,
    );
    const manyCols = [col('id', 'bigint', true, 20), col('v')];
    const pairCols = [col('a', 'text', true), col('b', 'timestamp with time zone', true, 1184), col('n', 'numeric', true, 1700), col('v')];
    const pairs = await pg.query<{ a: string; b: string; n: string }>(`SELECT a, b::text, n::text FROM pairs WHERE n < 100 ORDER BY n`);
    await apply([
      ...Array.from({ length: 2500 }, (_, i) => rowChange('delete', 'many', manyCols, { old: { id: String(i + 1) } })),
      ...pairs.map((p) => rowChange('delete', 'pairs', pairCols, { old: { a: p.a, b: p.b, n: p.n } })),
    ]);
    expect(await pg.query(`SELECT count(*)::int AS n, min(id)::int AS first FROM many`)).toEqual([{ n: 500, first: 2501 }]);
    expect(await pg.query(`SELECT count(*)::int AS n FROM pairs WHERE n < 100`)).toEqual([{ n: 0 }]);
    expect(await pg.query(`SELECT count(*)::int AS n FROM pairs`)).toEqual([{ n: 500 - pairs.length }]);
    // One key of the batch is not on the target: the whole transaction is refused, nothing deleted.
    await expect(apply(['2600', '999999', '2700'].map((id) => rowChange('delete', 'many', manyCols, { old: { id } })))).rejects.toThrow(
      /expected to affect 3 row\(s\) but affected 2/,
    );
    expect(await pg.query(`SELECT count(*)::int AS n FROM many`)).toEqual([{ n: 500 }]);
  });

  it('updates many rows by key in batched statements: repeated keys in order, exact values, unchanged TOAST kept, a missing row refused', async () => {
    await pg.query(`CREATE TABLE upd (id bigint PRIMARY KEY, n numeric(8,2), v varchar(5), m mood, ia int[], j json, big text)`);
    await pg.query(`INSERT INTO upd SELECT g, g, 'v', 'happy', '{1}', '{}', repeat('toast', 1000) FROM generate_series(1, 2000) g`);
    const updCols = [
      col('id', 'bigint', true, 20),
      col('n', 'numeric(8,2)', false, 1700),
      col('v', 'character varying(5)', false, 1043),
      col('m', 'public.mood', false, 0),
      col('ia', 'integer[]', false, 1007),
      col('j', 'json', false, 114),
      col('big'),
    ];
    const set = (id: number, n: string) =>
      rowChange('update', 'upd', updCols, { new: { id: String(id), n, v: `v${id % 100}`, m: 'sad', ia: `{${id},NULL}`, j: `{"id":  ${id}}`, big: 'small' } });
    await apply([
      ...Array.from({ length: 1500 }, (_, i) => set(i + 1, '1.005')),
      // The same keys again, in the same source transaction: the later values win.
      ...Array.from({ length: 10 }, (_, i) => set(i + 1, String(-i))),
      // Unchanged TOAST: big is left as it is.
      rowChange('update', 'upd', updCols, { new: { id: '1999', n: '7', v: 'w', m: 'sad', ia: '{}', j: 'null' }, unchangedToast: ['big'] }),
    ]);
    expect(await pg.query(`SELECT count(*)::int AS n FROM upd WHERE m = 'sad' AND big = 'small'`)).toEqual([{ n: 1500 }]);
    expect(await pg.query(`SELECT id::int, n::text, v, ia::text, j::text FROM upd WHERE id IN (1, 10, 11, 1500) ORDER BY id`)).toEqual([
      { id: 1, n: '0.00', v: 'v1', ia: '{1,NULL}', j: '{"id":  1}' },
      { id: 10, n: '-9.00', v: 'v10', ia: '{10,NULL}', j: '{"id":  10}' },
      { id: 11, n: '1.01', v: 'v11', ia: '{11,NULL}', j: '{"id":  11}' },
      { id: 1500, n: '1.01', v: 'v0', ia: '{1500,NULL}', j: '{"id":  1500}' },
    ]);
    expect(await pg.query(`SELECT n::text, length(big) AS big FROM upd WHERE id = 1999`)).toEqual([{ n: '7.00', big: 5000 }]);
    // A value too long for varchar(5) fails as a single update would, and so does a row the target lacks.
    await expect(
      apply([set(5, '1'), rowChange('update', 'upd', updCols, { new: { id: '6', n: '1', v: 'toolong', m: 'sad', ia: '{}', j: '1', big: 'x' } })]),
    ).rejects.toThrow(/value too long for type character varying\(5\)/);
    await expect(apply([set(7, '1'), set(999999, '1'), set(8, '1')])).rejects.toThrow(/expected to affect 3 row\(s\) but affected 2/);
    expect(await pg.query(`SELECT n::text FROM upd WHERE id IN (5, 7) ORDER BY id`)).toEqual([{ n: '-4.00' }, { n: '-6.00' }]); // untouched by both
  });
});

/**
 * A batched UPDATE changes its rows in the plan's order, not the source's: values moved between rows
 * of a unique constraint can clash. The plan is forced to walk the table in physical order here.
 */
describe('TargetApplier batched updates and unique constraints', () => {
  let pg: EphemeralPostgres;
  let applier: TargetApplier;

  beforeAll(async () => {
    pg = await EphemeralPostgres.start({ settings: { enable_nestloop: 'off', enable_mergejoin: 'off', enable_indexscan: 'off', enable_bitmapscan: 'off' } });
    await pg.query(`CREATE TABLE slots (id int PRIMARY KEY, pos int NOT NULL UNIQUE)`);
    await pg.query(`INSERT INTO slots VALUES (1, 1), (2, 2)`);
    applier = new TargetApplier({ connectionString: pg.url });
    await applier.open();
  });

  afterAll(async () => {
    await applier?.close();
    await pg?.stop();
  });

  it("refuses the batch that clashes, then applies that table's updates one by one in source order", async () => {
    const cols = [col('id', 'integer', true, 23), col('pos', 'integer', false, 23)];
    // Valid in this order on the source: 2 moves to 3, then 1 to 2. Row 1 first would clash.
    const changes = transaction(500, [
      rowChange('update', 'slots', cols, { new: { id: '2', pos: '3' } }),
      rowChange('update', 'slots', cols, { new: { id: '1', pos: '2' } }),
    ]);
    await expect(applyTransactions(applier, changes)).rejects.toThrow(/SQLSTATE 23505/);
    expect(await pg.query(`SELECT id, pos FROM slots ORDER BY id`)).toEqual([
      { id: 1, pos: 1 },
      { id: 2, pos: 2 },
    ]);
    // The retry (as the replication loop does it) goes statement by statement.
    await applyTransactions(applier, changes);
    expect(await pg.query(`SELECT id, pos FROM slots ORDER BY id`)).toEqual([
      { id: 1, pos: 2 },
      { id: 2, pos: 3 },
    ]);
  });
});
