import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EphemeralPostgres } from '@kasho/testing';
import { REPO_ROOT } from './support/service-process';

/** `npx kasho preview` shows rows before and after transforms and writes nothing. */
describe('kasho preview', () => {
  let source: EphemeralPostgres;
  let dir: string;

  beforeAll(async () => {
    source = await EphemeralPostgres.start();
    dir = mkdtempSync(join(tmpdir(), 'kasho-preview-'));
    await source.query(`CREATE TABLE public.users (id int PRIMARY KEY, name text, email text, plan text)`);
    await source.query(`INSERT INTO public.users VALUES (1, 'Ada Lovelace', 'ada@corp.example', 'pro'), (2, 'Alan Turing', NULL, 'free')`);
    await source.query(`CREATE TABLE public.visits (id int, at date, name text) PARTITION BY RANGE (at)`);
    await source.query(`CREATE TABLE public.visits_2024 PARTITION OF public.visits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`);
    await source.query(`INSERT INTO public.visits VALUES (1, '2024-05-05', 'Grace Hopper')`);
    writeFileSync(
      join(dir, 'transforms.yml'),
      'version: v1\ntables:\n  public.users:\n    name: FakeName\n    email: FakeEmail\n  public.visits:\n    name: FakeName\n',
    );
  }, 60_000);

  afterAll(async () => {
    await source?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function preview(args: string[], env: Record<string, string> = {}) {
    return spawnSync(process.execPath, [join(REPO_ROOT, 'kasho'), 'preview', ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', PRIMARY_DATABASE_URL: source.url, TRANSFORMS_FILE: join(dir, 'transforms.yml'), TRANSFORMS_SECRET: 's', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it('prints source values beside their transformed replacements', async () => {
    const result = preview(['--table', 'public.users', '--limit', '5']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Ada Lovelace');
    expect(result.stdout).toContain('ada@corp.example');
    expect(result.stdout).toMatch(/pro/);
    const again = preview(['--table', 'public.users', '--limit', '5']);
    expect(again.stdout).toBe(result.stdout);
    const otherKey = preview(['--table', 'public.users', '--limit', '5'], { TRANSFORMS_SECRET: 'another' });
    expect(otherKey.stdout).not.toBe(result.stdout);
  });

  it("previews a partition with its partitioned table's rules, as replication applies them", () => {
    const result = preview(['--table', 'public.visits_2024']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\* name +\| Grace Hopper +\| (?!Grace Hopper)\S+/m);
    expect(result.stdout).not.toContain('no rules for this table');
  });

  it('writes nothing to the source', async () => {
    const before = await source.query(`SELECT (u)::text AS r FROM public.users u ORDER BY id`);
    preview(['--table', 'public.users']);
    expect(await source.query(`SELECT (u)::text AS r FROM public.users u ORDER BY id`)).toEqual(before);
    expect(await source.query(`SELECT nspname FROM pg_namespace WHERE nspname = 'kasho'`)).toEqual([]);
    expect(await source.query(`SELECT slot_name FROM pg_replication_slots`)).toEqual([]);
  });

  it('fails with a usage line on bad arguments', () => {
    const result = preview(['--limit', 'x']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('--limit must be a positive integer');
  });
});
