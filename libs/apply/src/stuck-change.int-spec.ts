import { Position } from '@kasho/contracts';
import { EphemeralPostgres } from '@kasho/testing';
import { Client } from 'pg';
import { applyTransactions, col, insert, transaction } from '../test/changes';
import { readSkipped, readStuckChange, requestSkip, SkipRefusedError } from './stuck-change';
import { TargetApplier } from './target-applier';

/** The stuck-change bookkeeping `kasho skip` relies on, against a real target. */
describe('stuck change and kasho skip bookkeeping', () => {
  let pg: EphemeralPostgres;
  let applier: TargetApplier;
  let cli: Client;
  const cols = [col('id', 'integer', true, 23)];

  beforeAll(async () => {
    pg = await EphemeralPostgres.start();
    await pg.query('CREATE TABLE t (id int PRIMARY KEY)');
    applier = new TargetApplier({ connectionString: pg.url });
    await applier.open();
    cli = new Client({ connectionString: pg.url });
    await cli.connect();
  }, 60_000);

  afterAll(async () => {
    await cli?.end();
    await applier?.close();
    await pg?.stop();
  });

  it('is not stuck before any failure: kasho skip is refused', async () => {
    expect(await applier.stuckChange()).toEqual({ stuck: undefined, skip: undefined });
    await expect(requestSkip(cli, Position.parse('100-0'), 'x')).rejects.toThrow(/not stopped at any change/);
  });

  it('records the failure outside the rolled-back transaction, refuses any other position, accepts the stuck one', async () => {
    await applyTransactions(applier, transaction(100, [insert('t', cols, { id: '1' })]));
    await applier.begin();
    await applier.recordFailure(Position.parse('200-1'), 'public.t.id at position 200-1: boom');
    expect(applier.inTransaction).toBe(false);
    const stuck = await readStuckChange(cli);
    expect(stuck?.position.toString()).toBe('200-1');
    expect(stuck?.error).toBe('public.t.id at position 200-1: boom');

    for (const other of ['200-0', '200-2', '100-0', '300-1']) {
      const err = await requestSkip(cli, Position.parse(other), 'nope').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SkipRefusedError);
      expect((err as Error).message).toContain(`stopped at position 200-1, not ${other}`);
    }
    expect(await pg.query('SELECT * FROM kasho.skip_requests')).toEqual([]);

    await requestSkip(cli, Position.parse('200-1'), 'poison row, ticket 42');
    const { skip } = await applier.stuckChange();
    expect(skip?.position.toString()).toBe('200-1');
    expect(skip?.reason).toBe('poison row, ticket 42');
  });

  it('writes the skip record and the position past the transaction in one target transaction', async () => {
    await applier.begin();
    await applier.recordSkip({ position: Position.parse('200-1'), reason: 'poison row, ticket 42', tables: ['public.t'] });
    await applier.commit(Position.parse('200-3'), '208');
    expect(await pg.query(`SELECT position FROM kasho.applied_position`)).toEqual([{ position: '200-3' }]);
    expect(await pg.query('SELECT * FROM kasho.skip_requests')).toEqual([]);
    const record = await readSkipped(cli, Position.parse('200-1'));
    expect(record).toMatchObject({ reason: 'poison row, ticket 42', tables: ['public.t'] });
    // Past the failure: no longer stuck, and a second skip of it is refused.
    expect(await readStuckChange(cli)).toBeUndefined();
    await expect(requestSkip(cli, Position.parse('200-1'), 'again')).rejects.toThrow(/not stopped at any change/);
  });

  it('a skip record rolled back leaves neither the record nor the position', async () => {
    await applier.recordFailure(Position.parse('300-0'), 'x');
    await requestSkip(cli, Position.parse('300-0'), 'r');
    await applier.begin();
    await applier.recordSkip({ position: Position.parse('300-0'), reason: 'r', tables: [] });
    await applier.rollback();
    expect(await readSkipped(cli, Position.parse('300-0'))).toBeUndefined();
    expect((await applier.stuckChange()).skip?.position.toString()).toBe('300-0');
    expect(await pg.query(`SELECT position FROM kasho.applied_position`)).toEqual([{ position: '200-3' }]);
  });
});
