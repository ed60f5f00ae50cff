import { relationKey } from '@kasho/contracts';
import { EphemeralPostgres } from '@kasho/testing';
import { Client } from 'pg';
import { readPartitionTrees } from './partition-tree';

describe('readPartitionTrees (a real catalog)', () => {
  let pg: EphemeralPostgres;
  let client: Client;

  beforeAll(async () => {
    pg = await EphemeralPostgres.start();
    await pg.query(`
      CREATE SCHEMA "odd.schema";
      CREATE TABLE public.m (id int, at date, v text) PARTITION BY RANGE (at);
      CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY RANGE (at);
      CREATE TABLE "odd.schema"."m_2024 q1" PARTITION OF public.m_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-04-01');
      CREATE TABLE public.plain (id int);`);
    client = new Client({ connectionString: pg.url });
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    await client?.end();
    await pg?.stop();
  });

  it('gives ancestors nearest first and descendants at any depth; a table the catalog lacks is absent', async () => {
    const trees = await readPartitionTrees(client, [
      { schema: 'odd.schema', table: 'm_2024 q1' },
      { schema: 'public', table: 'm' },
      { schema: 'public', table: 'plain' },
      { schema: 'public', table: 'nope' },
    ]);
    expect(trees.get(relationKey('odd.schema', 'm_2024 q1'))).toEqual({
      ancestors: [
        { schema: 'public', table: 'm_2024' },
        { schema: 'public', table: 'm' },
      ],
      descendants: [],
    });
    expect(trees.get(relationKey('public', 'm'))?.descendants).toEqual(
      expect.arrayContaining([
        { schema: 'public', table: 'm_2024' },
        { schema: 'odd.schema', table: 'm_2024 q1' },
      ]),
    );
    expect(trees.get(relationKey('public', 'plain'))).toEqual({ ancestors: [], descendants: [] });
    expect(trees.has(relationKey('public', 'nope'))).toBe(false);
  });
});
