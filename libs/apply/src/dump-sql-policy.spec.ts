import { loadSqlGrammar } from '@kasho/sql-grammar';
import { DdlPolicyError } from './ddl-policy';
import { applyPolicyToDumpSql } from './dump-sql-policy';

beforeAll(loadSqlGrammar);

/** pg_dump --schema-only --no-owner --no-privileges --clean --if-exists output (PostgreSQL 15), meta-commands removed. */
const DUMP = `--
-- PostgreSQL database dump
--
SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
DROP TRIGGER IF EXISTS tr2 ON public.users2;
DROP TABLE IF EXISTS public.users2;
DROP FUNCTION IF EXISTS public.f2();
DROP EXTENSION IF EXISTS hstore;
--
-- Name: hstore; Type: EXTENSION; Schema: -; Owner: -
--
CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public;
COMMENT ON EXTENSION hstore IS 'data type for storing sets of (key, value) pairs';
CREATE FUNCTION public.f2() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NEW; END $$;
SET default_table_access_method = heap;
CREATE TABLE public.users2 (
    id integer NOT NULL,
    email text DEFAULT 'x;y'::text -- a comment; with a semicolon
);
CREATE MATERIALIZED VIEW public.mv AS
 SELECT 1 AS one
  WITH NO DATA;
ALTER TABLE ONLY public.users2
    ADD CONSTRAINT users2_pkey PRIMARY KEY (id);
CREATE TRIGGER tr2 BEFORE INSERT ON public.users2 FOR EACH ROW EXECUTE FUNCTION public.f2();
ALTER TABLE public.users2 ENABLE ALWAYS TRIGGER tr2;
CREATE RULE r AS ON DELETE TO public.users2 DO INSTEAD NOTHING;
`;

describe('applyPolicyToDumpSql', () => {
  it('keeps session settings and schema, skips functions, triggers, rules and extensions', () => {
    const { sql, skipped } = applyPolicyToDumpSql(DUMP);
    expect(skipped).toEqual([
      { rule: 'triggers', node: 'DropStmt' },
      { rule: 'routines', node: 'DropStmt' },
      { rule: 'extensions', node: 'DropStmt' },
      { rule: 'extensions', node: 'CreateExtensionStmt' },
      { rule: 'extensions', node: 'CommentStmt' },
      { rule: 'routines', node: 'CreateFunctionStmt' },
      { rule: 'triggers', node: 'CreateTrigStmt' },
      { rule: 'triggers', node: 'AlterTableStmt' },
      { rule: 'rules', node: 'RuleStmt' },
    ]);
    expect(sql).toContain("SELECT pg_catalog.set_config('search_path', '', false)\n;\n");
    expect(sql).toContain("email text DEFAULT 'x;y'::text -- a comment; with a semicolon\n)\n;\n");
    expect(sql).toContain('ADD CONSTRAINT users2_pkey PRIMARY KEY (id)\n;\n');
    expect(sql).not.toMatch(/FUNCTION public\.f2\(\) RETURNS|CREATE TRIGGER|ENABLE ALWAYS|EXTENSION|CREATE RULE/);
    // What is kept parses back to exactly the kept statements.
    expect(applyPolicyToDumpSql(sql)).toEqual({ sql, skipped: [], droppedSettings: [] });
  });

  it('refuses a query in schema SQL', () => {
    expect(() => applyPolicyToDumpSql('SELECT public.f2()')).toThrow(DdlPolicyError);
    expect(() => applyPolicyToDumpSql("SELECT pg_catalog.set_config('x', 'y', false) FROM pg_class")).toThrow(DdlPolicyError);
  });

  it("leaves out a SET of a parameter the target has not got (pg_dump 17's transaction_timeout on an older target), nothing else", () => {
    const preamble = `SET statement_timeout = 0;
SET transaction_timeout = 0;
SET Transaction_Timeout TO 0;
SET myext.flag = on;
SET search_path TO DEFAULT;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE TABLE public.t (id int);
`;
    const before17 = new Set(['statement_timeout', 'search_path', 'client_encoding']);
    const { sql, droppedSettings } = applyPolicyToDumpSql(preamble, before17);
    expect(droppedSettings).toEqual(['transaction_timeout', 'transaction_timeout']);
    expect(sql).not.toMatch(/transaction_timeout/i);
    expect(sql).toContain('SET statement_timeout = 0\n;\n');
    expect(sql).toContain('SET myext.flag = on\n;\n');
    expect(sql).toContain('SET search_path TO DEFAULT\n;\n');
    expect(sql).toContain('CREATE TABLE public.t (id int)\n;\n');
    // A target that has it keeps it; without the target's settings every SET is kept.
    expect(applyPolicyToDumpSql(preamble, new Set([...before17, 'transaction_timeout'])).droppedSettings).toEqual([]);
    expect(applyPolicyToDumpSql(preamble).sql).toContain('SET transaction_timeout = 0\n;\n');
  });
});
