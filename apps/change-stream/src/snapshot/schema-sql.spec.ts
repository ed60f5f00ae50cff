import { cleanDumpSql } from './schema-sql';

const DUMP = `--
-- PostgreSQL database dump
--

\\restrict abc123

SET statement_timeout = 0;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.mood AS ENUM ('a');

--
-- Name: kasho_capture_ddl; Type: EVENT TRIGGER; Schema: -; Owner: -
--

CREATE EVENT TRIGGER kasho_capture_ddl ON ddl_command_end
   EXECUTE FUNCTION kasho.capture_ddl();

--
-- Name: EVENT TRIGGER kasho_capture_ddl; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EVENT TRIGGER kasho_capture_ddl IS 'x';

--
-- Name: ddl_log; Type: TABLE; Schema: kasho; Owner: -
--

CREATE TABLE kasho.ddl_log (id int);

--
-- Name: t; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.t (id int);

\\unrestrict abc123
`;

describe('cleanDumpSql', () => {
  it('drops psql meta-commands, event triggers (and their comments) and kasho objects; keeps the rest in order', () => {
    const sql = cleanDumpSql(DUMP);
    expect(sql).not.toMatch(/\\\\(un)?restrict/);
    expect(sql).not.toMatch(/EVENT TRIGGER/);
    expect(sql).not.toMatch(/kasho/);
    expect(sql).toContain('SET statement_timeout = 0;');
    expect(sql.indexOf('CREATE TYPE public.mood')).toBeLessThan(sql.indexOf('CREATE TABLE public.t'));
  });
});
