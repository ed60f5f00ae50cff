import { waitFor } from '@kasho/testing';
import { KashoPipeline } from './support/kasho-pipeline';

const LITERAL = 'ceo@corp.example';
const GLUED = `CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS $$select 1$$; INSERT INTO users(email) VALUES ($$${LITERAL}$$); CREATE TABLE t2(a int)`;

/** A counter's value from Prometheus text, or undefined. */
function metric(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

/**
 * Issue 12, "Replayed DDL is code execution on the target": the target role is not a superuser
 * (only the grants docs/ddl-policy.md lists), DDL replays one statement at a time under the DDL
 * policy, and a source transaction with DDL ends its target transaction.
 */
describe('DDL safety: one statement per replay, the DDL policy, a target role that is not a superuser', () => {
  let k: KashoPipeline;

  beforeAll(async () => {
    k = await KashoPipeline.start({
      transformsYaml: 'version: v1\ntables:\n  public.users:\n    email: FakeEmail\n',
      beforeStart: async (source, target) => {
        // Already on the source when the initial snapshot's pg_dump runs: the schema goes through the policy too.
        await source.query(`CREATE TABLE pre (id int PRIMARY KEY, v text)`);
        await source.query(`INSERT INTO pre VALUES (1, 'a')`);
        await source.query(`CREATE FUNCTION pre_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.v := 'touched'; RETURN NEW; END $$`);
        await source.query(`CREATE TRIGGER pre_t BEFORE INSERT ON pre FOR EACH ROW EXECUTE FUNCTION pre_touch()`);
        await source.query(`ALTER TABLE pre ENABLE ALWAYS TRIGGER pre_t`);
        // The least privileges of docs/ddl-policy.md: no superuser, no database ownership.
        await target.query(`CREATE ROLE kasho_apply LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
        await target.query(`GRANT CONNECT, CREATE ON DATABASE ${target.database} TO kasho_apply`);
        await target.query(`GRANT USAGE, CREATE ON SCHEMA public TO kasho_apply`);
        await target.query(`GRANT SET ON PARAMETER session_replication_role TO kasho_apply`);
      },
      translicatorUser: 'kasho_apply',
      waitForTranslicator: false,
    });
  }, 180_000);

  afterAll(async () => {
    await k?.stop();
  }, 60_000);

  it('runs as a role that is not a superuser, with replica session_replication_role, and replays DDL', async () => {
    await k.translicator.waitHealthy(120_000);
    const [role] = await k.target.query<{ usename: string; usesuper: boolean }>(
      `SELECT u.usename, u.usesuper FROM pg_stat_activity a JOIN pg_user u ON u.usesysid = a.usesysid WHERE application_name = 'kasho-translicator' LIMIT 1`,
    );
    expect(role).toEqual({ usename: 'kasho_apply', usesuper: false });
    await k.source.query(`CREATE TYPE user_role AS ENUM ('admin', 'member')`);
    await k.source.query(`CREATE TABLE users (id serial PRIMARY KEY, email text, role user_role NOT NULL DEFAULT 'member')`);
    await k.source.query(`INSERT INTO users (email) SELECT 'u' || g || '@corp.example' FROM generate_series(1, 5) g`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM users`);
    const [owner] = await k.target.query<{ owner: string }>(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'users'`);
    expect(owner.owner).toBe('kasho_apply');
    expect(k.logs()).not.toContain('cannot SET session_replication_role');
    // The snapshot created the table and copied its row, but neither the function nor the ALWAYS trigger.
    await k.waitForEqual(`SELECT id, v FROM pre ORDER BY id`);
    expect(await k.target.query(`SELECT 1 FROM pg_trigger WHERE tgname = 'pre_t' UNION ALL SELECT 1 FROM pg_proc WHERE proname = 'pre_touch'`)).toHaveLength(0);
    expect(k.translicator.output.join('\n')).toMatch(/statement\(s\) of the source schema skipped by the DDL policy: .*routines \(CreateFunctionStmt\)/);
  }, 180_000);

  it('replays the glued DDL as two statements: never the INSERT, never its literal; the function is skipped by the policy', async () => {
    await k.source.query(GLUED);
    await k.source.query(`INSERT INTO t2 VALUES (42)`);
    await k.waitForEqual(`SELECT a FROM t2 ORDER BY a`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM users`);
    const [source] = await k.source.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE email = '${LITERAL}'`);
    expect(source.n).toBe(1);
    const [target] = await k.target.query<{ n: number; total: number }>(
      `SELECT count(*) FILTER (WHERE email = '${LITERAL}')::int AS n, count(*)::int AS total FROM users`,
    );
    expect(target).toEqual({ n: 0, total: 6 });
    const functions = await k.target.query(`SELECT 1 FROM pg_proc WHERE proname = 'begin'`);
    expect(functions).toHaveLength(0);
    expect(k.translicator.output.join('\n')).toMatch(/DDL CREATE FUNCTION on public\.begin\(\) at position \S+ skipped by the DDL policy \(routines\)/);
    expect(k.logs()).not.toContain(LITERAL);
    expect(k.logs()).not.toContain('select 1');
    expect(metric(await k.translicator.metrics(), 'kasho_ddl_skipped_total', '{rule="routines",tag="CREATE FUNCTION"}')).toBe(1);
  }, 180_000);

  it('skips triggers, ENABLE ALWAYS, grants and temporary tables, creates a materialized view WITH NO DATA, replicates CREATE TABLE AS, and keeps going', async () => {
    await k.source.query(`CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.email := 'x'; RETURN NEW; END $$`);
    await k.source.query(`CREATE TRIGGER users_touch BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION touch()`);
    await k.source.query(`ALTER TABLE users ENABLE ALWAYS TRIGGER users_touch`);
    await k.source.query(`GRANT SELECT ON users TO PUBLIC`);
    await k.source.query(`CREATE MATERIALIZED VIEW user_count AS SELECT count(*) AS n FROM users`);
    await k.source.query(`CREATE TEMP TABLE scratch (a int); DROP TABLE scratch`);
    // pgoutput sends CREATE TABLE AS rows before the DDL is logged: the table is created first, empty, then the rows come as inserts.
    await k.source.query(`CREATE TABLE t2_copy AS SELECT a, a * 2 AS b FROM t2`);
    await k.source.query(`CREATE INDEX CONCURRENTLY users_email ON users (email)`);
    await k.source.query(`INSERT INTO t2 VALUES (43)`);
    await k.waitForEqual(`SELECT a FROM t2 ORDER BY a`);
    await k.waitForEqual(`SELECT a, b FROM t2_copy ORDER BY a`);
    expect(await k.target.query(`SELECT 1 FROM pg_trigger WHERE tgname = 'users_touch'`)).toHaveLength(0);
    const [view] = await k.target.query<{ populated: boolean }>(`SELECT ispopulated AS populated FROM pg_matviews WHERE matviewname = 'user_count'`);
    expect(view).toEqual({ populated: false });
    const metrics = await k.translicator.metrics();
    expect(metric(metrics, 'kasho_ddl_skipped_total', '{rule="triggers",tag="CREATE TRIGGER"}')).toBe(1);
    expect(metric(metrics, 'kasho_ddl_skipped_total', '{rule="triggers",tag="ALTER TABLE"}')).toBe(1);
    expect(metric(metrics, 'kasho_ddl_skipped_total', '{rule="privileges",tag="GRANT"}')).toBe(1);
    expect(metric(metrics, 'kasho_ddl_skipped_total', '{rule="routines",tag="CREATE FUNCTION"}')).toBe(2);
    expect(await k.target.query(`SELECT 1 FROM pg_tables WHERE tablename = 'scratch'`)).toHaveLength(0);
    expect(await k.target.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email'`)).toEqual([
      { indexdef: 'CREATE INDEX users_email ON public.users USING btree (email)' },
    ]);
  }, 180_000);

  it('ends the target transaction after DDL: a new enum value used by the next source transaction applies (no 55P04)', async () => {
    await k.translicator.kill('SIGTERM');
    // Written while the translicator is stopped: both source transactions arrive in one batch.
    await k.source.query(`ALTER TYPE user_role ADD VALUE 'owner'`);
    await k.source.query(`UPDATE users SET role = 'owner' WHERE id = 1`);
    await k.source.query(`INSERT INTO t2 VALUES (44)`);
    k.translicator.start();
    await k.waitForEqual(`SELECT id, role::text FROM users ORDER BY id`, 120_000);
    await k.waitForEqual(`SELECT a FROM t2 ORDER BY a`);
    await waitFor(async () => (await k.translicator.health()).status === 200, { timeoutMs: 30_000, intervalMs: 200, what: 'translicator healthy' });
    expect(k.translicator.output.join('\n')).not.toContain('55P04');
  }, 180_000);
});
