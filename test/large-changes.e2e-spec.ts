import { Client } from 'pg';
import { KashoPipeline } from './support/kasho-pipeline';

/**
 * Byte caps end to end (I5): a 50 MB text row, a 50 MB bytea row (100 MB as text on the wire), an
 * update of the 50 MB row under REPLICA IDENTITY FULL (new and old values: 100 MB in one change) and a
 * 2,000,000-row source transaction all go through and the target matches. Random values, stored
 * EXTERNAL, so TOAST compression does not shrink them.
 */
const MB = 1024 * 1024;
const ROWS = 2_000_000;

/** Count and an order-independent digest of every row's text (sum of 60-bit slices of md5). */
const digestSql = (table: string) =>
  `SELECT count(*)::text AS n, coalesce(sum(('x' || substr(md5((t)::text), 1, 15))::bit(60)::bigint), 0)::text AS digest FROM ${table} t`;

describe('large rows and large transactions', () => {
  let k: KashoPipeline;

  const sourceSql = async (sql: string) => {
    const client = new Client(k.source.clientConfig());
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    k = await KashoPipeline.start();
    await sourceSql(`CREATE TABLE public.big (id int PRIMARY KEY, t text, b bytea);
      ALTER TABLE public.big ALTER COLUMN t SET STORAGE EXTERNAL, ALTER COLUMN b SET STORAGE EXTERNAL, REPLICA IDENTITY FULL;
      CREATE TABLE public.bulk (id int PRIMARY KEY, label text, n numeric)`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.bulk`, 60_000);
  }, 180_000);

  afterAll(async () => {
    await k?.stop();
  }, 60_000);

  it('replicates a 50 MB text row, a 50 MB bytea row and an update carrying 100 MB of new and old values', async () => {
    const hexChunks = (bytes: number) => Math.ceil(bytes / 32);
    await sourceSql(`INSERT INTO public.big (id, t) SELECT 1, string_agg(md5(random()::text), '') FROM generate_series(1, ${hexChunks(50 * MB)})`);
    await sourceSql(
      `INSERT INTO public.big (id, b) SELECT 2, decode(string_agg(md5(random()::text), ''), 'hex') FROM generate_series(1, ${hexChunks(100 * MB)})`,
    );
    const [sizes] = await k.source.query<{ t: number; b: number; stored: string }>(
      `SELECT max(octet_length(t))::int AS t, max(octet_length(b))::int AS b, sum(coalesce(pg_column_size(t), 0) + coalesce(pg_column_size(b), 0))::bigint::text AS stored FROM public.big`,
    );
    expect(sizes.t).toBeGreaterThanOrEqual(50 * MB);
    expect(sizes.b).toBeGreaterThanOrEqual(50 * MB);
    expect(Number(sizes.stored)).toBeGreaterThanOrEqual(100 * MB);
    const bigDigest = `SELECT id, md5(t) AS t, md5(b) AS b, octet_length(t) AS tl, octet_length(b) AS bl FROM public.big ORDER BY id`;
    await k.waitForEqual(bigDigest, 300_000);
    await sourceSql(`UPDATE public.big SET t = (SELECT string_agg(md5(random()::text), '') FROM generate_series(1, ${hexChunks(50 * MB)})) WHERE id = 1`);
    await k.waitForEqual(bigDigest, 300_000);
    const [target] = await k.target.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM public.big WHERE octet_length(t) >= ${50 * MB} OR octet_length(b) >= ${50 * MB}`,
    );
    expect(target.n).toBe(2);
  }, 700_000);

  it('replicates a 2,000,000-row transaction (timed)', async () => {
    const started = Date.now();
    await sourceSql(`INSERT INTO public.bulk SELECT g, md5(g::text), g / 7.0 FROM generate_series(1, ${ROWS}) g`);
    const committed = Date.now();
    await k.waitForEqual(digestSql('public.bulk'), 900_000);
    const done = Date.now();
    const [target] = await k.target.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.bulk`);
    expect(target.n).toBe(ROWS);
    process.stdout.write(
      `2M-row transaction: source insert ${((committed - started) / 1000).toFixed(1)} s, commit to equal on the target ${((done - committed) / 1000).toFixed(1)} s\n`,
    );
  }, 1_000_000);
});
