import type { DdlChange } from '@kasho/contracts';
import { DdlPolicyError, decideDdl, loadDdlPolicy } from './ddl-policy';

const ddl = (sql: string, object = 'public.x'): DdlChange => ({ kind: 'ddl', sql, searchPath: 'public', tag: '', object });
const decide = (sql: string, object?: string) => decideDdl(ddl(sql, object));

beforeAll(loadDdlPolicy);

describe('decideDdl', () => {
  it.each([
    "CREATE TABLE t (id int PRIMARY KEY, email text DEFAULT 'x' CHECK (email <> ''))",
    'ALTER TABLE t ADD COLUMN phone text',
    'CREATE UNIQUE INDEX i ON t (email)',
    'DROP TABLE t',
    "CREATE TYPE user_role AS ENUM ('admin', 'user')",
    "ALTER TYPE user_role ADD VALUE 'owner'",
    'CREATE VIEW v AS SELECT id FROM t',
    'CREATE SEQUENCE s',
    'CREATE SCHEMA app',
    "COMMENT ON TABLE t IS 'x'",
    'ALTER TABLE t RENAME TO u',
    'CREATE DOMAIN d AS int CHECK (VALUE > 0)',
  ])('replays %s as it is', (sql) => expect(decide(sql)).toEqual({ action: 'replay', sql }));

  it.each([
    ['GRANT SELECT ON t TO reader', 'privileges'],
    ['REVOKE ALL ON t FROM PUBLIC', 'privileges'],
    ['ALTER TABLE t OWNER TO app', 'privileges'],
    ['ALTER FUNCTION f() OWNER TO app', 'privileges'],
    ['ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO reader', 'privileges'],
    ['CREATE POLICY p ON t USING (true)', 'privileges'],
    ['ALTER TABLE t ENABLE ROW LEVEL SECURITY', 'privileges'],
    ['CREATE TEMP TABLE tmp (a int)', 'temporary'],
    ['CREATE TEMPORARY VIEW tv AS SELECT 1', 'temporary'],
    ['CREATE TEMP TABLE tmp2 AS SELECT 1', 'temporary'],
    ['CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS $$select 1$$', 'routines'],
    ['CREATE OR REPLACE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN END $$', 'routines'],
    ['CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END', 'routines'],
    ['DROP FUNCTION f()', 'routines'],
    ['ALTER FUNCTION f() RENAME TO g', 'routines'],
    ["COMMENT ON FUNCTION f() IS 'x'", 'routines'],
    ['CREATE AGGREGATE a (int) (sfunc = int4pl, stype = int)', 'routines'],
    ['CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()', 'triggers'],
    ['ALTER TABLE t ENABLE ALWAYS TRIGGER tr', 'triggers'],
    ['ALTER TABLE t ENABLE REPLICA TRIGGER tr', 'triggers'],
    ['DROP TRIGGER tr ON t', 'triggers'],
    ['CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); DELETE FROM b)', 'rules'],
    ['ALTER TABLE t ENABLE ALWAYS RULE r', 'rules'],
    ['CREATE EXTENSION hstore', 'extensions'],
    ['DROP EXTENSION hstore', 'extensions'],
    ["CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h')", 'foreign-data'],
    ["CREATE USER MAPPING FOR app SERVER s OPTIONS (password 'p')", 'foreign-data'],
    ['CREATE PUBLICATION p FOR ALL TABLES', 'replication-settings'],
    ['REFRESH MATERIALIZED VIEW m', 'refresh'],
  ])('skips %s (%s)', (sql, rule) => expect(decide(sql)).toEqual({ action: 'skip', rule }));

  it('skips whatever the event trigger placed in a temporary schema', () => {
    expect(decide('ALTER TABLE tmp ADD COLUMN b int', 'pg_temp.tmp')).toEqual({ action: 'skip', rule: 'temporary' });
  });

  it('creates materialized views and CREATE TABLE AS WITH NO DATA: their query never runs on the target', () => {
    expect(decide('CREATE MATERIALIZED VIEW m AS SELECT f()')).toEqual({ action: 'replay', sql: 'CREATE MATERIALIZED VIEW m AS SELECT f()\nWITH NO DATA' });
    expect(decide('CREATE MATERIALIZED VIEW m AS SELECT 1 with  data')).toEqual({
      action: 'replay',
      sql: 'CREATE MATERIALIZED VIEW m AS SELECT 1 WITH NO DATA',
    });
    expect(decide('CREATE TABLE c AS SELECT * FROM t -- note')).toEqual({ action: 'replay', sql: 'CREATE TABLE c AS SELECT * FROM t -- note\nWITH NO DATA' });
    expect(decide('CREATE TABLE c AS SELECT 1 WITH NO DATA')).toEqual({ action: 'replay', sql: 'CREATE TABLE c AS SELECT 1 WITH NO DATA' });
    expect(() => decide('SELECT * INTO c FROM t')).toThrow(DdlPolicyError);
  });

  it('builds and drops indexes without CONCURRENTLY (the apply transaction is a transaction block)', () => {
    expect(decide('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (email)')).toEqual({
      action: 'replay',
      sql: 'CREATE UNIQUE INDEX  IF NOT EXISTS i ON t (email)',
    });
    expect(decide('drop index concurrently if exists i')).toEqual({ action: 'replay', sql: 'drop index  if exists i' });
    expect(() => decide('CREATE INDEX /* CONCURRENTLY */ CONCURRENTLY i ON t (a)')).toThrow(/without CONCURRENTLY/);
  });

  it('refuses anything but exactly one statement, without quoting it', () => {
    const glued = "CREATE TABLE t2 (a int); INSERT INTO users (email) VALUES ('ceo@corp.example')";
    expect(() => decide(glued)).toThrow(/holds 2 statements/);
    expect(() => decide(' -- nothing')).toThrow(/holds 0 statements/);
    expect(() => decide("CREATE TABLE ('ceo@corp.example'")).toThrow(DdlPolicyError);
    try {
      decide("CREATE TABLE ('ceo@corp.example'");
    } catch (err) {
      expect((err as Error).message).not.toContain('ceo@');
    }
  });

  it('refuses an ALTER TABLE that mixes skipped and replayed subcommands', () => {
    expect(() => decide('ALTER TABLE t ENABLE ALWAYS TRIGGER tr, ADD COLUMN x int')).toThrow(/mixes subcommands/);
    expect(decide('ALTER TABLE t DISABLE TRIGGER a, ENABLE ALWAYS TRIGGER b')).toEqual({ action: 'skip', rule: 'triggers' });
  });
});
