import { Logger } from '@nestjs/common';
import { EphemeralPostgres, waitFor } from '@kasho/testing';
import { applyTransactions, col, insert, transaction } from '../test/changes';
import { TargetApplier } from './target-applier';

/** I8: one writer per target; a second translicator waits for the first session to end. */
describe('TargetApplier advisory lock', () => {
  let pg: EphemeralPostgres;

  beforeAll(async () => {
    pg = await EphemeralPostgres.start();
    await pg.query('CREATE TABLE t (id int PRIMARY KEY)');
  });

  afterAll(async () => {
    await pg?.stop();
  });

  it('a second open() waits (and says so) until the first applier closes, then resumes from its position', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const first = new TargetApplier({ connectionString: pg.url });
    const second = new TargetApplier({ connectionString: pg.url });
    try {
      await first.open();
      await applyTransactions(first, transaction(10, [insert('t', [col('id', 'integer', true, 23)], { id: '1' })]));

      let opened = false;
      const secondOpen = second.open().then((r) => {
        opened = true;
        return r;
      });
      await waitFor(async () => (await pg.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length === 1, {
        timeoutMs: 10_000,
        what: 'the second applier to wait for the lock',
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(opened).toBe(false);
      expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
        /another translicator holds the target's advisory lock \d+ \(held by pid \d+, kasho-translicator/,
      );

      await first.close();
      const { position, commitEndLsn } = await secondOpen;
      expect(position.toString()).toBe('10-1');
      expect(commitEndLsn).toBe('18');
    } finally {
      warn.mockRestore();
      await first.close();
      await second.close();
    }
  });

  it('different lock keys do not exclude each other, but the position compare-and-set stops the second writer', async () => {
    const a = new TargetApplier({ connectionString: pg.url, lockKey: '1' });
    const b = new TargetApplier({ connectionString: pg.url, lockKey: 2n });
    const row = (id: string) => insert('t', [col('id', 'integer', true, 23)], { id });
    try {
      await a.open();
      await b.open();
      await applyTransactions(a, transaction(20, [row('2')]));
      await expect(applyTransactions(b, transaction(30, [row('3')]))).rejects.toThrow(
        'cannot apply commit at position 30-1: kasho.applied_position no longer holds 10-1: another writer applied to this target',
      );
      expect(await pg.query('SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
      expect(await pg.query('SELECT position FROM kasho.applied_position')).toEqual([{ position: '20-1' }]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('close() while waiting for the lock makes open() fail instead of hanging', async () => {
    const holder = new TargetApplier({ connectionString: pg.url });
    const waiter = new TargetApplier({ connectionString: pg.url });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      await holder.open();
      const waiting = waiter.open().catch((e: Error) => e);
      await waitFor(async () => (await pg.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length === 1, { timeoutMs: 10_000 });
      await waiter.close();
      expect(await waiting).toBeInstanceOf(Error);
    } finally {
      warn.mockRestore();
      await holder.close();
      await waiter.close();
    }
  });
});
