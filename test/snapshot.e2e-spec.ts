import { Client } from 'pg';
import { waitFor } from '@kasho/testing';
import type { TestingModule } from '@nestjs/testing';
import type { TransformEngine } from '@kasho/transforms';
import { bootEngine } from '@kasho/testing/transforms';
import type { EphemeralPostgres } from '@kasho/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KashoPipeline, tableDigestSql } from './support/kasho-pipeline';
import { E2E_TRANSFORMS_SECRET, REPO_ROOT } from './support/service-process';

const execFileAsync = promisify(execFile);

/**
 * Initial snapshot (docs/snapshot.md): a source that already holds data (enums, a domain, foreign
 * keys, indexes, sequences, identity, bytea, arrays, json, awkward text) and writers that keep
 * inserting and updating while Kasho starts; the target must end up equal to the source, transformed
 * columns aside (checked against the transform engine), with constraints, indexes and sequences,
 * and no duplicates. Then a kill -9 of either service during the snapshot, and a one-table resync.
 */
const TRANSFORMS = `version: v1
tables:
  public.users:
    name: FakeName
    email: {type: FakeEmail, unique: true}
`;

const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef0123';
const USERS = 40_000;
const ORDERS = 240_000;
const EVENTS = 40_000;

async function fillSource(source: EphemeralPostgres): Promise<void> {
  await source.query(`
    CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
    CREATE DOMAIN public.qty AS int CHECK (VALUE > 0);
    CREATE TABLE public.users (
      id bigserial PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE, mood public.mood NOT NULL DEFAULT 'ok',
      bio text, created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE public.orders (
      id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES public.users (id), amount numeric(12,2) NOT NULL,
      qty public.qty NOT NULL, note text, payload bytea, tags text[], doc jsonb, updated int NOT NULL DEFAULT 0);
    CREATE INDEX orders_user_idx ON public.orders (user_id);
    CREATE INDEX users_mood_idx ON public.users (mood) WHERE mood <> 'ok';
    CREATE TABLE public.events (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text, body jsonb,
      kind_len int GENERATED ALWAYS AS (length(kind)) STORED);
    CREATE TABLE public.nopk (a int, b text);
    -- Built-in types only and no rules: copied as COPY binary, edge values included.
    CREATE TABLE public.kinds (
      id int PRIMARY KEY, i2 smallint, i8 bigint, n numeric, f4 real, f8 double precision, b boolean, d date, t time,
      tz timetz, ts timestamp, tstz timestamptz, iv interval, u uuid, ip inet, net cidr, mac macaddr, bits bit(8),
      vb varbit, by bytea, j json, jb jsonb, ch char(3), vc varchar(20), tx text, ia int[], ta text[], ma int[][],
      r int4range, tr tstzrange, m money, o oid, p point);
    INSERT INTO public.users (name, email, mood, bio)
      SELECT 'User ' || g, 'user' || g || '@example.com', (ARRAY['sad','ok','happy'])[1 + g % 3]::public.mood,
             CASE g % 5 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN E'tab\\there\\nnew line \\\\ back' ELSE 'Zoë ✓ ' || g END
        FROM generate_series(1, ${USERS}) g;
    INSERT INTO public.orders (user_id, amount, qty, note, payload, tags, doc)
      SELECT 1 + g % ${USERS}, (g % 100000) / 100.0, 1 + g % 7, CASE WHEN g % 4 = 0 THEN NULL ELSE repeat('n', g % 50) || E'\\r' END,
             CASE WHEN g % 3 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') END, ARRAY['a' || g % 10, E'q"\\\\'],
             jsonb_build_object('g', g, 's', E'x\\ty')
        FROM generate_series(1, ${ORDERS}) g;
    INSERT INTO public.events (kind, body) SELECT 'k' || g % 13, jsonb_build_object('n', g) FROM generate_series(1, ${EVENTS}) g;
    INSERT INTO public.nopk SELECT g % 100, 'dup' FROM generate_series(1, 3000) g;
    INSERT INTO public.kinds
      SELECT g, (g % 32767 - 16000)::smallint, g::bigint * 1000000007 * (CASE WHEN g % 2 = 0 THEN -1 ELSE 1 END),
             CASE g % 5 WHEN 0 THEN 'NaN'::numeric WHEN 1 THEN NULL WHEN 2 THEN 'Infinity'::numeric ELSE g * 1.000123 END,
             g / 3.0, CASE g % 4 WHEN 0 THEN 'Infinity' WHEN 1 THEN '-Infinity' WHEN 2 THEN 'NaN' ELSE g / 7.0 END, g % 2 = 0,
             CASE WHEN g % 9 = 0 THEN 'infinity'::date ELSE date '2000-02-29' + g END, time '00:00:01' + g * interval '17 seconds',
             timetz '12:00:00+05:30' + g * interval '1 second',
             CASE g % 3 WHEN 0 THEN 'infinity'::timestamp WHEN 1 THEN '-infinity'::timestamp ELSE timestamp '1999-12-31 23:59:59.999999' + g * interval '1 hour' END,
             timestamptz '2024-03-31 01:30:00+00' + g * interval '1 minute', make_interval(0, g % 13, 0, g % 31, g % 24, 0, g / 1000.0),
             md5(g::text)::uuid, ('10.0.' || g % 256 || '.' || g % 200)::inet, '2001:db8::/32'::cidr, '08:00:2b:01:02:03'::macaddr,
             (g % 256)::bit(8), B'10101'::varbit, CASE WHEN g % 3 = 0 THEN NULL ELSE decode(repeat('00ff5c0a09', g % 20), 'hex') END,
             ('{"g": ' || g || ', "s": "a\\tb"}')::json, jsonb_build_object('g', g, 'a', jsonb_build_array(1, 'x', NULL)),
             'ab', 'v' || g, CASE g % 4 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE E'tab\\there\\nnl \\\\ ✓ ' || g END,
             ARRAY[g, NULL, -g], ARRAY['a', NULL, E'q"\\\\', ''], ARRAY[[g, 2], [3, 4]],
             int4range(g, g + 10), tstzrange(timestamptz '2020-01-01 00:00+00' + g * interval '1 day', NULL), (g / 100.0)::money, g::oid,
             point(g, -g / 2.0)
        FROM generate_series(1, 3000) g;
    ANALYZE;`);
}

