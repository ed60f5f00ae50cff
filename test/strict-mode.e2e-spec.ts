import { writeFileSync } from 'node:fs';
import { waitFor } from '@kasho/testing';
import { KashoPipeline } from './support/kasho-pipeline';

const STRICT = `version: v1
mode: strict
tables:
  public.users:
    id: Keep
    email: FakeEmail
`;

interface ApplyDetails {
  status: string;
  error?: string;
  stuckAt?: string;
}

/**
 * mode: strict against the real executables: a column added by DDL and not listed stops the
 * pipeline at the first change that carries it (nothing of that transaction on the target, /health
 * unhealthy naming public.users.phone); listing it and restarting the translicator continues from
 * that very change.
 */
describe('transforms.yml mode: strict', () => {
  let k: KashoPipeline;

  beforeAll(async () => {
    k = await KashoPipeline.start({
      transformsYaml: STRICT,
      // Listed in full: the initial snapshot copies it.
      beforeStart: async (source) => {
        await source.query(`CREATE TABLE public.users (id int PRIMARY KEY, email text NOT NULL)`);
        await source.query(`INSERT INTO public.users VALUES (1, 'ada@corp.example'), (2, 'alan@corp.example')`);
      },
    });
    await k.waitForEqual(`SELECT id FROM public.users ORDER BY id`);
  }, 180_000);

  afterAll(async () => {
    await k?.stop();
  }, 60_000);

  const applyHealth = async (): Promise<{ status: number; apply?: ApplyDetails }> => {
    const { status, body } = await k.translicator.health();
    return { status, apply: (body.details as Record<string, ApplyDetails> | undefined)?.apply };
  };

  it('replicates a table whose every column is listed, transformed', async () => {
    const rows = await k.target.query<{ email: string }>(`SELECT email FROM public.users ORDER BY id`);
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain('corp.example');
  });

  it('stops at the first change carrying a column added by ALTER TABLE ADD COLUMN, naming public.users.phone', async () => {
    await k.source.query(`ALTER TABLE public.users ADD COLUMN phone text`);
    await k.source.query(
      `BEGIN; INSERT INTO public.users VALUES (3, 'grace@corp.example', '+1 212 555 0199'); INSERT INTO public.users VALUES (4, 'linus@corp.example', NULL); COMMIT`,
    );
    await k.source.query(`INSERT INTO public.users VALUES (5, 'ken@corp.example', '555 0100')`);
    let last: { status: number; apply?: ApplyDetails } | undefined;
    await waitFor(
      async () => {
        last = await applyHealth().catch(() => undefined);
        return last?.status === 503 && !!last.apply?.error?.includes('public.users.phone');
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the translicator to stop at public.users.phone' },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${JSON.stringify(last)}\n${k.translicator.tail()}`);
    });
    expect(last!.apply!.error).toMatch(/^(TransformError: )?public\.users\.phone at position \d+-0: not listed in .*transforms\.yml; mode: strict/);
    expect(last!.apply!.stuckAt).toMatch(/^\d+-0$/);
    // Nothing of the stopped transaction nor of later ones is on the target.
    expect(await k.target.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.users WHERE id >= 3`)).toEqual([{ n: 0 }]);
    // Stays stopped: it is retried, not skipped.
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await applyHealth()).status).toBe(503);
    expect(await k.target.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.users`)).toEqual([{ n: 2 }]);
    for (const value of ['212 555 0199', '555 0100', 'grace@corp.example']) expect(k.logs()).not.toContain(value);
  }, 90_000);

  it('continues from that change once the column is listed and the translicator restarted', async () => {
    // A misspelt table too: reported at start against the target's tables, with a suggestion, not a stop.
    writeFileSync(k.translicator.env.TRANSFORMS_FILE, `${STRICT}    phone: {type: Regex, pattern: '\\d', replacement: '#'}\n  public.user:\n    id: Keep\n`);
    await k.translicator.kill('SIGTERM');
    k.translicator.start();
    await k.translicator.waitHealthy(90_000);
    await k.waitForEqual(`SELECT id, phone IS NULL AS no_phone FROM public.users ORDER BY id`);
    const phones = await k.target.query<{ id: number; phone: string | null }>(`SELECT id, phone FROM public.users WHERE id >= 3 ORDER BY id`);
    expect(phones).toEqual([
      { id: 3, phone: '+# ### ### ####' },
      { id: 4, phone: null },
      { id: 5, phone: '### ####' },
    ]);
    expect((await applyHealth()).status).toBe(200);
    await waitFor(async () => k.translicator.output.some((l) => l.includes('has no such table')), {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'the coverage warning',
    });
    expect(k.translicator.output.join('\n')).toMatch(
      /transforms\.yml:\d+: public\.user is configured but the target has no such table \(did you mean 'public\.users'\?\)/,
    );
  }, 150_000);
});

/** The initial snapshot in mode: strict: a table with an unlisted column is refused before any row is copied. */
describe('transforms.yml mode: strict, initial snapshot', () => {
  let k: KashoPipeline;

  beforeAll(async () => {
    k = await KashoPipeline.start({
      transformsYaml: STRICT,
      waitForTranslicator: false,
      beforeStart: async (source) => {
        await source.query(`CREATE TABLE public.users (id int PRIMARY KEY, email text NOT NULL, ssn text)`);
        await source.query(`INSERT INTO public.users VALUES (1, 'ada@corp.example', '123-45-6789')`);
      },
    });
  }, 180_000);

  afterAll(async () => {
    await k?.stop();
  }, 60_000);

  it('refuses the snapshot naming public.users.ssn, copies nothing, and reports unhealthy', async () => {
    let error = '';
    await waitFor(
      async () => {
        const { status, body } = await k.translicator.health().catch(() => ({ status: 0, body: {} as Record<string, unknown> }));
        error = (body.details as Record<string, { error?: string }> | undefined)?.apply?.error ?? '';
        return status === 503 && error.includes('public.users.ssn');
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the snapshot to be refused' },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${error}\n${k.translicator.tail()}`);
    });
    expect(error).toMatch(/public\.users\.ssn: not listed in .*mode: strict/);
    expect(await k.target.query(`SELECT to_regclass('public.users')::text AS t`)).toEqual([{ t: null }]);
    expect(k.logs()).not.toContain('123-45-6789');
  }, 90_000);
});
