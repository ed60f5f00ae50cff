import type { TestingModule } from '@nestjs/testing';
import type { Tuple } from '@kasho/contracts';
import type { TransformEngine } from '@kasho/transforms';
import { bootEngine, col } from '@kasho/testing/transforms';
import { KashoPipeline } from './support/kasho-pipeline';
import { E2E_TRANSFORMS_SECRET } from './support/service-process';

/**
 * Unique-safe by default (docs/transforms.md): `email: FakeEmail` on a column under a UNIQUE index,
 * without `unique:`, must survive the snapshot (the target's unique index is built after the rows)
 * and the stream (inserts and updates whose plain fakes would collide). Also a two-column unique index,
 * a foreign key to a unique-safe column, `unique: false` honoured (and warned about), a transform that
 * cannot be unique (warned about), and a unique index created and dropped by replicated DDL.
 */
const TRANSFORMS = `version: v1
tables:
  public.accounts:
    email: FakeEmail
  public.people:
    first: FakeFirstName
    last: FakeLastName
  public.invites:
    account_email: FakeEmail
  public.optout:
    email: {type: FakeEmail, unique: false}
    flag: Bool
  public.late:
    email: FakeEmail
`;

const ACCOUNTS = 300_000;
const PEOPLE = 6_000;
/** Rows inserted while streaming (and ACCOUNTS / 20 updated). */
const INSERTED = 20_000;
/** A unique-safe output: the plain fake with a 12-character keyed suffix before the `@`. */
const SUFFIXED = /^[a-z0-9.]+-[a-z2-7]{12}@example\.(com|net|org)$/;
const PLAIN = /^[a-z0-9.]+@example\.(com|net|org)$/;

