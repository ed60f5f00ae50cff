import { SqlGrammarError, loadSqlGrammar, splitStatements } from './sql-grammar';

const texts = (q: string) => splitStatements(q).map((s) => s.text);

beforeAll(loadSqlGrammar);

describe('splitStatements (PostgreSQL grammar)', () => {
  it('splits on top-level semicolons only: strings, E strings, identifiers, comments', () => {
    expect(texts("SELECT 'a;b'; SELECT E'it\\'s;'; SELECT \"we;ird\" FROM t -- c;\n; /* x; /* nested; */ y; */ SELECT 2;")).toEqual([
      "SELECT 'a;b'",
      "SELECT E'it\\'s;'",
      'SELECT "we;ird" FROM t -- c;',
      '/* x; /* nested; */ y; */ SELECT 2',
    ]);
  });

  it('respects tagged dollar quotes, rules with several actions and BEGIN ATOMIC bodies', () => {
    const q = [
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$',
      'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))',
      'CREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END',
      'SELECT $1::int',
      'SELECT $a$;$b$;$a$',
    ];
    expect(texts(q.join(';\n') + ';')).toEqual(q);
  });

  it('cuts multi-byte text at the right characters', () => {
    expect(texts("CREATE TABLE ü (a text DEFAULT 'ö;é'); CREATE INDEX ON ü (a)")).toEqual(["CREATE TABLE ü (a text DEFAULT 'ö;é')", 'CREATE INDEX ON ü (a)']);
  });

  it('drops empty statements', () => {
    expect(texts(' ; -- only a comment\n ;  CREATE TABLE x ();;')).toEqual(['CREATE TABLE x ()']);
  });

  it('refuses text that does not parse, without quoting it', () => {
    expect(() => splitStatements("CREATE TABLE ('secret")).toThrow(SqlGrammarError);
    try {
      splitStatements("CREATE TABLE x (a int DEFAULT 'secret' ,, )");
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });
});
