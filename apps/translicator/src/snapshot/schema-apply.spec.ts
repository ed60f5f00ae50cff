import { droppedTables } from './schema-apply';

describe('droppedTables', () => {
  it('lists the tables pg_dump --clean drops, quoted as in the dump, and nothing else it drops', () => {
    const preData = [
      'SET statement_timeout = 0;',
      'DROP TABLE IF EXISTS public.m_2024;',
      'DROP TABLE IF EXISTS "My Schema"."Odd ""T""";',
      'DROP SEQUENCE IF EXISTS public.b_id_seq;',
      'DROP TABLE IF EXISTS public.b;',
      'DROP VIEW IF EXISTS public.v;',
      "CREATE TABLE public.t (note text DEFAULT 'DROP TABLE IF EXISTS public.x;');",
    ].join('\n');
    expect(droppedTables(preData)).toEqual(['public.m_2024', '"My Schema"."Odd ""T"""', 'public.b']);
    expect(droppedTables('')).toEqual([]);
  });
});
