import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EphemeralPostgres, waitFor } from '@kasho/testing';
import { runKasho } from './support/kasho-cli';
import { KashoPipeline } from './support/kasho-pipeline';

const PASSWORD = 'pw-never-printed-9931';
const ROW_VALUE = 'row-value-never-printed@corp.example';

/**
 * `kasho check` on a deliberately flawed source, then on a running pipeline (its target serves both);
 * `kasho uninstall` on that pipeline's source.
 */
describe('kasho check and kasho uninstall', () => {
  let flawed: EphemeralPostgres;
  let k: KashoPipeline;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    const start = async () => {
      flawed = await EphemeralPostgres.start({ settings: { wal_level: 'replica' } });
      await flawed.query(`CREATE TABLE public.users (id int PRIMARY KEY, email text UNIQUE, age int, name text)`);
      await flawed.query(`CREATE TABLE public.events (at timestamptz, payload text)`);
      await flawed.query(`INSERT INTO public.users VALUES (1, $1, 42, 'Ada')`, [ROW_VALUE]);
    };
    const pipeline = async () => {
      k = await KashoPipeline.start({
        transformsYaml: 'version: v1\ntables:\n  public.accounts:\n    email: FakeEmail\n',
        beforeStart: async (source) => {
          await source.query(`CREATE TABLE public.accounts (id int PRIMARY KEY, email text UNIQUE)`);
          await source.query(`CREATE PUBLICATION mypub FOR TABLE public.accounts`);
        },
      });
    };
    await Promise.all([start(), pipeline()]);
    dir = mkdtempSync(join(tmpdir(), 'kasho-check-'));
    writeFileSync(
      join(dir, 'transforms.yml'),
      ['version: v1', 'tables:', '  public.users:', '    email: FakeEmail', '    age: FakeName', '    nmae: FakeName', ''].join('\n'),
    );
    env = {
      PRIMARY_DATABASE_URL: k.changeStream.env.PRIMARY_DATABASE_URL,
      REPLICA_DATABASE_URL: k.translicator.env.REPLICA_DATABASE_URL,
      TRANSFORMS_FILE: k.translicator.env.TRANSFORMS_FILE,
      TRANSFORMS_SECRET: 'x'.repeat(32),
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all([flawed?.stop(), k?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('check on a flawed source: names every flaw with its place and what to do, prints no value or password, exits 1', async () => {
    const result = await runKasho(['check'], {
      PRIMARY_DATABASE_URL: flawed.urlFor(flawed.database, 'postgres', PASSWORD),
      REPLICA_DATABASE_URL: k.target.urlFor(k.target.database, 'postgres', PASSWORD),
      TRANSFORMS_FILE: join(dir, 'transforms.yml'),
      TRANSFORMS_SECRET: 'x'.repeat(32),
    });
    console.log(result.stdout);
    expect(result.status).toBe(1);
    const out = result.stdout;
    expect(out).toMatch(/^SOURCE \(PRIMARY_DATABASE_URL\)$/m);
    expect(out).toMatch(/^TARGET \(REPLICA_DATABASE_URL\)$/m);
    expect(out).toMatch(/^ {2}BLOCKER setting wal_level: is replica; logical replication needs logical$/m);
    expect(out).toContain('→ ALTER SYSTEM SET wal_level = logical');
    expect(out).toMatch(
      /^ {2}WARN {4}public\.events: has no primary key; NO_KEY_TABLES=insert-only .*UPDATE and DELETE succeed on the source but are not replicated$/m,
    );
    expect(out).toMatch(
      /^ {2}BLOCKER .*transforms\.yml:6 public\.users\.nmae: no such column; did you mean name\? public\.users\.name would replicate untransformed$/m,
    );
    expect(out).toMatch(/^ {2}BLOCKER .*transforms\.yml:5 public\.users\.age: FakeName: output is not an integer, column type is integer/m);
    expect(out).toMatch(
      /^ {2}OK {6}.*transforms\.yml:4 public\.users\.email: FakeEmail under unique index users_email_key: its output is made unique-safe automatically$/m,
    );
    expect(out).toMatch(/^ {2}OK {6}pg_dump \S+: version \d+, can dump the source/m);
    expect(out).toMatch(/^\d+ blocker\(s\), \d+ warning\(s\), \d+ OK\. Fix the blockers before starting Kasho\.$/m);
    expect(out + result.stderr).not.toContain(PASSWORD);
    expect(out + result.stderr).not.toContain(ROW_VALUE);
  }, 60_000);

  it('check as roles without the documented grants: names each missing privilege on both sides', async () => {
    await flawed.query(`CREATE ROLE app_reader LOGIN`);
    await flawed.query(`GRANT SELECT ON public.users TO app_reader`);
    await k.target.query(`DO $$ BEGIN CREATE ROLE app_writer LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    const result = await runKasho(['check'], {
      PRIMARY_DATABASE_URL: flawed.urlFor(flawed.database, 'app_reader', PASSWORD),
      REPLICA_DATABASE_URL: k.target.urlFor(k.target.database, 'app_writer', PASSWORD),
      TRANSFORMS_FILE: join(dir, 'transforms.yml'),
      TRANSFORMS_SECRET: 'x'.repeat(32),
    });
    console.log(result.stdout);
    expect(result.status).toBe(1);
    const out = result.stdout;
    expect(out).toMatch(/^ {2}BLOCKER role app_reader: has no REPLICATION: it cannot read the slot$/m);
    expect(out).toMatch(/^ {2}BLOCKER DDL capture: not installed, and event triggers need a superuser$/m);
    expect(out).toMatch(/^ {2}BLOCKER role app_reader SELECT: missing on public\.events: /m);
    expect(out).toMatch(/^ {2}BLOCKER role app_writer on database \S+: missing CREATE$/m);
    expect(out).toContain('→ GRANT USAGE, CREATE ON SCHEMA public TO app_writer');
    expect(out).toContain('→ GRANT SELECT ON ALL TABLES IN SCHEMA public TO app_reader');
    expect(out).toMatch(/^ {2}WARN {4}role app_writer SET session_replication_role: missing/m);
    expect(out + result.stderr).not.toContain(PASSWORD);
  }, 60_000);

  it('check: nothing blocks, the slot is named with its retained WAL; exit 0', async () => {
    const result = await runKasho(['check'], env);
    console.log(result.stdout);
    expect(result.stdout).not.toMatch(/BLOCKER/);
    expect(result.stdout).toMatch(/^ {2}OK {6}slot kasho_slot: active \(pid \d+\), wal_status reserved, retaining [\d.]+ \w+ of WAL$/m);
    expect(result.stdout).toMatch(/^ {2}OK {6}setting wal_level: logical$/m);
    expect(result.status).toBe(0);
  }, 60_000);

  it('uninstall: refused while the slot is read; without --yes only says; with it removes all of Kasho and nothing of the user; twice is fine', async () => {
    // Kasho's publications carry its comment (libs/replication/src/publication-names.ts); set it here
    // for a setup that predates the comment, so this test does not depend on that order of changes.
    await k.source.query(
      `DO $$ BEGIN IF pg_catalog.obj_description((SELECT oid FROM pg_publication WHERE pubname = 'kasho_pub'), 'pg_publication') IS NULL
         THEN COMMENT ON PUBLICATION kasho_pub IS 'managed by Kasho'; END IF; END $$`,
    );
    const refused = await runKasho(['uninstall', '--yes'], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/replication slot "kasho_slot" is in use by pid \d+ .*stop it first; nothing was removed/);
    expect(await k.source.query(`SELECT slot_name FROM pg_replication_slots`)).toEqual([{ slot_name: 'kasho_slot' }]);

    await Promise.all([k.translicator.kill('SIGKILL'), k.changeStream.kill('SIGKILL')]);
    await waitFor(async () => (await k.source.query(`SELECT 1 FROM pg_replication_slots WHERE active`)).length === 0, {
      timeoutMs: 15_000,
      what: 'the slot to be released',
    });

    const dry = await runKasho(['uninstall'], env);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('drop replication slot "kasho_slot"');
    expect(dry.stdout).toContain(`drop publication "kasho_pub" (Kasho's)`);
    expect(dry.stdout).toContain('drop event trigger kasho_capture_ddl');
    expect(dry.stdout).toContain('drop schema kasho');
    expect(dry.stdout).toContain('nothing was changed');
    expect(await k.source.query(`SELECT slot_name FROM pg_replication_slots`)).toEqual([{ slot_name: 'kasho_slot' }]);

    const done = await runKasho(['uninstall', '--yes'], env);
    console.log(done.stdout, done.stderr);
    expect(done.status).toBe(0);
    expect(done.stdout).toContain('Kasho is removed from the source.');
    expect(await k.source.query(`SELECT slot_name FROM pg_replication_slots`)).toEqual([]);
    expect(await k.source.query(`SELECT evtname FROM pg_event_trigger`)).toEqual([]);
    expect(await k.source.query(`SELECT nspname FROM pg_namespace WHERE nspname = 'kasho'`)).toEqual([]);
    expect(await k.source.query(`SELECT pubname FROM pg_publication WHERE obj_description(oid, 'pg_publication') LIKE 'managed by Kasho%'`)).toEqual([]);
    expect(await k.source.query(`SELECT pubname, tablename FROM pg_publication_tables`)).toEqual([{ pubname: 'mypub', tablename: 'accounts' }]);

    const again = await runKasho(['uninstall', '--yes'], { ...env, PUBLICATION: 'mypub' });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('nothing of Kasho left on the source');
    expect(again.stdout).toContain('leave publication "mypub": it is your own');
    expect(await k.source.query(`SELECT pubname FROM pg_publication`)).toEqual([{ pubname: 'mypub' }]);
  }, 90_000);
});
