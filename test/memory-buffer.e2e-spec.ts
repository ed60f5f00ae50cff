import { Client } from 'pg';
import { waitFor } from '@kasho/testing';
import { KashoPipeline, tableDigestSql } from './support/kasho-pipeline';

/**
 * KV_URL=memory:// (demos and development): pg-change-stream buffers in its own memory, so a kill -9
 * loses the whole buffer. That is a buffer that came back empty: decoding restarts from the slot,
 * confirmed only up to what the target applied (I2), and the target skips what it already has (I3).
 * A bounded writer commits inserts to a table without a primary key (a re-applied insert would show
 * as a duplicate) and updates to one with, while pg-change-stream is killed and restarted.
 */
describe('KV_URL=memory://: kill -9 of pg-change-stream loses and doubles nothing', () => {
  let k: KashoPipeline;

  beforeAll(async () => {
    k = await KashoPipeline.start({ changeStreamEnv: { KV_URL: 'memory://' } });
    await k.source.query(`
      CREATE TABLE public.accounts (id bigint PRIMARY KEY, balance bigint NOT NULL, touched int NOT NULL DEFAULT 0);
      CREATE TABLE public.journal (account bigint, delta bigint, seq int)`);
    await k.source.query(`INSERT INTO public.accounts SELECT g, 0 FROM generate_series(1, 200) g`);
    await k.waitForEqual(tableDigestSql('public.accounts'));
  }, 120_000);

  afterAll(async () => {
    await k?.stop();
  });

  async function writeLoad(transactions: number): Promise<void> {
    const client = new Client(k.source.clientConfig());
    await client.connect();
    try {
      for (let seq = 0; seq < transactions; seq++) {
        await client.query(
          `WITH j AS (INSERT INTO public.journal SELECT (($1::int * 7 + g * 13) % 200) + 1, g, $1 FROM generate_series(1, 5) g RETURNING account, delta)
           UPDATE public.accounts a SET balance = a.balance + s.d, touched = touched + 1 FROM (SELECT account, sum(delta) d FROM j GROUP BY account) s WHERE a.id = s.account`,
          [seq],
        );
      }
    } finally {
      await client.end();
    }
  }

  it('buffers in memory (no Redis check), and after a kill -9 mid-stream the target equals the source', async () => {
    const health = (await (await fetch(`http://127.0.0.1:${k.changeStream.httpPort}/health`)).json()) as { details: Record<string, unknown> };
    expect(health.details.redis).toEqual({ status: 'up', store: 'memory' });
    expect(k.changeStream.output.join('\n')).toContain('KV_URL=memory://: changes are buffered in this process');
    expect(k.changeStream.output.join('\n')).not.toContain('maxmemory-policy');

    const TRANSACTIONS = 1000;
    let writing = true;
    const load = writeLoad(TRANSACTIONS).finally(() => (writing = false));
    // Mid-stream: some of the load is on the target, the writer still commits.
    await waitFor(async () => Number((await k.target.query<{ n: string }>(`SELECT count(*)::text AS n FROM public.journal`))[0].n) >= 50, {
      timeoutMs: 60_000,
      what: 'the first journal rows on the target',
    });
    expect({ writingWhenKilled: writing }).toEqual({ writingWhenKilled: true });
    await k.changeStream.kill('SIGKILL');
    const linesBefore = k.changeStream.output.length;
    k.changeStream.start();
    await k.changeStream.waitHealthy(60_000);
    await load;
    await k.waitForEqual(tableDigestSql('public.journal'), 120_000);
    await k.waitForEqual(tableDigestSql('public.accounts'), 120_000);
    const [{ n }] = await k.target.query<{ n: string }>(`SELECT count(*)::text AS n FROM public.journal`);
    expect(Number(n)).toBe(TRANSACTIONS * 5);
    // The restarted process found its buffer empty and refilled it from the slot.
    expect(k.changeStream.output.slice(linesBefore).join('\n')).toContain('The change buffer is new or came back empty: decoding restarts from the slot');
  }, 240_000);
});
