import { Client } from 'pg';
import { waitFor } from '@kasho/testing';
import { KashoPipeline, tableDigestSql } from './support/kasho-pipeline';

/**
 * MAX_BUFFERED_BYTES end to end (I5): with the translicator stopped and the change limit far away,
 * WAL reading pauses once the buffer holds more bytes than the limit beyond what the target applied,
 * and everything arrives once the translicator is back.
 */
describe('backpressure by bytes', () => {
  let k: KashoPipeline;
  let redis: ReturnType<KashoPipeline['redis']['client']>;
  const LIMIT = 1024 * 1024;
  /** Payload bytes per row. */
  const ROW = 10_000;

  beforeAll(async () => {
    k = await KashoPipeline.start({ changeStreamEnv: { MAX_BUFFERED_BYTES: String(LIMIT), MAX_BUFFERED_CHANGES: '1000000' } });
    await k.source.query(`CREATE TABLE public.blobs (id int PRIMARY KEY, payload text)`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.blobs`);
    redis = k.redis.client();
  }, 120_000);

  afterAll(async () => {
    redis?.disconnect();
    await k?.stop();
  }, 60_000);

  const streamLength = async () => Number(await redis.xlen('kasho:{default}:changes'));

  it('pauses WAL reading past MAX_BUFFERED_BYTES while the target is away, then catches up', async () => {
    await k.translicator.kill('SIGKILL');
    const client = new Client(k.source.clientConfig());
    await client.connect();
    try {
      // 60 transactions of 10 rows of 10 kB: about 6 MB, six times the limit.
      for (let t = 0; t < 60; t++) {
        await client.query(`INSERT INTO public.blobs SELECT g, repeat(md5(g::text), $3::int / 32) FROM generate_series($1::int, $2::int) g`, [
          t * 10 + 1,
          t * 10 + 10,
          ROW,
        ]);
      }
    } finally {
      await client.end();
    }
    await waitFor(async () => JSON.stringify((await k.changeStream.health()).body).includes('"phase":"paused"'), {
      timeoutMs: 20_000,
      what: 'capture phase paused',
    });
    const held = await streamLength();
    // Past the limit by at most one transaction (10 rows + commit), far below the 660 entries written.
    expect(held * ROW).toBeGreaterThan(LIMIT);
    expect(held).toBeLessThanOrEqual(Math.ceil(LIMIT / ROW) + 2 * 11);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await streamLength()).toBe(held);

    k.translicator.start();
    await k.waitForEqual(tableDigestSql('public.blobs'), 90_000);
    expect((await k.target.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.blobs`))[0].n).toBe(600);
    await waitFor(async () => (await streamLength()) === 0, { timeoutMs: 30_000, what: 'buffer trimmed to nothing' });
  }, 180_000);
});
