import { lastValueFrom, toArray } from 'rxjs';
import { EphemeralPostgres } from '@kasho/testing';
import { readCopyRange } from './copy-range.reader';
import { readSequences, readTables } from './snapshot-catalog';
import { readForeignKeysOutside, selectionMembership } from './table-selection';

jest.setTimeout(60_000);

/**
 * The table selection against real catalogs: the tables of the pipeline's publications (main and
 * `_inserts`), never the kasho schema; partitioned tables copied once, under the name the stream
 * uses (the root with publish_via_partition_root, else each partition); sequences and foreign keys
 * that follow from it.
 */
describe('table selection (real PostgreSQL)', () => {
  let pg: EphemeralPostgres;
  const names = (tables: { schema: string; table: string }[]) => tables.map((t) => `${t.schema}.${t.table}`).sort();
  const tables = (pubs: string[]) => pg.withClient((c) => readTables(c, pubs));

  beforeAll(async () => {
    pg = await EphemeralPostgres.start();
    await pg.query(`
      CREATE TABLE public.b (id serial PRIMARY KEY);
      CREATE TABLE public.a (id serial PRIMARY KEY, b_id int REFERENCES public.b (id));
      CREATE TABLE public.c (id int PRIMARY KEY, a_id int REFERENCES public.a (id));
      CREATE TABLE public.log (at timestamptz, line text);
      CREATE SEQUENCE public.free_seq;
      CREATE TABLE public.parts (id bigserial, at date NOT NULL, b_id int REFERENCES public.b (id), PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
      CREATE TABLE public.parts_2024 PARTITION OF public.parts FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE public.parts_2025 PARTITION OF public.parts FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      CREATE TABLE public.rparts (id int, at date NOT NULL, note text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
      CREATE TABLE public.rparts_2024 PARTITION OF public.rparts FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE public.rparts_2025 PARTITION OF public.rparts FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY RANGE (id);
      CREATE TABLE public.rparts_2025_lo PARTITION OF public.rparts_2025 FOR VALUES FROM (0) TO (1000);
      CREATE TABLE public.rparts_2025_hi PARTITION OF public.rparts_2025 FOR VALUES FROM (1000) TO (MAXVALUE);
      INSERT INTO public.b SELECT FROM generate_series(1, 10);
      INSERT INTO public.a (b_id) SELECT 1 + g % 10 FROM generate_series(1, 500) g;
      INSERT INTO public.rparts SELECT g, date '2024-06-01' + (g % 400), repeat('x', 200) FROM generate_series(1, 3000) g;
      CREATE SCHEMA kasho;
      CREATE TABLE kasho.ddl_log (id int);
      CREATE PUBLICATION sel FOR TABLE public.a, public.parts, kasho.ddl_log;
      CREATE PUBLICATION sel_inserts FOR TABLE public.log WITH (publish = 'insert, truncate');
      CREATE PUBLICATION via FOR TABLE public.rparts WITH (publish_via_partition_root = true);
      CREATE PUBLICATION leaf FOR TABLE public.rparts_2024;
      ANALYZE;`);
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('lists the tables of both publications, partitions under their own names without publish_via_partition_root, never kasho', async () => {
    const selected = await tables(['sel', 'sel_inserts']);
    expect(names(selected)).toEqual(['public.a', 'public.log', 'public.parts_2024', 'public.parts_2025']);
    expect(selected.every((t) => !t.partitioned)).toBe(true);
    const [a] = selected;
    expect(a.table).toBe('a'); // largest first
    expect(a.bytes).toBeGreaterThan(0);
    expect(a.estimatedRows).toBe(500);
    // A missing companion publication (before it is created) selects nothing more.
    expect(names(await tables(['sel', 'nothing_inserts']))).toEqual(['public.a', 'public.parts_2024', 'public.parts_2025']);
  });

  it('copies a partitioned table published via its root once, as the root, sized by its partitions', async () => {
    const [root] = await tables(['via']);
    expect(names([root])).toEqual(['public.rparts']);
    expect(root.partitioned).toBe(true);
    expect(root.estimatedRows).toBe(3000);
    const largest = await pg.query<{ blocks: string; bytes: string }>(`
      SELECT max(pg_relation_size(relid) / current_setting('block_size')::int)::text AS blocks, sum(pg_relation_size(relid))::text AS bytes
        FROM pg_partition_tree('public.rparts') WHERE isleaf`);
    expect(root.blocks).toBe(Number(largest[0].blocks));
    expect(root.bytes).toBe(Number(largest[0].bytes));
    expect(root.columns.map((c) => `${c.name}${c.key ? '*' : ''}`)).toEqual(['id*', 'at*', 'note']);
    // A partition also listed by another publication is already copied through its root: not twice.
    expect(names(await tables(['via', 'leaf']))).toEqual(['public.rparts']);
    expect(names(await tables(['leaf']))).toEqual(['public.rparts_2024']);
  });

  it('reads a partitioned table through its root in block ranges that together hold every row once', async () => {
    const [root] = await tables(['via']);
    expect(root.blocks).toBeGreaterThan(20);
    // An exported snapshot, held by an open transaction, as the snapshot's slot would hold it.
    await pg.withClient(async (holder) => {
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const { rows } = await holder.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      const read = (startBlock: bigint, endBlock: bigint) =>
        lastValueFrom(
          readCopyRange(
            {
              connectionString: pg.url,
              snapshotId: rows[0].id,
              schema: 'public',
              table: 'rparts',
              partitioned: true,
              columns: ['id', 'at'],
              range: { startBlock, endBlock },
              format: 'text',
            },
            { full: () => false, onDrain: () => undefined },
          ).pipe(toArray()),
        );
      const ids: number[] = [];
      for (const chunks of [await read(0n, 5n), await read(5n, 12n), await read(12n, 0n)]) {
        const lines = Buffer.concat(chunks.map((c) => c.data))
          .toString()
          .split('\n')
          .filter(Boolean);
        expect(chunks.reduce((n, c) => n + c.rows, 0)).toBe(lines.length);
        expect(lines.length).toBeGreaterThan(0);
        ids.push(...lines.map((l) => Number(l.split('\t')[0])));
      }
      expect(ids.length).toBe(3000);
      expect(new Set(ids).size).toBe(3000);
      await holder.query('COMMIT');
    });
  });

  it('says why a table is not one a resync may copy', async () => {
    const of = (pubs: string[], schema: string, table: string) => pg.withClient((c) => selectionMembership(c, pubs, schema, table));
    expect(await of(['sel', 'sel_inserts'], 'public', 'log')).toEqual({ kind: 'unit' });
    expect(await of(['sel', 'sel_inserts'], 'public', 'parts_2025')).toEqual({ kind: 'unit' });
    expect(await of(['sel', 'sel_inserts'], 'public', 'b')).toEqual({ kind: 'outside' });
    expect(await of(['sel', 'sel_inserts'], 'kasho', 'ddl_log')).toEqual({ kind: 'outside' });
    expect(await of(['sel', 'sel_inserts'], 'pg_catalog', 'pg_class')).toEqual({ kind: 'outside' });
    expect(await of(['sel', 'sel_inserts'], 'public', 'parts')).toEqual({ kind: 'partitions-are-units' });
    expect(await of(['via'], 'public', 'rparts_2025_hi')).toEqual({ kind: 'partition-of-unit', root: 'public.rparts' });
    expect(await of(['via'], 'public', 'rparts')).toEqual({ kind: 'unit' });
  });

  it('syncs the sequences of selected tables and free-standing ones, not those of tables outside', async () => {
    const sequences = await pg.withClient((c) => readSequences(c, ['sel', 'sel_inserts']));
    expect(sequences.map((s) => `${s.schema}.${s.name}`).sort()).toEqual(['public.a_id_seq', 'public.free_seq', 'public.parts_id_seq']);
  });

  it('finds the foreign keys of copied rows that reference rows outside the selection', async () => {
    const keys = await pg.withClient((c) => readForeignKeysOutside(c, ['sel', 'sel_inserts']));
    // c → a is not listed: c's rows do not travel, so it is empty on the target and valid.
    expect(keys).toEqual([
      { schema: 'public', table: 'a', constraint: 'a_b_id_fkey', partitioned: false, references: 'b' },
      { schema: 'public', table: 'parts', constraint: 'parts_b_id_fkey', partitioned: true, references: 'b' },
    ]);
    await pg.query('ALTER PUBLICATION sel ADD TABLE public.b');
    expect(await pg.withClient((c) => readForeignKeysOutside(c, ['sel', 'sel_inserts']))).toEqual([]);
    await pg.query('ALTER PUBLICATION sel DROP TABLE public.b');
  });
});
