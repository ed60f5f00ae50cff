import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@kasho/testing';
import type { EphemeralPostgres } from '@kasho/testing';
import { KashoPipeline } from './support/kasho-pipeline';
import { REPO_ROOT } from './support/service-process';

/**
 * The table selection (docs/architecture.md, "Table selection"): snapshot, resync, sequence sync and
 * stream carry the rows of the publications' tables only, while the target keeps the source's whole
 * schema (DDL of every table replicates). A user publication `FOR TABLE a, m`: b's rows never reach
 * the target, though b is there (its schema kept in step) and a's foreign key to it is NOT VALID.
 * A range-partitioned table m, published without and with publish_via_partition_root: copied once,
 * rows moved between partitions by UPDATE, deleted, and written into partitions added later (one
 * created as a partition, one attached).
 * transforms.yml has a rule for m.v only (the partitioned table): it applies to every partition,
 * including those made later, in the snapshot, the stream and a resync (docs/transforms.md,
 * Partitioned tables), so no source value of m.v ever reaches the target.
 */
const ADMIN_TOKEN = 'e2e-admin-token-selection-0123456789abcd';
const TRANSFORMS = 'version: v1\ntables:\n  public.m:\n    v: FakeName\n';

/** No value of m.v on the target is one of the source's, and every row has one (transformed, not dropped). */
async function expectVTransformed(k: KashoPipeline): Promise<void> {
  const sourceValues = new Set((await k.source.query<{ v: string }>(`SELECT v FROM public.m`)).map((r) => r.v));
  const target = await k.target.query<{ part: string; v: string | null }>(`SELECT tableoid::regclass::text AS part, v FROM public.m`);
  expect(sourceValues.size).toBeGreaterThan(0);
  expect(target.length).toBeGreaterThan(0);
  // Counted by partition, never printed: a failure must not show the source's values.
  const leaked = target.filter((r) => r.v === null || sourceValues.has(r.v) || /secret|after the resync/.test(r.v));
  expect({ leaked: leaked.length, partitions: [...new Set(leaked.map((r) => r.part))].sort() }).toEqual({ leaked: 0, partitions: [] });
}

/** Before the two publications of the parallel work land, a user publication must name kasho.ddl_log itself. */
async function prepareSource(source: EphemeralPostgres, viaRoot: boolean): Promise<void> {
  await source.query(readFileSync(join(REPO_ROOT, 'sql/10-ddl-capture.sql'), 'utf8'));
  await source.query(`
    CREATE TABLE public.b (id serial PRIMARY KEY, label text NOT NULL);
    CREATE TABLE public.a (id serial PRIMARY KEY, b_id int REFERENCES public.b (id), note text);
    CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, b_id int REFERENCES public.b (id), v text, PRIMARY KEY (id, at))
      PARTITION BY RANGE (at);
    CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    INSERT INTO public.b (label) SELECT 'b-secret-' || g FROM generate_series(1, 20) g;
    INSERT INTO public.a (b_id, note) SELECT 1 + g % 20, 'a' || g FROM generate_series(1, 200) g;
    INSERT INTO public.m SELECT g, date '2024-07-01' + (g % 300), 1 + g % 20, 'secret-' || g FROM generate_series(1, 3000) g;
    CREATE PUBLICATION mypub FOR TABLE public.a, public.m, kasho.ddl_log WITH (publish_via_partition_root = ${viaRoot});`);
}

/** m's rows, each with the partition that holds it (so a row in the wrong partition, or twice, shows). */
const M_ROWS = `SELECT tableoid::regclass::text AS part, id, at::text, b_id FROM public.m ORDER BY id, at`;

