import { Position } from '@kasho/contracts';
import { EphemeralPostgres } from '@kasho/testing';
import { applyTransactions, col, insert, transaction } from '../test/changes';
import { ApplyError } from './apply.errors';
import { TargetApplier } from './target-applier';

/** I3: the changes and the applied position commit together, or not at all. */
describe('TargetApplier position durability and failures', () => {
  let pg: EphemeralPostgres;
  let applier: TargetApplier;
  const cols = [col('id', 'integer', true, 23), col('email'), col('n', 'integer', false, 23)];
  const user = (id: number, email: string, n: string | null = '0') => insert('users', cols, { id: String(id), email, n });
  const applied = async () => (await pg.query('SELECT position, commit_end_lsn FROM kasho.applied_position'))[0];
  const ids = async () => (await pg.query<{ id: number }>('SELECT id FROM users ORDER BY id')).map((r) => r.id);

  beforeAll(async () => {
    pg = await EphemeralPostgres.start();
    await pg.query('CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE, n int)');
    applier = new TargetApplier({ connectionString: pg.url });
  });

  afterAll(async () => {
    await applier?.close();
    await pg?.stop();
  });

  let targetId: string;

  it("starts at Position.ZERO on an empty target and creates kasho.applied_position and the target's identity", async () => {
    const opened = await applier.open();
    expect(opened).toEqual({ position: Position.ZERO, commitEndLsn: null, targetId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    targetId = opened.targetId;
    expect(await pg.query(`SELECT to_regclass('kasho.applied_position')::text AS t`)).toEqual([{ t: 'kasho.applied_position' }]);
    expect(await pg.query(`SELECT target_id::text AS id FROM kasho.target_identity`)).toEqual([{ id: targetId }]);
  });

  it('commit writes the position with the changes; rollback writes neither', async () => {
    await applyTransactions(applier, [...transaction(100, [user(1, 'a')]), ...transaction(200, [user(2, 'b')])]);
    expect(await applied()).toEqual({ position: '200-1', commit_end_lsn: '208' });
    expect(applier.appliedPosition.toString()).toBe('200-1');

    await applier.begin();
    await applier.write(transaction(300, [user(3, 'c')]));
    await applier.rollback();
    expect(await applied()).toEqual({ position: '200-1', commit_end_lsn: '208' });
    expect(await ids()).toEqual([1, 2]);
  });

  it('open() after close() returns the last committed position and the same target identity', async () => {
    await applier.close();
    expect(await applier.open()).toEqual({ position: Position.parse('200-1'), commitEndLsn: '208', targetId });
  });

  it('refuses changes at or below the applied position, and a commit that does not advance', async () => {
    await applier.begin();
    await expect(applier.write(transaction(200, [user(9, 'z')]))).rejects.toThrow(
      'cannot apply insert on public.users at position 200-0: change at position 200-0 is not after 200-1',
    );
    expect(applier.inTransaction).toBe(false);
    await applier.begin();
    await expect(applier.commit(Position.parse('200-1'), '208')).rejects.toThrow('must be after the applied position 200-1');
    expect(await ids()).toEqual([1, 2]);
  });

  it('a failed write rolls everything back; the ApplyError names table and position, never the value', async () => {
    const secret = 'leak-7f3a9c@secret.example';
    await applyTransactions(applier, transaction(400, [user(4, secret)]));
    await applier.begin();
    const failure = applier.write(transaction(500, [user(5, 'fine'), user(6, 'x'), ...Array.from({ length: 3 }, () => user(7, secret))]));
    const err = await failure.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplyError);
    const applyError = err as ApplyError;
    expect(applyError).toMatchObject({ kind: 'insert', schema: 'public', table: 'users', position: Position.parse('500-0'), sqlstate: '23505' });
    expect(applyError.message).toContain('public.users');
    expect(applyError.message).toContain('500-0');
    expect(applyError.message).toContain('unique constraint');
    expect(applyError.message).not.toContain(secret);
    expect(JSON.stringify({ ...applyError, stack: applyError.stack })).not.toContain(secret);
    expect(applier.inTransaction).toBe(false);
    expect(await ids()).toEqual([1, 2, 4]);
    expect(await applied()).toMatchObject({ position: '400-1' });
  });

  it('scrubs a value PostgreSQL quotes in its message', async () => {
    await applier.begin();
    const err = await applier.write(transaction(600, [user(8, 'ok', 'not-a-number-9d2e')])).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ApplyError);
    expect((err as ApplyError).message).toMatch(
      /^cannot apply insert on public.users at position 600-0: invalid input syntax for type integer: <redacted> \(SQLSTATE 22P02\)$/,
    );
  });

  it('keeps working after a failure', async () => {
    await applyTransactions(applier, transaction(700, [user(8, 'h')]));
    expect(await ids()).toEqual([1, 2, 4, 8]);
    expect(await applied()).toMatchObject({ position: '700-1' });
  });

  it('refuses calls out of order', async () => {
    await expect(applier.write([])).rejects.toThrow('call begin() first');
    await applier.begin();
    await expect(applier.begin()).rejects.toThrow('already open');
    await applier.rollback();
    await applier.rollback();
    await expect(applier.open()).rejects.toThrow('already open');
    const closed = new TargetApplier({ connectionString: pg.url });
    await expect(closed.begin()).rejects.toThrow('call open() first');
  });
});
