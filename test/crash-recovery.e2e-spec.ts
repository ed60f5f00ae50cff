import { Client } from 'pg';
import { KashoPipeline, tableDigestSql } from './support/kasho-pipeline';

/**
 * Exactly once under kill -9: a bounded writer keeps committing to a table with a primary key and
 * one without (inserts only, so a re-applied insert would show up as a duplicate), while a process
 * of the pipeline is killed and restarted. At the end the target must equal the source.
 */
describe('crash recovery: kill -9 of either service, Redis losing everything', () => {
  let k: KashoPipeline;

  beforeAll(async () => {
    k = await KashoPipeline.start();
    await k.source.query(`
      CREATE TABLE public.accounts (id bigint PRIMARY KEY, balance bigint NOT NULL, touched int NOT NULL DEFAULT 0);
      CREATE TABLE public.journal (account bigint, delta bigint, seq int)`);
    await k.source.query(`INSERT INTO public.accounts SELECT g, 0 FROM generate_series(1, 200) g`);
    await k.waitForEqual(tableDigestSql('public.accounts'));
  }, 120_000);

  afterAll(async () => {
    await k?.stop();
  });

  /** Commits `transactions` small transactions: 5 journal inserts (no PK) + 5 account updates each. */
  async function writeLoad(transactions: number, seqBase: number): Promise<void> {
    const client = new Client(k.source.clientConfig());
    await client.connect();
    try {
      for (let i = 0; i < transactions; i++) {
        const seq = seqBase + i;
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

  async function expectConverged(label: string): Promise<number> {
    const started = Date.now();
    await k.waitForEqual(tableDigestSql('public.journal'), 120_000);
    await k.waitForEqual(tableDigestSql('public.accounts'), 120_000);
    const ms = Date.now() - started;
    const [{ n }] = await k.target.query<{ n: string }>(`SELECT count(*)::text AS n FROM public.journal`);
    console.log(`${label}: converged ${ms} ms after the writer finished; journal rows ${n}`);
    return ms;
  }

  it.each([
    ['pg-translicator', 0],
    ['pg-change-stream', 1000],
  ] as const)(
    'loses and doubles nothing when %s is killed mid-stream',
    async (name, seqBase) => {
      const victim = name === 'pg-translicator' ? k.translicator : k.changeStream;
      const load = writeLoad(600, seqBase);
      await new Promise((r) => setTimeout(r, 700));
      await victim.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      const restarted = Date.now();
      victim.start();
      await victim.waitHealthy(60_000);
      console.log(`${name} back to healthy ${Date.now() - restarted} ms after restart`);
      await load;
      await expectConverged(`after kill -9 of ${name}`);
    },
    240_000,
  );

  it('loses and doubles nothing when both are killed repeatedly', async () => {
    const load = writeLoad(900, 2000);
    for (let round = 0; round < 3; round++) {
      await new Promise((r) => setTimeout(r, 400));
      const victim = round % 2 === 0 ? k.translicator : k.changeStream;
      await victim.kill('SIGKILL');
      victim.start();
    }
    await load;
    await k.changeStream.waitHealthy(60_000);
    await k.translicator.waitHealthy(60_000);
    await expectConverged('after repeated kills');
  }, 300_000);

  it('refills from the slot when Redis comes back empty', async () => {
    const load = writeLoad(400, 4000);
    await new Promise((r) => setTimeout(r, 500));
    await k.redis.restartEmpty();
    await load;
    await expectConverged('after Redis lost everything');
    await k.changeStream.waitHealthy(60_000);
  }, 240_000);
});
