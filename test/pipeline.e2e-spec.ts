import { Client } from 'pg';
import { freePort } from '@kasho/testing';
import { KashoPipeline } from './support/kasho-pipeline';
import { ServiceProcess } from './support/service-process';

const PASSWORD = 'pw-Sekret-4711';

/** Rows compared by their full text form: every column byte for byte. */
const rowsText = (table: string, order = 'id') => `SELECT (t)::text AS row FROM ${table} t ORDER BY ${order}`;

describe('pipeline: source → change-stream → Redis → gRPC → translicator → target', () => {
  let k: KashoPipeline;

  beforeAll(async () => {
    k = await KashoPipeline.start({ databasePassword: PASSWORD });
  }, 120_000);

  afterAll(async () => {
    await k?.stop();
  });

  it('replicates CREATE TABLE and then rows of every type, exactly', async () => {
    await k.source.query(`
      CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
      CREATE TABLE public.types (
        id bigint PRIMARY KEY, n numeric(30,10), i8 int8, ts timestamptz, tsn timestamp, d date,
        ia int[], ta text[], j json, jb jsonb, b bytea, u uuid, m public.mood, t text, f8 float8, bo bool, iv interval
      )`);
    await k.source.query(`INSERT INTO public.types VALUES
      (1, '12345678901234567890.0123456789', 9007199254740993, '2024-01-02 03:04:05.123456+00', '1999-12-31 23:59:59.999999', '2024-02-29',
       '{1,NULL,3}', ARRAY['a "quoted" one', NULL, 'back\\slash', ''], '{"b": 1,  "a": [1, 2]}', '{"z": {"y": null}}', '\\x00ff10',
       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'happy', 'plain', 0.1, true, '1 year 2 mons 3 days 04:05:06.789'),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (3, '-0.0000000001', -9223372036854775808, 'infinity', '-infinity', '0001-01-01', '{}', '{}', '[]', '{}', '\\x', '00000000-0000-0000-0000-000000000000', 'sad', '', 'NaN', false, '0')`);
    await k.waitForEqual(rowsText('public.types'));
    const [row] = await k.target.query<{ t: string; ts: string }>(`SELECT t, ts::text FROM public.types WHERE id = 3`);
    expect(row.t).toBe('');
    const [nul] = await k.target.query<{ t: string | null }>(`SELECT t FROM public.types WHERE id = 2`);
    expect(nul.t).toBeNull();
  });

  it('applies updates, deletes, primary key changes and truncate', async () => {
    await k.source.query(`CREATE TABLE public.items (id int PRIMARY KEY, label text, qty int)`);
    await k.source.query(`INSERT INTO public.items SELECT g, 'item ' || g, g FROM generate_series(1, 50) g`);
    await k.source.query(`UPDATE public.items SET qty = qty * 10 WHERE id % 3 = 0`);
    await k.source.query(`DELETE FROM public.items WHERE id % 5 = 0`);
    await k.source.query(`UPDATE public.items SET id = id + 1000 WHERE id IN (1, 2)`);
    await k.waitForEqual(rowsText('public.items'));
    await k.source.query(`CREATE TABLE public.scratch (id int PRIMARY KEY); INSERT INTO public.scratch VALUES (1), (2)`);
    await k.waitForEqual(rowsText('public.scratch'));
    await k.source.query(`TRUNCATE public.scratch`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.scratch`);
    expect((await k.target.query(`SELECT count(*)::int AS n FROM public.scratch`))[0]).toEqual({ n: 0 });
  });

  it('leaves an unchanged TOAST value untouched and keeps NULL distinct from empty string', async () => {
    await k.source.query(`CREATE TABLE public.docs (id int PRIMARY KEY, body text, note text)`);
    // ~200 kB of incompressible text: stored out of line (TOAST), so an update of another column sends it as "unchanged".
    await k.source.query(`INSERT INTO public.docs SELECT 1, string_agg(md5(g::text), '') , 'x' FROM generate_series(1, 6000) g`);
    await k.source.query(`UPDATE public.docs SET note = '' WHERE id = 1`);
    await k.source.query(`INSERT INTO public.docs VALUES (2, NULL, ''), (3, '', NULL)`);
    await k.waitForEqual(
      `SELECT id, md5(body) AS body, length(body) AS len, note, note IS NULL AS note_null, body IS NULL AS body_null FROM public.docs ORDER BY id`,
    );
    const [doc] = await k.target.query<{ len: number }>(`SELECT length(body) AS len FROM public.docs WHERE id = 1`);
    expect(doc.len).toBe(6000 * 32);
  });

  it('applies ALTER TABLE in order with the rows around it', async () => {
    await k.source.query(`CREATE TABLE public.evolving (id int PRIMARY KEY, a text)`);
    await k.source.query(`INSERT INTO public.evolving VALUES (1, 'one')`);
    await k.source.query(`BEGIN; ALTER TABLE public.evolving ADD COLUMN b int DEFAULT 7; INSERT INTO public.evolving VALUES (2, 'two', 2); COMMIT`);
    await k.source.query(`ALTER TABLE public.evolving DROP COLUMN a; INSERT INTO public.evolving VALUES (3, 3)`);
    await k.source.query(`ALTER TABLE public.evolving RENAME COLUMN b TO c`);
    await k.source.query(`UPDATE public.evolving SET c = 30 WHERE id = 3`);
    await k.waitForEqual(rowsText('public.evolving'));
    const cols = await k.target.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'evolving' ORDER BY ordinal_position`,
    );
    expect(cols.map((c) => c.column_name)).toEqual(['id', 'c']);
  });

  it('orders interleaved transactions by commit: the later-started one commits first', async () => {
    await k.source.query(`CREATE TABLE public.ledger (id int PRIMARY KEY, owner text, amount int)`);
    await k.source.query(`INSERT INTO public.ledger VALUES (1, 'a', 0)`);
    const early = new Client(k.source.clientConfig());
    const late = new Client(k.source.clientConfig());
    await early.connect();
    await late.connect();
    try {
      await early.query('BEGIN');
      await early.query(`INSERT INTO public.ledger VALUES (10, 'early', 1)`); // lower change LSN
      await late.query('BEGIN');
      await late.query(`UPDATE public.ledger SET amount = 100 WHERE id = 1`);
      await late.query(`INSERT INTO public.ledger VALUES (20, 'late', 2)`);
      await late.query('COMMIT'); // commits first
      await early.query(`UPDATE public.ledger SET amount = amount + 1 WHERE id = 1`); // waits for nothing: row unlocked now
      await early.query('COMMIT');
    } finally {
      await early.end();
      await late.end();
    }
    await k.waitForEqual(rowsText('public.ledger'));
    expect(await k.target.query(`SELECT amount FROM public.ledger WHERE id = 1`)).toEqual([{ amount: 101 }]);
  });

  it('replicates a table without a primary key, including REPLICA IDENTITY FULL deletes of duplicates', async () => {
    await k.source.query(`CREATE TABLE public.nopk (v int, note text)`);
    await k.source.query(`ALTER TABLE public.nopk REPLICA IDENTITY FULL`);
    await k.source.query(`INSERT INTO public.nopk VALUES (1, 'dup'), (1, 'dup'), (1, 'dup'), (2, NULL)`);
    await k.source.query(`DELETE FROM public.nopk WHERE ctid = (SELECT ctid FROM public.nopk WHERE v = 1 LIMIT 1)`);
    await k.source.query(`UPDATE public.nopk SET note = 'was null' WHERE v = 2`);
    await k.waitForEqual(`SELECT v, note, count(*)::int AS n FROM public.nopk GROUP BY v, note ORDER BY v`);
    expect(await k.target.query(`SELECT count(*)::int AS n FROM public.nopk WHERE v = 1`)).toEqual([{ n: 2 }]);
  });

  it('refuses a second pg-change-stream on the same slot, saying how to fix it', async () => {
    const second = new ServiceProcess(
      'pg-change-stream',
      { PRIMARY_DATABASE_URL: k.source.url, KV_URL: k.redis.url, GRPC_PORT: String(await freePort()), HTTP_PORT: String(await freePort()) },
      0,
    );
    second.start();
    expect(await second.exited(30_000)).not.toBe(0);
    const output = second.tail(200);
    expect(output).toContain('replication slot "kasho_slot" is in use by another process');
    expect(output).toContain('pg_drop_replication_slot');
    expect(k.changeStream.running).toBe(true);
  });

  it('never logs a password or a row value', () => {
    const logs = k.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(PASSWORD);
    for (const value of ['12345678901234567890.0123456789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'item 17', 'early']) {
      expect(logs).not.toContain(value);
    }
  });

  it('replicates 100,000 rows and reports the rate', async () => {
    await k.source.query(`CREATE TABLE public.bulk (id bigint PRIMARY KEY, name text, email text, created_at timestamptz, n int)`);
    await k.waitForEqual(`SELECT count(*)::int FROM public.bulk`);
    const started = Date.now();
    const client = new Client(k.source.clientConfig());
    await client.connect();
    try {
      for (let batch = 0; batch < 100; batch++) {
        await client.query(
          `INSERT INTO public.bulk SELECT g, 'name ' || g, 'user' || g || '@example.com', now(), g % 1000 FROM generate_series($1::int, $2::int) g`,
          [batch * 1000 + 1, batch * 1000 + 1000],
        );
      }
    } finally {
      await client.end();
    }
    await k.waitForEqual(`SELECT count(*)::int AS n, sum(id)::text AS s FROM public.bulk`, 120_000);
    const seconds = (Date.now() - started) / 1000;
    const rate = Math.round(100_000 / seconds);
    console.log(`e2e throughput: 100000 rows in ${seconds.toFixed(2)} s = ${rate} rows/s (source insert → target commit, 1000 rows per source transaction)`);
    expect(rate).toBeGreaterThan(1000);
  }, 180_000);
});