/** Inserts and updates in small transactions until stopped (bounded: at most `max` transactions). */
function startWriter(source: EphemeralPostgres, tag: string, max = 20_000): { stop: () => Promise<number> } {
  let stopped = false;
  let done = 0;
  const run = (async () => {
    const client = new Client(source.clientConfig());
    await client.connect();
    try {
      for (let i = 0; i < max && !stopped; i++) {
        await client.query(
          `WITH u AS (INSERT INTO public.users (name, email, bio) VALUES ('Writer ' || $1::int, $2 || $1::int || '@example.com', 'w') RETURNING id)
           INSERT INTO public.orders (user_id, amount, qty, note) SELECT id, 1.5, 2, 'live' FROM u`,
          [i, `writer-${tag}-`],
        );
        await client.query(`UPDATE public.orders SET updated = updated + 1, amount = amount + 1 WHERE id = 1 + ($1::int * 7919) % ${ORDERS}`, [i]);
        await client.query(`UPDATE public.users SET bio = 'updated ' || $1::int WHERE id = 1 + ($1::int * 104729) % ${USERS}`, [i]);
        if (i % 50 === 0) await client.query(`DELETE FROM public.events WHERE id = $1::int`, [1 + i]);
        done++;
      }
    } finally {
      await client.end();
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await run;
      return done;
    },
  };
}

const PLAIN_TABLES = [
  ['public.orders', '*'],
  ['public.events', '*'],
  ['public.nopk', '*'],
  ['public.kinds', '*'],
  ['public.users', 'id, mood, bio, created_at'],
] as const;

async function expectEqual(k: KashoPipeline, engine: TransformEngine): Promise<void> {
  for (const [table, columns] of PLAIN_TABLES) await k.waitForEqual(tableDigestSql(table, columns), 60_000);
  // Transformed columns: exactly what the engine makes of the source value (so never the source value).
  const [src, dst] = await Promise.all([
    k.source.query<{ id: string; name: string; email: string }>('SELECT id::text, name, email FROM public.users ORDER BY id'),
    k.target.query<{ id: string; name: string; email: string }>('SELECT id::text, name, email FROM public.users ORDER BY id'),
  ]);
  expect(dst.length).toBe(src.length);
  const columns = [
    { name: 'name', type: 'text', typeOid: 25, typeMod: -1, key: false },
    { name: 'email', type: 'text', typeOid: 25, typeMod: -1, key: false },
  ];
  let mismatches = 0;
  for (let i = 0; i < src.length; i++) {
    const expected = await engine.transformTuple('public', 'users', columns, { name: src[i].name, email: src[i].email });
    if (dst[i].id !== src[i].id || dst[i].name !== expected.name || dst[i].email !== expected.email || dst[i].name === src[i].name) mismatches++;
  }
  expect(mismatches).toBe(0);
  // No duplicates where there is a key, and every constraint, index and type is there.
  const dupes = await k.target.query<{ n: string }>(
    `SELECT (SELECT count(*) - count(DISTINCT id) FROM public.users) + (SELECT count(*) - count(DISTINCT id) FROM public.orders) AS n`,
  );
  expect(Number(dupes[0].n)).toBe(0);
  const schemaSql = `
    SELECT 'constraint' AS kind, conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT 'index', indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT 'enum', string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'public.mood'::regtype
    UNION ALL SELECT 'column', table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(column_default, '') || ' ' || is_nullable || ' ' || is_generated
      FROM information_schema.columns WHERE table_schema = 'public'
    ORDER BY 1, 2`;
  expect(await k.target.query(schemaSql)).toEqual(await k.source.query(schemaSql));
}

async function sequencesCaughtUp(k: KashoPipeline): Promise<void> {
  const sql = `SELECT sequencename, last_value::text FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`;
  await k.waitForEqual(sql, 30_000);
}

describe('initial snapshot', () => {
  let engine: TransformEngine;
  let module: TestingModule;

  beforeAll(async () => {
    ({ engine, module } = await bootEngine(TRANSFORMS, { secret: E2E_TRANSFORMS_SECRET }));
  });
  afterAll(() => module?.close());

  describe('a source with data and live writers', () => {
    let k: KashoPipeline;
    afterAll(() => k?.stop(), 60_000);

    it('copies schema and rows (transformed) and streams on with no gap and no duplicate', async () => {
      let writer: { stop: () => Promise<number> } | undefined;
      k = await KashoPipeline.start({
        transformsYaml: TRANSFORMS,
        translicatorEnv: { SNAPSHOT_WORKERS: '3', SEQUENCE_SYNC_SECONDS: '1', ADMIN_TOKEN },
        beforeStart: async (source) => {
          await fillSource(source);
          writer = startWriter(source, 'boot');
        },
        waitForTranslicator: false,
      });
      await k.translicator.waitHealthy(90_000);
      await new Promise((r) => setTimeout(r, 500));
      const writes = await writer!.stop();
      expect(writes).toBeGreaterThan(10);
      await expectEqual(k, engine);
      await sequencesCaughtUp(k);
      const logs = k.logs();
      expect(logs).toMatch(/snapshot done: 5 tables, \d+ rows/);
      // kinds, events and nopk (built-in types, no rules), users (rules on text columns, an enum) and orders (a domain over int) as binary.
      expect(logs).toMatch(/5 of 5 tables copied as COPY binary/);
      console.log(
        logs
          .split('\n')
          .filter((l) => /snapshot done|prepared in|post-data built|Schema \(pre-data\)/.test(l))
          .map((l) => l.slice(0, 300))
          .join('\n'),
      );
      expect(logs).toMatch(
        /Foreign keys and the rest of post-data built and \d+ sequences set in \d+ ms \(the own indexes and constraints of 4 tables were built as each one's rows were in/,
      );
      const run = await k.target.query<{ phase: string }>('SELECT phase FROM kasho.snapshot_run');
      expect(run).toEqual([{ phase: 'done' }]);
      // Every table with indexes or key constraints had them built as soon as its rows were in (nopk has none).
      const indexed = await k.target.query<{ t: string }>('SELECT table_name AS t FROM kasho.snapshot_indexed_tables ORDER BY 1');
      expect(indexed.map((r) => r.t)).toEqual(['events', 'kinds', 'orders', 'users']);
      const metrics = await k.translicator.metrics().catch(() => '');
      if (metrics) expect(metrics).toMatch(/kasho_snapshot_rows_done\{table="public.orders"\} \d+/);
    }, 180_000);

    it('re-copies one table on request while the stream keeps going', async () => {
      // Drift on the target (as if the table's transforms had changed) that only a re-copy repairs.
      await k.target.query(`UPDATE public.users SET bio = 'drift' WHERE id <= 500`);
      await k.target.query(`DELETE FROM public.users WHERE id > 39000 AND NOT EXISTS (SELECT FROM public.orders o WHERE o.user_id = users.id)`);
      const url = `http://127.0.0.1:${k.translicator.httpPort}/snapshot/resync`;
      // ADMIN_TOKEN is set: no token, no re-copy.
      const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ table: 'public.users' }) });
      expect(refused.status).toBe(401);
      expect((await fetch(url)).status).toBe(401);
      const writer = startWriter(k.source, 'resync');
      // The command line asks the running translicator over HTTP (with ADMIN_TOKEN from its environment) and waits for the outcome.
      const cli = (table: string) =>
        execFileAsync(process.execPath, [join(REPO_ROOT, 'kasho'), 'resync', '--table', table, '--url', `http://127.0.0.1:${k.translicator.httpPort}`], {
          timeout: 60_000,
          env: { ...process.env, ADMIN_TOKEN },
        });
      const { stdout } = await cli('public.users');
      expect(stdout).toMatch(/resync of public.users done: \d+ rows/);
      const listed = (await (await fetch(url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { status: string; rows: number }[];
      const status = listed[listed.length - 1];
      expect(status.status).toBe('done');
      await new Promise((r) => setTimeout(r, 300));
      await writer.stop();
      expect(status.rows).toBeGreaterThan(USERS - 1);
      // A table without rules and of built-in types is re-copied as COPY binary.
      await k.target.query(`DELETE FROM public.nopk WHERE a < 10`);
      const binary = await cli('public.nopk');
      expect(binary.stdout).toMatch(/resync of public.nopk done: 3000 rows/);
      expect(k.logs()).toMatch(/Resync of public.nopk done: 3000 rows \(COPY binary\)/);
      expect(k.logs()).toMatch(/Resync of public.users done: \d+ rows \(COPY binary\)/);
      await expectEqual(k, engine);
      expect(await k.target.query(`SELECT count(*)::int AS n FROM kasho.table_resync WHERE table_name = 'users'`)).toEqual([{ n: 1 }]);
    }, 120_000);
  });

  // The second case copies everything as COPY text, so a table with rules goes through the text path
  // against PostgreSQL too (the first case and the test above send users as COPY binary).
  describe.each([
    ['pg-translicator', 'resumes the ranges already committed', 'auto'],
    ['pg-change-stream', 'redoes the snapshot from a new slot', 'text'],
  ] as const)('kill -9 of %s during the snapshot', (victim, what, format) => {
    let k: KashoPipeline;
    afterAll(() => k?.stop(), 60_000);

    it(`${what} and completes with no gap and no duplicate`, async () => {
      let writer: { stop: () => Promise<number> } | undefined;
      k = await KashoPipeline.start({
        transformsYaml: TRANSFORMS,
        translicatorEnv: { SNAPSHOT_WORKERS: '1', SEQUENCE_SYNC_SECONDS: '1', SNAPSHOT_COPY_FORMAT: format },
        beforeStart: async (source) => {
          await fillSource(source);
          writer = startWriter(source, 'boot');
        },
        waitForTranslicator: false,
      });
      // Mid-data: at least one range committed on the target, the snapshot not done. The translicator
      // is killed once a table's own indexes are built too, so its resume must neither miss nor repeat them.
      const progress = victim === 'pg-translicator' ? 'kasho.snapshot_indexed_tables' : 'kasho.snapshot_ranges';
      await waitFor(
        async () => {
          const rows = await k.target
            .query<{ n: number; phase: string | null }>(`SELECT (SELECT count(*)::int FROM ${progress}) AS n, (SELECT phase FROM kasho.snapshot_run) AS phase`)
            .catch(() => [{ n: 0, phase: null }]);
          return rows[0].n >= 1 && rows[0].phase === 'data';
        },
        { timeoutMs: 60_000, intervalMs: 10, what: `a row in ${progress} mid-snapshot` },
      );
      const service = victim === 'pg-translicator' ? k.translicator : k.changeStream;
      await service.kill('SIGKILL');
      service.start();
      await k.translicator.waitHealthy(90_000);
      await new Promise((r) => setTimeout(r, 500));
      await writer!.stop();
      await expectEqual(k, engine);
      await sequencesCaughtUp(k);
      const logs = k.translicator.output.join('\n');
      if (victim === 'pg-translicator') expect(logs).toMatch(/Resuming snapshot/);
      else expect(logs).toMatch(/no longer held by pg-change-stream: redoing it/);
      expect(logs).toMatch(format === 'text' ? /0 of 5 tables copied as COPY binary/ : /5 of 5 tables copied as COPY binary/);
    }, 180_000);
  });
});
