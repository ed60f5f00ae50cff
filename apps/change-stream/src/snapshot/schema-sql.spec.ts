import { relationKey } from '@kasho/contracts';
import { cleanDumpSql, splitPostDataSql } from './schema-sql';

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

const POST_DATA = `--
-- PostgreSQL database dump
--

\\restrict abc123

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: Odd "T" odd_key; Type: CONSTRAINT; Schema: My Schema; Owner: -
--

ALTER TABLE ONLY "My Schema"."Odd ""T"""
    ADD CONSTRAINT odd_key UNIQUE (a);


--
-- Name: orders_user_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX orders_user_idx ON public.orders USING btree (user_id);

ALTER TABLE public.orders CLUSTER ON orders_user_idx;


--
-- Name: by lower name; Type: INDEX; Schema: My Schema; Owner: -
--

CREATE UNIQUE INDEX "by lower name" ON "My Schema"."Odd ""T""" USING btree (lower(a));


--
-- Name: mv_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX mv_idx ON public.mv USING btree (id);


--
-- Name: parent_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX parent_idx ON ONLY public.parent USING btree (id);


--
-- Name: orders orders_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: orders orders_shop_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_shop_fkey FOREIGN KEY (shop_id) REFERENCES public.shops(id);


--
-- Name: parent "parent shop"; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.parent
    ADD CONSTRAINT "parent shop" FOREIGN KEY (shop_id) REFERENCES public.shops(id);


--
-- PostgreSQL database dump complete
--

\\unrestrict abc123
`;

describe('splitPostDataSql', () => {
  const tables = [
    { schema: 'public', table: 'orders' },
    { schema: 'public', table: 'users' },
    { schema: 'My Schema', table: 'Odd "T"' },
  ];

  it("gives each table its own indexes and key constraints, after the dump's preamble, in dump order", () => {
    const { byTable } = splitPostDataSql(POST_DATA, tables);
    expect([...byTable.keys()].sort()).toEqual([relationKey('My Schema', 'Odd "T"'), relationKey('public', 'orders')].sort());
    const orders = byTable.get(relationKey('public', 'orders'))!;
    expect(orders.startsWith('--\n-- PostgreSQL database dump')).toBe(true);
    expect(orders).toContain("SELECT pg_catalog.set_config('search_path', '', false);");
    expect(orders.indexOf('ADD CONSTRAINT orders_pkey')).toBeLessThan(orders.indexOf('CREATE INDEX orders_user_idx'));
    expect(orders).toContain('CLUSTER ON orders_user_idx');
    expect(orders).not.toMatch(/FOREIGN KEY|Odd|mv_idx|restrict/);
    const odd = byTable.get(relationKey('My Schema', 'Odd "T"'))!;
    expect(odd).toContain('ADD CONSTRAINT odd_key');
    expect(odd).toContain('CREATE UNIQUE INDEX "by lower name"');
  });

  it('leaves foreign keys and the objects of relations outside the snapshot in the rest, cleaned', () => {
    const { rest } = splitPostDataSql(POST_DATA, tables);
    expect(rest).toContain('SET statement_timeout = 0;');
    expect(rest).toContain('CREATE INDEX mv_idx ON public.mv');
    expect(rest).toContain('CREATE INDEX parent_idx ON ONLY public.parent');
    expect(rest).toContain('ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY');
    expect(rest).not.toMatch(/orders_pkey|orders_user_idx|odd_key|by lower name|restrict/);
  });

  it('keeps everything in the rest when no table is given (a resync has no post-data)', () => {
    const { rest, byTable } = splitPostDataSql(POST_DATA, []);
    expect(byTable.size).toBe(0);
    expect(rest).toBe(cleanDumpSql(POST_DATA));
  });
});

describe('splitPostDataSql with foreign keys to rows outside the table selection', () => {
  const outside = [
    { schema: 'public', table: 'orders', constraint: 'orders_shop_fkey', partitioned: false, references: 'shops' },
    { schema: 'public', table: 'parent', constraint: 'parent shop', partitioned: true, references: 'shops' },
  ];

  it('adds such a key NOT VALID, leaves it out on a partitioned table, and keeps every other key as it is', () => {
    const { rest } = splitPostDataSql(POST_DATA, [{ schema: 'public', table: 'orders' }], outside);
    expect(rest).toContain('ADD CONSTRAINT orders_shop_fkey FOREIGN KEY (shop_id) REFERENCES public.shops(id) NOT VALID;');
    expect(rest).toContain('ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);');
    expect(rest).not.toMatch(/parent shop|ALTER TABLE public\.parent/);
    expect(rest).toContain('a foreign key left out');
    expect(rest.indexOf('orders_user_id_fkey')).toBeLessThan(rest.indexOf('orders_shop_fkey'));
  });

  it('changes nothing without such keys', () => {
    expect(splitPostDataSql(POST_DATA, [], []).rest).toBe(cleanDumpSql(POST_DATA));
  });
});
