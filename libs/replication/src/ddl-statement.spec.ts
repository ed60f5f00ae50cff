import { findDdlStatement, isDdlStatement, splitStatements, tagMatchesStatement } from './ddl-statement';

const texts = (q: string) => splitStatements(q).map((s) => s.text);

describe('splitStatements', () => {
  it('splits on top-level semicolons only', () => {
    expect(texts("SELECT 'a;b'; SELECT E'it\\'s;'; SELECT \"we;ird\" FROM t -- c;\n; /* x; /* nested; */ y; */ SELECT 2;")).toEqual([
      "SELECT 'a;b'",
      "SELECT E'it\\'s;'",
      'SELECT "we;ird" FROM t -- c;',
      'SELECT 2',
    ]);
  });

  it('respects dollar quotes, rules with parenthesised actions and BEGIN ATOMIC bodies', () => {
    const q = [
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$',
      'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))',
      'CREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END',
      'SELECT $1::int',
      'SELECT $$;$$',
    ];
    expect(texts(q.join(';\n') + ';')).toEqual(q);
  });

  it('drops empty statements and leading comments', () => {
    expect(texts(' ; -- only a comment\n ;  /* c */ CREATE TABLE x ();;')).toEqual(['CREATE TABLE x ()']);
  });
});

describe('isDdlStatement', () => {
  const ddl = (q: string) => isDdlStatement(splitStatements(q)[0].words);
  it.each([
    'CREATE TABLE t (id int)', 'create unique index i on t (a)', 'ALTER TABLE t ADD c int', 'DROP TABLE IF EXISTS t',
    "COMMENT ON TABLE t IS 'x'", 'GRANT SELECT ON t TO r', 'REVOKE ALL ON t FROM r', 'CREATE USER MAPPING FOR r SERVER s',
    'SELECT * INTO t2 FROM t', 'REFRESH MATERIALIZED VIEW m', 'CREATE OR REPLACE VIEW v AS SELECT 1', 'CREATE PUBLICATION p FOR ALL TABLES', 'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO r',
  ])('%s fires ddl_command_end', (q) => expect(ddl(q)).toBe(true));
  it.each([
    'INSERT INTO t SELECT 1', 'SELECT 1', 'TRUNCATE t', 'CREATE ROLE r', 'CREATE USER u', 'ALTER DATABASE d SET x = 1', 'GRANT r TO u',
    'CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION f()', 'ALTER SYSTEM SET x = 1', "COMMENT ON DATABASE d IS 'x'", 'DO $$ BEGIN END $$',
    'VACUUM t', 'GRANT CONNECT ON DATABASE d TO r', 'REINDEX TABLE t',
  ])('%s does not', (q) => expect(ddl(q)).toBe(false));
});

describe('tagMatchesStatement / findDdlStatement', () => {
  const words = (q: string) => splitStatements(q)[0].words;
  it('matches tags against statements with modifiers', () => {
    expect(tagMatchesStatement('CREATE INDEX', words('CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)'))).toBe(true);
    expect(tagMatchesStatement('CREATE TABLE AS', words('CREATE TEMP TABLE x AS SELECT 1'))).toBe(true);
    expect(tagMatchesStatement('CREATE FUNCTION', words('CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ select 1 $$ LANGUAGE sql'))).toBe(true);
    expect(tagMatchesStatement('SELECT INTO', words('SELECT * INTO t2 FROM t'))).toBe(true);
    expect(tagMatchesStatement('ALTER TABLE', words('CREATE TABLE t ()'))).toBe(false);
  });

  it('takes the ordinal-th DDL statement of a mixed query', () => {
    const q = "UPDATE t SET a = ';'; CREATE TABLE a (x text); INSERT INTO a VALUES ('CREATE TABLE z ()'); CREATE INDEX ON a (x); DROP TABLE old";
    expect(findDdlStatement(q, 1, 'CREATE TABLE')).toEqual({ sql: 'CREATE TABLE a (x text)' });
    expect(findDdlStatement(q, 2, 'CREATE INDEX')).toEqual({ sql: 'CREATE INDEX ON a (x)' });
    expect(findDdlStatement(q, 3, 'DROP TABLE')).toEqual({ sql: 'DROP TABLE old' });
    expect(findDdlStatement(q, 4, 'DROP TABLE')).toHaveProperty('error');
    expect(findDdlStatement(q, 0, 'CREATE TABLE')).toHaveProperty('error');
  });
});
