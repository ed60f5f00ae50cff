import { Client } from 'pg';
import { KashoPipeline, tableDigestSql } from './support/kasho-pipeline';
import type { ServiceProcess } from './support/service-process';

const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * SIGTERM while writes stream: each service exits 0 within SHUTDOWN_TIMEOUT_MS, and after a restart the
 * target converges with nothing lost and nothing doubled (inserts only into a table without a key,
 * so a re-applied transaction would show as a duplicate).
 */
describe('graceful shutdown: SIGTERM while writes stream', () => {
  let k: KashoPipeline;

  beforeAll(async () => {
    k = await KashoPipeline.start({
      changeStreamEnv: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
      translicatorEnv: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
    });
    await k.source.query(`
      CREATE TABLE public.accounts (id bigint PRIMARY KEY, balance bigint NOT NULL);
      CREATE TABLE public.journal (account bigint, delta bigint, seq int)`);
    await k.source.query(`INSERT INTO public.accounts SELECT g, 0 FROM generate_series(1, 100) g`);
    await k.waitForEqual(tableDigestSql('public.accounts'));
  }, 120_000);

  afterAll(async () => {
    await k?.stop();
  });

  /** Small transactions (20 journal rows + their account updates) for `ms`, as fast as the source takes them. */
  async function writeFor(ms: number, seqBase: number): Promise<number> {
    const client = new Client(k.source.clientConfig());
    await client.connect();
    let n = 0;
    try {
      for (const until = Date.now() + ms; Date.now() < until; n++) {
        await client.query(
          `WITH j AS (INSERT INTO public.journal SELECT ((($1::int * 7 + g * 13) % 100) + 1), g, $1 FROM generate_series(1, 20) g RETURNING account, delta)
           UPDATE public.accounts a SET balance = a.balance + s.d FROM (SELECT account, sum(delta) d FROM j GROUP BY account) s WHERE a.id = s.account`,
          [seqBase + n],
        );
      }
    } finally {
      await client.end();
    }
    return n;
  }

  async function terminate(service: ServiceProcess): Promise<{ code: number | null; ms: number }> {
    const started = Date.now();
    process.kill(service.pid!, 'SIGTERM');
    const code = await service.exited(SHUTDOWN_TIMEOUT_MS + 5_000);
    return { code, ms: Date.now() - started };
  }

  async function expectConverged(label: string): Promise<void> {
    await k.waitForEqual(tableDigestSql('public.journal'), 120_000);
    await k.waitForEqual(tableDigestSql('public.accounts'), 120_000);
    const [{ n }] = await k.target.query<{ n: string }>(`SELECT count(*)::text AS n FROM public.journal`);
    console.log(`${label}: converged, journal rows ${n}`);
  }

  it.each([
    ['pg-translicator', () => k.translicator],
    ['pg-change-stream', () => k.changeStream],
  ])(
    '%s exits 0 within the bound, and the pipeline converges after its restart',
    async (name, service) => {
      const writer = writeFor(4_000, name === 'pg-translicator' ? 0 : 100_000);
      await new Promise((r) => setTimeout(r, 1_500));
      const { code, ms } = await terminate(service());
      console.log(`${name}: SIGTERM → exit code ${code} after ${ms} ms`);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
      expect(service().output.join('\n')).not.toMatch(/did not finish within SHUTDOWN_TIMEOUT_MS|ERROR_DURING_SHUTDOWN|Error happened during shutdown/);
      service().start();
      await service().waitHealthy(60_000);
      const transactions = await writer;
      console.log(`${name}: writer committed ${transactions} transactions`);
      await expectConverged(`after SIGTERM of ${name}`);
    },
    240_000,
  );

  it('an idle pipeline stops promptly: both services exit 0 in well under the bound', async () => {
    const [tr, cs] = [await terminate(k.translicator), await terminate(k.changeStream)];
    console.log(`idle: pg-translicator exit ${tr.code} after ${tr.ms} ms; pg-change-stream exit ${cs.code} after ${cs.ms} ms`);
    expect([tr.code, cs.code]).toEqual([0, 0]);
    expect(Math.max(tr.ms, cs.ms)).toBeLessThan(3_000);
    k.changeStream.start();
    await k.changeStream.waitHealthy(60_000);
    k.translicator.start();
    await k.translicator.waitHealthy(60_000);
    await k.source.query(`INSERT INTO public.journal VALUES (1, 1, -1)`);
    await expectConverged('after both restarted');
  }, 180_000);
});