async function changeSource(source: EphemeralPostgres): Promise<void> {
  await source.query(`INSERT INTO public.b (label) VALUES ('b-secret-new')`);
  await source.query(`UPDATE public.b SET label = 'b-secret-changed' WHERE id = 1`);
  await source.query(`INSERT INTO public.a (b_id, note) VALUES (21, 'new a')`);
  await source.query(`INSERT INTO public.m VALUES (5001, '2024-02-02', 1, 'secret-x'), (5002, '2025-03-03', 2, 'secret-y')`);
  // Moves a row from m_2024 to m_2025, and another one back.
  await source.query(`UPDATE public.m SET at = '2025-06-06' WHERE id = 10`);
  await source.query(`UPDATE public.m SET at = '2024-01-05' WHERE id = 5002`);
  await source.query(`DELETE FROM public.m WHERE id BETWEEN 100 AND 120`);
  // A partition attached later by DDL, then rows in it; DDL on a table outside the selection.
  await source.query(`CREATE TABLE public.m_2026 PARTITION OF public.m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')`);
  await source.query(`INSERT INTO public.m VALUES (6001, '2026-01-01', 3, 'secret-z')`);
  await source.query(`UPDATE public.m SET at = '2026-05-05' WHERE id = 11`);
  // A table made on its own and attached as a partition later, then rows in it.
  await source.query(`CREATE TABLE public.m_2027 (LIKE public.m INCLUDING DEFAULTS)`);
  await source.query(`ALTER TABLE public.m ATTACH PARTITION public.m_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')`);
  await source.query(`INSERT INTO public.m VALUES (8001, '2027-03-03', 4, 'secret-w')`);
  await source.query(`UPDATE public.m SET at = '2027-04-04' WHERE id = 12`);
  await source.query(`ALTER TABLE public.b ADD COLUMN extra int`);
  await source.query(`CREATE TABLE public.later (id int PRIMARY KEY); INSERT INTO public.later VALUES (1)`);
}

async function resync(k: KashoPipeline, table: string): Promise<{ status: string; error?: string; rows?: number }> {
  const url = `http://127.0.0.1:${k.translicator.httpPort}/snapshot/resync`;
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const created = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ table }) });
  expect(created.status).toBe(202);
  const { id } = (await created.json()) as { id: string };
  let last: { status: string; error?: string; rows?: number } = { status: 'pending' };
  await waitFor(
    async () => {
      last = (await (await fetch(`${url}/${id}`, { headers })).json()) as typeof last;
      return last.status === 'done' || last.status === 'failed';
    },
    { timeoutMs: 30_000, intervalMs: 100, what: `the resync of ${table} to end` },
  );
  return last;
}