describe('unique-safe by default', () => {
  let k: KashoPipeline;
  /** The same transforms in this process, told no index: what the plain fakes would be. */
  let plain: { engine: TransformEngine; module: TestingModule };

  beforeAll(async () => {
    plain = await bootEngine(TRANSFORMS, { secret: E2E_TRANSFORMS_SECRET });
    k = await KashoPipeline.start({
      transformsYaml: TRANSFORMS,
      translicatorEnv: { SNAPSHOT_WORKERS: '2' },
      waitForTranslicator: false,
      beforeStart: async (source) => {
        await source.query(`
          CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text NOT NULL, CONSTRAINT accounts_email_key UNIQUE (email));
          CREATE TABLE public.people (id int PRIMARY KEY, first text NOT NULL, last text NOT NULL, UNIQUE (first, last));
          CREATE TABLE public.invites (id int PRIMARY KEY, account_email text NOT NULL REFERENCES public.accounts (email) ON UPDATE CASCADE);
          CREATE TABLE public.optout (id int PRIMARY KEY, email text UNIQUE, flag text UNIQUE);
          INSERT INTO public.accounts SELECT g, 'user' || g || '@corp.example' FROM generate_series(1, ${ACCOUNTS}) g;
          INSERT INTO public.people SELECT g, 'first' || g, 'last' || g FROM generate_series(1, ${PEOPLE}) g;
          INSERT INTO public.invites SELECT g, 'user' || (g * 7) || '@corp.example' FROM generate_series(1, 2000) g;
          INSERT INTO public.optout VALUES (1, 'one@corp.example', 'yes'), (2, 'two@corp.example', NULL), (3, 'three@corp.example', NULL);
          ANALYZE;`);
      },
    });
    await k.translicator.waitHealthy(90_000);
  }, 150_000);

  afterAll(async () => {
    await k?.stop();
    await plain?.module.close();
  });

  const accountColumns = [col('id', 'int8', true), col('email')];
  /** The plain fake of an account email (no index known: what Kasho wrote before unique-safe output was the default). */
  const plainFake = (email: string): string => (plain.engine.transformTupleEager('public', 'accounts', accountColumns, { id: '0', email }) as Tuple).email!;
  const distinctPlainFakes = (emails: string[]): number => new Set(emails.map(plainFake)).size;

  const targetCount = async (sql: string): Promise<number> => Number((await k.target.query<{ n: string }>(sql))[0].n);

  it('snapshots 300,000 rows under a UNIQUE email with only `email: FakeEmail`, and builds the unique index on the target', async () => {
    // Not vacuous: the plain fakes of these emails collide.
    const sourceEmails = Array.from({ length: ACCOUNTS }, (_, i) => `user${i + 1}@corp.example`);
    expect(distinctPlainFakes(sourceEmails)).toBeLessThan(ACCOUNTS);

    expect(await targetCount(`SELECT count(*) AS n FROM public.accounts`)).toBe(ACCOUNTS);
    expect(await targetCount(`SELECT count(DISTINCT email) AS n FROM public.accounts`)).toBe(ACCOUNTS);
    expect(await targetCount(`SELECT count(*) AS n FROM public.accounts WHERE email !~ '${SUFFIXED.source}'`)).toBe(0);
    expect(await targetCount(`SELECT count(*) AS n FROM public.accounts WHERE email LIKE '%corp.example'`)).toBe(0);
    const index = await k.target.query(`SELECT i.indisunique, i.indisvalid FROM pg_index i WHERE i.indexrelid = 'public.accounts_email_key'::regclass`);
    expect(index).toEqual([{ indisunique: true, indisvalid: true }]);
    const logs = k.translicator.output.join('\n');
    expect(logs).toContain('public.accounts: unique-safe output for email (unique index accounts_email_key)');
    expect(logs).not.toContain('@corp.example');
  });

  it('makes every column of a two-column unique index unique-safe, and a foreign key to a unique-safe column follows it', async () => {
    expect(await targetCount(`SELECT count(*) AS n FROM public.people WHERE first !~ '-[a-z2-7]{12}$' OR last !~ '-[a-z2-7]{12}$'`)).toBe(0);
    expect(await targetCount(`SELECT count(DISTINCT (first, last)) AS n FROM public.people`)).toBe(PEOPLE);
    const logs = k.translicator.output.join('\n');
    expect(logs).toMatch(/public\.people: unique-safe output for first \(unique index people_first_last_key\), last \(unique index people_first_last_key\)/);
    expect(logs).toContain(
      'public.invites: unique-safe output for account_email (foreign key invites_account_email_fkey to the unique-safe public.accounts.email)',
    );
    // The foreign key was re-created by the snapshot's post-data, and every invite finds its account.
    expect(await targetCount(`SELECT count(*) AS n FROM public.invites i JOIN public.accounts a ON a.email = i.account_email`)).toBe(2000);
  });

  it('honours unique: false (plain fakes, with a warning naming the column and index) and warns for a transform that cannot be unique', async () => {
    const rows = await k.target.query<{ email: string }>(`SELECT email FROM public.optout ORDER BY id`);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.email).toMatch(PLAIN);
    const logs = k.translicator.output.join('\n');
    expect(logs).toContain('public.optout.email is under unique index optout_email_key but transforms.yml says unique: false');
    expect(logs).toContain('public.optout.flag is under unique index optout_flag_key but Bool cannot make its output unique');
  });

  it('streams inserts and updates whose plain fakes would collide, keeping the unique index and the row counts', async () => {
    const inserted = Array.from({ length: INSERTED }, (_, i) => `new${i + 1}@corp.example`);
    const updated = Array.from({ length: ACCOUNTS / 20 }, (_, i) => `moved${(i + 1) * 20}@corp.example`);
    const kept = Array.from({ length: ACCOUNTS }, (_, i) => `user${i + 1}@corp.example`).filter((_, i) => (i + 1) % 20 !== 0);
    // Not vacuous: the plain fakes of the streamed emails collide with those already on the target.
    const before = new Set(kept.map(plainFake));
    expect([...inserted, ...updated].filter((email) => before.has(plainFake(email))).length).toBeGreaterThan(0);
    const all = [...kept, ...updated, ...inserted];

    await k.source.query(`INSERT INTO public.accounts SELECT ${ACCOUNTS} + g, 'new' || g || '@corp.example' FROM generate_series(1, ${INSERTED}) g`);
    await k.source.query(`UPDATE public.accounts SET email = 'moved' || id || '@corp.example' WHERE id % 20 = 0 AND id <= ${ACCOUNTS}`);
    await k.source.query(`INSERT INTO public.people SELECT g, 'first' || g, 'last' || g FROM generate_series(${PEOPLE + 1}, ${PEOPLE + 2000}) g`);
    // Applied in source order: once the last statement's rows are in, so are the others'.
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.people`, 90_000);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.accounts`, 30_000);

    expect(await targetCount(`SELECT count(DISTINCT email) AS n FROM public.accounts`)).toBe(all.length);
    expect(await targetCount(`SELECT count(*) AS n FROM public.accounts WHERE email !~ '${SUFFIXED.source}'`)).toBe(0);
    expect(await targetCount(`SELECT count(DISTINCT (first, last)) AS n FROM public.people`)).toBe(PEOPLE + 2000);
    const valid = await k.target.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.accounts_email_key'::regclass`);
    expect(valid).toEqual([{ indisvalid: true }]);
    // An updated row holds the fake of its new email, made unique-safe (the plain fake plus the suffix).
    const moved = await k.target.query<{ email: string }>(`SELECT email FROM public.accounts WHERE id = 20`);
    expect(moved[0].email.replace(/-[a-z2-7]{12}@/, '@')).toBe(plainFake('moved20@corp.example'));
    // The cascaded updates of the referencing invites (those of moved accounts) still match their accounts.
    expect(await targetCount(`SELECT count(*) AS n FROM public.invites i JOIN public.accounts a ON a.email = i.account_email`)).toBe(2000);
  }, 120_000);

  it('follows a unique index created and dropped by replicated DDL (also rows in the same transaction as the CREATE)', async () => {
    await k.source.query(`CREATE TABLE public.late (id int PRIMARY KEY, email text NOT NULL)`);
    await k.source.query(`INSERT INTO public.late SELECT g, 'late' || g || '@corp.example' FROM generate_series(1, 300) g`);
    await k.source.query(`BEGIN;
      CREATE UNIQUE INDEX late_email_key ON public.late (email);
      INSERT INTO public.late SELECT g, 'late' || g || '@corp.example' FROM generate_series(301, 600) g;
      COMMIT`);
    await k.source.query(`DROP INDEX public.late_email_key`);
    await k.source.query(`INSERT INTO public.late SELECT g, 'late' || g || '@corp.example' FROM generate_series(601, 900) g`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.late`, 60_000);

    const band = async (from: number, to: number, pattern: RegExp) =>
      targetCount(`SELECT count(*) AS n FROM public.late WHERE id BETWEEN ${from} AND ${to} AND email ~ '${pattern.source}'`);
    expect(await band(1, 300, PLAIN)).toBe(300);
    expect(await band(301, 600, SUFFIXED)).toBe(300);
    expect(await band(601, 900, PLAIN)).toBe(300);
    const logs = k.translicator.output.join('\n');
    expect(logs).toContain('public.late: unique-safe output for email (unique index late_email_key)');
    expect(logs).not.toContain('@corp.example');
  });
});
