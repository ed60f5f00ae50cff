import { Position } from '@kasho/contracts';
import { waitFor } from '@kasho/testing';
import { runKasho } from './support/kasho-cli';
import { KashoPipeline } from './support/kasho-pipeline';

/**
 * A rule on a column that a later migration adds is inactive until then (not a stop), and a poison
 * change (a Regex with on_no_match: fail on a value it does not match) is skipped with
 * `kasho skip --position P`: any other position is refused, the stuck one is skipped and recorded,
 * and the changes after it arrive.
 */
describe('kasho skip', () => {
  let k: KashoPipeline;
  let stuckAt = '';
  const TRANSFORMS = `version: v1
tables:
  public.accounts:
    code: {type: Regex, pattern: '^[A-Z]{3}-(\\d+)$', replacement: 'XXX-$1', on_no_match: fail}
    phone: {type: Regex, pattern: '\\d', replacement: '#'}
`;

  beforeAll(async () => {
    k = await KashoPipeline.start({
      transformsYaml: TRANSFORMS,
      beforeStart: async (source) => {
        await source.query(`CREATE TABLE public.accounts (id int PRIMARY KEY, code text)`);
      },
    });
  }, 180_000);

  afterAll(async () => {
    await k?.stop();
  }, 60_000);

  const skip = (position: string, reason = 'e2e: poison value') =>
    runKasho(['skip', '--position', position, '--reason', reason, '--timeout', '60'], { REPLICA_DATABASE_URL: k.target.url });

  it('applies a rule on a column that does not exist yet from the change that adds it, without stopping', async () => {
    await k.source.query(`INSERT INTO public.accounts VALUES (1, 'ABC-1')`);
    await k.waitForEqual(`SELECT id FROM public.accounts ORDER BY id`);
    await k.source.query(`ALTER TABLE public.accounts ADD COLUMN phone text`);
    await k.source.query(`INSERT INTO public.accounts VALUES (2, 'ABC-2', '555-0100')`);
    await k.waitForEqual(`SELECT id FROM public.accounts ORDER BY id`);
    expect(await k.target.query(`SELECT id, code, phone FROM public.accounts ORDER BY id`)).toEqual([
      { id: 1, code: 'XXX-1', phone: null },
      { id: 2, code: 'XXX-2', phone: '###-####' },
    ]);
    expect(k.translicator.output.join('\n')).toMatch(/public\.accounts\.phone: the table has no such column \(yet\)/);
  }, 90_000);

  it('stops at a value the pattern does not match, naming the column and never the value', async () => {
    await k.source.query(`INSERT INTO public.accounts VALUES (3, 'not-a-code-secret', NULL)`);
    await k.source.query(`INSERT INTO public.accounts VALUES (4, 'DEF-4', NULL)`);
    let error = '';
    await waitFor(
      async () => {
        const { status, body } = await k.translicator.health().catch(() => ({ status: 0, body: {} as Record<string, unknown> }));
        const apply = (body.details as Record<string, { error?: string; stuckAt?: string }> | undefined)?.apply;
        error = apply?.error ?? '';
        stuckAt = apply?.stuckAt ?? '';
        return status === 503 && error.includes('public.accounts.code') && stuckAt !== '';
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the translicator to stop at the poison change' },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${error}\n${k.translicator.tail()}`);
    });
    expect(error).toMatch(/public\.accounts\.code at position \d+-0: Regex failed: the value does not match the pattern \(on_no_match: fail\)/);
    expect(k.logs()).not.toContain('not-a-code-secret');
    expect(await k.target.query(`SELECT id FROM public.accounts WHERE id >= 3`)).toEqual([]);
  }, 90_000);

  it('refuses any other position, with a non-zero exit and nothing recorded', async () => {
    const stuck = Position.parse(stuckAt);
    for (const other of [new Position(stuck.commitLsn, 1n).toString(), new Position(stuck.commitLsn + 1n, 0n).toString(), '1-0']) {
      const result = await skip(other);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`kasho skip refused: the pipeline is stopped at position ${stuckAt}, not ${other}`);
    }
    const bad = await skip('nonsense');
    expect(bad.status).toBe(2);
    const noReason = await runKasho(['skip', '--position', stuckAt], { REPLICA_DATABASE_URL: k.target.url });
    expect(noReason.status).toBe(2);
    expect(noReason.stderr).toContain('--reason');
    expect(await k.target.query(`SELECT * FROM kasho.skip_requests`)).toEqual([]);
    expect(await k.target.query(`SELECT * FROM kasho.skipped_changes`)).toEqual([]);
    expect((await k.translicator.health()).status).toBe(503);
  }, 90_000);

  it('skips exactly the stuck transaction, records it, and the later rows arrive', async () => {
    const result = await skip(stuckAt, 'ticket 42: malformed code');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`skipped: the source transaction of position ${stuckAt} (tables: public.accounts)`);
    await k.translicator.waitHealthy(60_000);
    await k.waitForEqual(`SELECT id FROM public.accounts WHERE id <> 3 ORDER BY id`, 60_000, `SELECT id FROM public.accounts ORDER BY id`);
    expect(await k.target.query(`SELECT id, code FROM public.accounts WHERE id >= 3 ORDER BY id`)).toEqual([{ id: 4, code: 'XXX-4' }]);
    const records = await k.target.query<{ position: string; reason: string; tables: string[]; skipped_at: Date }>(
      `SELECT position, reason, tables, skipped_at FROM kasho.skipped_changes`,
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ position: stuckAt, reason: 'ticket 42: malformed code', tables: ['public.accounts'] });
    expect(records[0].skipped_at).toBeInstanceOf(Date);
    expect(await k.target.query(`SELECT * FROM kasho.skip_requests`)).toEqual([]);
    // Past it: a second skip of the same position is refused.
    expect((await skip(stuckAt)).status).toBe(1);
    // And the stream goes on.
    await k.source.query(`INSERT INTO public.accounts VALUES (5, 'GHI-5', '1')`);
    await k.waitForEqual(`SELECT id FROM public.accounts WHERE id <> 3 ORDER BY id`, 60_000, `SELECT id FROM public.accounts ORDER BY id`);
  }, 150_000);
});
