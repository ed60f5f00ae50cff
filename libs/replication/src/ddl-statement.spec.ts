import { loadSqlGrammar, splitStatements } from '@kasho/sql-grammar';
import { findDdlStatement, isDdlStatement, tagMatchesStatement } from './ddl-statement';

beforeAll(loadSqlGrammar);

describe('findDdlStatement on the glued attack of issue 12', () => {
  it('splits the glued attack of issue 12 into three statements', () => {
    const q =
      'CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS $$select 1$$; INSERT INTO users(email) VALUES ($$ceo@corp.example$$); CREATE TABLE t2(a int)';
    expect(splitStatements(q).map((s) => [s.node, s.text])).toEqual([
      ['CreateFunctionStmt', 'CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS $$select 1$$'],
      ['InsertStmt', 'INSERT INTO users(email) VALUES ($$ceo@corp.example$$)'],
      ['CreateStmt', 'CREATE TABLE t2(a int)'],
    ]);
    expect(findDdlStatement(q, 1, 'CREATE FUNCTION')).toEqual({ sql: 'CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS $$select 1$$' });
    expect(findDdlStatement(q, 2, 'CREATE TABLE')).toEqual({ sql: 'CREATE TABLE t2(a int)' });
    expect(findDdlStatement(q, 3, 'CREATE TABLE')).toHaveProperty('error');
  });

  it('fails closed on text the parser refuses, without quoting it', () => {
    expect(findDdlStatement("CREATE TABLE ('secret", 1, 'CREATE TABLE')).toEqual({ error: expect.not.stringContaining('secret') });
  });
});

describe('isDdlStatement', () => {
  const ddl = (q: string) => isDdlStatement(splitStatements(q)[0]);
  it.each([
    'CREATE TABLE t (id int)',
    'create unique index i on t (a)',
    'ALTER TABLE t ADD c int',
    'DROP TABLE IF EXISTS t',
    "COMMENT ON TABLE t IS 'x'",
    'GRANT SELECT ON t TO r',
    'REVOKE ALL ON t FROM r',
    'CREATE USER MAPPING FOR r SERVER s',
    'SELECT * INTO t2 FROM t',
    'REFRESH MATERIALIZED VIEW m',
    'CREATE OR REPLACE VIEW v AS SELECT 1',
    'CREATE PUBLICATION p FOR ALL TABLES',
    'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO r',
    "ALTER TYPE user_role ADD VALUE 'owner'",
    'CREATE TABLE x AS SELECT 1',
    'ALTER TABLE t OWNER TO r',
    'CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()',
    'CREATE EXTENSION hstore',
  ])('%s fires ddl_command_end', (q) => expect(ddl(q)).toBe(true));
  it.each([
    'INSERT INTO t SELECT 1',
    'SELECT 1',
    'TRUNCATE t',
    'CREATE ROLE r',
    'CREATE USER u',
    'ALTER DATABASE d SET x = 1',
    'GRANT r TO u',
    'CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION f()',
    'ALTER SYSTEM SET x = 1',
    "COMMENT ON DATABASE d IS 'x'",
    'DO $$ BEGIN END $$',
    'VACUUM t',
    'GRANT CONNECT ON DATABASE d TO r',
    'REINDEX TABLE t',
    'ALTER ROLE r RENAME TO s',
    'DROP DATABASE d',
    'EXPLAIN SELECT 1',
  ])('%s does not', (q) => expect(ddl(q)).toBe(false));
});

describe('tagMatchesStatement / findDdlStatement', () => {
  const first = (q: string) => splitStatements(q)[0];
  it('matches tags against statements', () => {
    expect(tagMatchesStatement('CREATE INDEX', first('CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)'))).toBe(true);
    expect(tagMatchesStatement('CREATE TABLE AS', first('CREATE TEMP TABLE x AS SELECT 1'))).toBe(true);
    expect(tagMatchesStatement('CREATE FUNCTION', first('CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ select 1 $$ LANGUAGE sql'))).toBe(true);
    expect(tagMatchesStatement('SELECT INTO', first('SELECT * INTO t2 FROM t'))).toBe(true);
    expect(tagMatchesStatement('CREATE MATERIALIZED VIEW', first('CREATE MATERIALIZED VIEW m AS SELECT 1'))).toBe(true);
    expect(tagMatchesStatement('ALTER TABLE', first('CREATE TABLE t ()'))).toBe(false);
    expect(tagMatchesStatement('CREATE TABLE', first('CREATE INDEX ON t (a)'))).toBe(false);
    expect(tagMatchesStatement('REVOKE', first('GRANT SELECT ON t TO r'))).toBe(false);
  });

  it('takes the ordinal-th DDL statement of a mixed query', () => {
    const q = "UPDATE t SET a = ';'; CREATE TABLE a (x text); INSERT INTO a VALUES ('CREATE TABLE z ()'); CREATE INDEX ON a (x); DROP TABLE old";
    expect(findDdlStatement(q, 1, 'CREATE TABLE')).toEqual({ sql: 'CREATE TABLE a (x text)' });
    expect(findDdlStatement(q, 2, 'CREATE INDEX')).toEqual({ sql: 'CREATE INDEX ON a (x)' });
    expect(findDdlStatement(q, 3, 'DROP TABLE')).toEqual({ sql: 'DROP TABLE old' });
    expect(findDdlStatement(q, 4, 'DROP TABLE')).toHaveProperty('error');
    expect(findDdlStatement(q, 0, 'CREATE TABLE')).toHaveProperty('error');
    expect(findDdlStatement(q, 1, 'DROP TABLE')).toHaveProperty('error');
  });
});
