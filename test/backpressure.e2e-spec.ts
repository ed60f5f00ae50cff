import { Client } from 'pg';
import { waitFor } from '@kasho/testing';
import { KashoPipeline, tableDigestSql } from './support/kasho-pipeline';

/**
 * Invariant I5 and I2 end to end: with the translicator stopped, WAL reading pauses once Redis holds
 * MAX_BUFFERED_CHANGES beyond what the target applied, the slot is not acknowledged past the target,
 * and everything arrives once the translicator is back.
 */
describe('backpressure and slot acknowledgement', () => {
  let k: KashoPipeline;
  let redis: ReturnType<KashoPipeline['redis']['client']>;
  const LIMIT = 1000;

  beforeAll(async () => {
    k = await KashoPipeline.start({ changeStreamEnv: { MAX_BUFFERED_CHANGES: String(LIMIT) } });
    await k.source.query(`CREATE TABLE public.events (id int PRIMARY KEY, payload text)`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.events`);
    redis = k.redis.client();
  }, 120_000);

  afterAll(async () => {
    redis?.disconnect();
    await k?.stop();
  });

  const streamLength = async () => Number(await redis.xlen('kasho:{default}:changes'));
  const confirmedFlush = async () =>
    (await k.source.query<{ lsn: string }>(`SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = 'kasho_slot'`))[0].lsn;

  const lsnOf = (text: string) => {
    const [hi, lo] = text.split('/');
    return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
  };

  it('pauses WAL reading at the limit while the target is away, then catches up', async () => {
    await k.translicator.kill('SIGKILL');
    const ackedBefore = await confirmedFlush();
    const client = new Client(k.source.clientConfig());
    await client.connect();
    try {
      // 100 transactions of 50 rows: 5,100 buffer entries if nothing paused (50 rows + 1 commit each).
      for (let t = 0; t < 100; t++) {
        await client.query(`INSERT INTO public.events SELECT g, 'p' || g FROM generate_series($1::int, $2::int) g`, [t * 50 + 1, t * 50 + 50]);
      }
    } finally {
      await client.end();
    }
    // capture reports the pause; the buffer stops at the limit plus at most one transaction
    await waitFor(async () => JSON.stringify((await k.changeStream.health()).body).includes('"phase":"paused"'), {
      timeoutMs: 20_000,
      what: 'capture phase paused',
    });
    const held = await streamLength();
    expect(held).toBeGreaterThan(LIMIT);
    expect(held).toBeLessThanOrEqual(LIMIT + 51);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await streamLength()).toBe(held);
    // Nothing of the inserts was applied, so the slot was not acknowledged up to any of them: the first
    // buffered transaction past the target's position still commits after confirmed_flush_lsn. (An idle
    // slot may move up to the WAL end while nothing is pending, so its exact value is not fixed.)
    const [applied] = await k.target.query<{ position: string }>(`SELECT position FROM kasho.applied_position`);
    const [first] = (await redis.xrange('kasho:{default}:changes', `(${applied.position}`, '+', 'COUNT', 1)) as [string, string[]][];
    expect(first).toBeDefined();
    expect(lsnOf(await confirmedFlush())).toBeLessThan(BigInt(first[0].split('-')[0]));

    k.translicator.start();
    await k.waitForEqual(tableDigestSql('public.events'), 60_000);
    expect((await k.target.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.events`))[0].n).toBe(5000);
    // applied entries are trimmed and the slot moves on
    await waitFor(async () => (await streamLength()) === 0, { timeoutMs: 20_000, what: 'buffer trimmed to nothing' });
    await waitFor(async () => (await confirmedFlush()) !== ackedBefore, { timeoutMs: 20_000, what: 'slot acknowledged forward' });
  }, 180_000);
});
