import { compareSync } from 'bcryptjs';
import { createHmac } from 'node:crypto';
import { KashoPipeline } from './support/kasho-pipeline';
import { E2E_TRANSFORMS_SECRET } from './support/service-process';

const TRANSFORMS = `version: v1
tables:
  public.customers:
    email: FakeEmail
    name: FakeName
    phone: {type: Regex, pattern: '\\d', replacement: '#'}
    handle: {type: Template, template: '{{.name | slugify}}'}
    password: {type: PasswordBcrypt, cleartext: 'dev-{{.handle}}', cost: 4}
  public.orders:
    customer_email: FakeEmail
  public.accounts:
    ssn: SetNull
    plan: {type: Constant, value: free}
    ref: {type: Hash, length: 16}
    card: Mask
`;

/** What Hash writes: HMAC-SHA256(TRANSFORMS_SECRET, 'Hash' 0x00 value) in hex, cut to `length`. */
const hashOf = (value: string, length: number) => createHmac('sha256', E2E_TRANSFORMS_SECRET).update(`Hash\0${value}`).digest('hex').slice(0, length);

interface Customer {
  email: string;
  name: string;
  phone: string | null;
  handle: string;
  password: string;
}

/** A transformed replica: fakes, a template over transformed values, a transformed primary key, a bcrypt hash. */
describe('transforms in the pipeline', () => {
  let k: KashoPipeline;

  beforeAll(async () => {
    k = await KashoPipeline.start({
      transformsYaml: TRANSFORMS,
      // Rows that exist before Kasho starts reach the target through the initial snapshot.
      beforeStart: async (source) => {
        await source.query(`
          CREATE TABLE public.accounts (id int PRIMARY KEY, ssn text, plan text, ref text, card text);
          INSERT INTO public.accounts VALUES (1, '123-45-6789', 'enterprise', 'acct-7781', '4111111111111111'), (2, NULL, NULL, NULL, NULL)`);
      },
    });
    await k.source.query(`
      CREATE TABLE public.customers (email text PRIMARY KEY, name text NOT NULL, phone text, handle text, password text);
      CREATE TABLE public.orders (id int PRIMARY KEY, customer_email text REFERENCES public.customers (email), total numeric(10,2))`);
    await k.source.query(`INSERT INTO public.customers VALUES
      ('ada@corp.example', 'Ada Lovelace', '+1 415 555 0101', 'ada', 'hunter2'),
      ('alan@corp.example', 'Alan Turing', NULL, 'alan', 'enigma'),
      ('grace@corp.example', 'Grace Hopper', '+1 212 555 0199', 'grace', 'cobol'),
      ('ada.second@corp.example', 'Ada Lovelace', '555', 'ada2', 'hunter2')`);
    await k.source.query(`INSERT INTO public.orders VALUES (1, 'ada@corp.example', 10.50), (2, 'grace@corp.example', 99.99), (3, 'ada@corp.example', 1.00)`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.orders`);
  }, 120_000);

  afterAll(async () => {
    await k?.stop();
  });

  const customers = () =>
    k.target.query<Customer & Record<string, unknown>>(`SELECT email, name, phone, handle, password FROM public.customers ORDER BY email`);

  it('never writes a configured column untransformed', async () => {
    const target = JSON.stringify(await k.target.query(`SELECT * FROM public.customers`));
    for (const secret of ['ada@corp.example', 'Ada Lovelace', 'Alan Turing', 'Grace Hopper', '415 555', 'hunter2', 'enigma', 'cobol']) {
      expect(target).not.toContain(secret);
    }
    const rows = await customers();
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });

  it('logs no source value', () => {
    const logs = k.logs();
    for (const secret of ['ada@corp.example', 'Ada Lovelace', 'hunter2', '415 555']) expect(logs).not.toContain(secret);
  });

  it('is deterministic, keeps NULL as NULL, and masks with Regex', async () => {
    const rows = await customers();
    const names = rows.map((r) => r.name);
    // the two "Ada Lovelace" rows get the same fake name; the others differ
    expect(new Set(names).size).toBe(3);
    const nullPhones = rows.filter((r) => r.phone === null);
    expect(nullPhones).toHaveLength(1);
    expect(
      rows
        .map((r) => r.phone)
        .filter((p): p is string => p !== null)
        .sort(),
    ).toEqual(['###', '+# ### ### ####', '+# ### ### ####']);
  });

  it('renders templates over the already transformed values, and the bcrypt hash verifies', async () => {
    for (const row of await customers()) {
      const slug = row.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
      expect(row.handle).toBe(slug);
      expect(row.password).toMatch(/^\$2b\$04\$/);
      expect(compareSync(`dev-${row.handle}`, row.password)).toBe(true);
    }
  });

  it('keeps referential integrity: the same email transforms the same way in both tables', async () => {
    const orphans = await k.target.query(`SELECT o.id FROM public.orders o LEFT JOIN public.customers c ON c.email = o.customer_email WHERE c.email IS NULL`);
    expect(orphans).toEqual([]);
    expect(await k.target.query(`SELECT count(DISTINCT customer_email)::int AS n FROM public.orders`)).toEqual([{ n: 2 }]);
  });

  it('updates and deletes rows through a transformed primary key', async () => {
    const before = await customers();
    await k.source.query(`UPDATE public.customers SET phone = '000' WHERE email = 'alan@corp.example'`);
    await k.source.query(`UPDATE public.customers SET email = 'alan.t@corp.example' WHERE email = 'alan@corp.example'`);
    await k.source.query(`DELETE FROM public.customers WHERE email = 'ada.second@corp.example'`);
    await k.waitForEqual(`SELECT count(*)::int AS n, count(phone)::int AS phones FROM public.customers`);
    const after = await customers();
    expect(after).toHaveLength(3);
    expect(after.filter((r) => r.phone === '###')).toHaveLength(1);
    // the key changed: the old fake email is gone, a new one took its place; the other rows are untouched
    const oldEmails = new Set(before.map((r) => r.email));
    expect(after.filter((r) => !oldEmails.has(r.email))).toHaveLength(1);
    expect(JSON.stringify(after)).not.toContain('corp.example');
  });

  it('SetNull, Constant, Hash and Mask: the same outputs in the snapshot and in the stream, NULL stays NULL', async () => {
    await k.source.query(`INSERT INTO public.accounts VALUES (3, '987-65-4321', 'pro', 'acct-7781', '5500-0000-0000-0004')`);
    await k.source.query(`UPDATE public.accounts SET ref = 'acct-0042', card = '12' WHERE id = 2`);
    await k.waitForEqual(`SELECT id, ref IS NULL AS no_ref FROM public.accounts ORDER BY id`);
    const rows = await k.target.query(`SELECT id, ssn, plan, ref, card FROM public.accounts ORDER BY id`);
    expect(rows).toEqual([
      // copied by the snapshot
      { id: 1, ssn: null, plan: 'free', ref: hashOf('acct-7781', 16), card: '************1111' },
      // NULLs stay NULL through the snapshot; the update came through the stream
      { id: 2, ssn: null, plan: null, ref: hashOf('acct-0042', 16), card: '**' },
      // streamed: the same ref hashes as in the snapshot, so joins on it still match
      { id: 3, ssn: null, plan: 'free', ref: hashOf('acct-7781', 16), card: '***************0004' },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/123-45|987-65|enterprise|acct-|4111111111111111/);
  });
});