describe.each([
  ['without publish_via_partition_root', false],
  ['with publish_via_partition_root', true],
] as const)('table selection: a user publication FOR TABLE a, m (partitioned) %s', (_, viaRoot) => {
  let k: KashoPipeline;
  afterAll(() => k?.stop(), 60_000);

  it("snapshots and streams the selected tables' rows only, partitions exactly once, and keeps the whole schema", async () => {
    k = await KashoPipeline.start({
      changeStreamEnv: { PUBLICATION: 'mypub' },
      transformsYaml: TRANSFORMS,
      translicatorEnv: { ADMIN_TOKEN, SEQUENCE_SYNC_SECONDS: '1' },
      beforeStart: (source) => prepareSource(source, viaRoot),
    });
    // The snapshot: a and m equal (m partition by partition), b present and empty.
    await k.waitForEqual(`SELECT id, b_id, note FROM public.a ORDER BY id`, 30_000);
    await k.waitForEqual(M_ROWS, 30_000);
    expect(await k.target.query(`SELECT count(*)::int AS n FROM public.b`)).toEqual([{ n: 0 }]);
    await expectVTransformed(k);
    const logs = k.logs();
    expect(logs).toMatch(viaRoot ? /snapshot done: 2 tables, 3200 rows/ : /snapshot done: 3 tables, 3200 rows/);
    // a → b cannot be validated on the target (b's rows do not travel): NOT VALID. m is partitioned: left out, with a warning.
    const keys = await k.target.query<{ name: string; valid: boolean }>(
      `SELECT conname AS name, convalidated AS valid FROM pg_constraint WHERE contype = 'f' AND conparentid = 0 ORDER BY 1`,
    );
    expect(keys).toEqual([{ name: 'a_b_id_fkey', valid: false }]);
    expect(logs).toMatch(/Foreign key a_b_id_fkey of public\.a references b, whose rows are outside the table selection: created NOT VALID/);
    expect(logs).toMatch(/Foreign key m_b_id_fkey of partitioned table public\.m references b, .*left out on the target/);

    // The stream: rows of a and m (moved between partitions, deleted, in a partition made later), none of b.
    await changeSource(k.source);
    await k.waitForEqual(M_ROWS, 30_000);
    await k.waitForEqual(`SELECT id, b_id, note FROM public.a ORDER BY id`, 30_000);
    expect(await k.target.query(`SELECT count(*)::int AS n FROM public.m_2026`)).toEqual([{ n: 2 }]);
    expect(await k.target.query(`SELECT count(*)::int AS n FROM public.m_2027`)).toEqual([{ n: 2 }]);
    // Rows streamed into m_2024, m_2025, m_2026 (created later) and m_2027 (attached later): v transformed in each.
    await expectVTransformed(k);
    expect(
      (
        await k.target.query<{ part: string }>(
          `SELECT DISTINCT tableoid::regclass::text AS part FROM public.m WHERE id IN (5001, 5002, 6001, 8001, 10, 11, 12)`,
        )
      )
        .map((r) => r.part)
        .sort(),
    ).toEqual(['m_2024', 'm_2025', 'm_2026', 'm_2027']); // DDL replicates for every table: b's new column and a table outside the publication are there, without rows.
    await waitFor(async () => (await k.target.query(`SELECT to_regclass('public.later') AS t`))[0].t !== null, {
      timeoutMs: 10_000,
      what: 'public.later on the target',
    });
    expect(await k.target.query(`SELECT count(*)::int AS n FROM public.later`)).toEqual([{ n: 0 }]);
    expect(await k.target.query(`SELECT count(*)::int AS n, count(extra)::int AS extra FROM public.b`)).toEqual([{ n: 0, extra: 0 }]);

    // Sequences follow the selection: a's moves forward, b's (outside) stays at its start.
    const aSeq = `SELECT last_value::text AS v FROM public.a_id_seq`;
    await waitFor(async () => JSON.stringify(await k.source.query(aSeq)) === JSON.stringify(await k.target.query(aSeq)), {
      timeoutMs: 15_000,
      what: 'a_id_seq synced',
    });
    expect(await k.target.query(`SELECT last_value::int AS v, is_called FROM public.b_id_seq`)).toEqual([{ v: 1, is_called: false }]);
    expect(logs + k.logs()).not.toMatch(/b-secret/);
    expect(JSON.stringify(await k.target.query(`SELECT * FROM public.a`))).not.toMatch(/b-secret/);
  }, 120_000);

  it('resyncs a selected table and refuses one outside the selection, saying why', async () => {
    const outside = await resync(k, 'public.b');
    expect(outside.status).toBe('failed');
    expect(outside.error).toMatch(/table public\.b is not in the table selection \(publications mypub, mypub_inserts\)/);
    await k.target.query(`DELETE FROM public.m WHERE id < 50`);
    if (viaRoot) {
      const leaf = await resync(k, 'public.m_2024');
      expect(leaf.status).toBe('failed');
      expect(leaf.error).toMatch(/partition whose rows travel under public\.m .*resync public\.m/);
      expect(await resync(k, 'public.m')).toMatchObject({ status: 'done', rows: 2983 });
    } else {
      const root = await resync(k, 'public.m');
      expect(root.status).toBe('failed');
      expect(root.error).toMatch(/public\.m is partitioned and its partitions travel each under its own name/);
      for (const part of ['public.m_2024', 'public.m_2025', 'public.m_2026', 'public.m_2027']) expect(await resync(k, part)).toMatchObject({ status: 'done' });
    }
    await k.source.query(`INSERT INTO public.m VALUES (7001, '2025-12-31', 1, 'after the resync')`);
    await k.waitForEqual(M_ROWS, 30_000);
    await expectVTransformed(k);
  }, 60_000);
});
