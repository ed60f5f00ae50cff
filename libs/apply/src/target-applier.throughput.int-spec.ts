import { ChangeEnvelope } from '@kasho/contracts';
import { EphemeralPostgres } from '@kasho/testing';
import { Client } from 'pg';
import { applyTransactions, col, insert, rowChange, transaction } from '../test/changes';
import { TargetApplier } from './target-applier';

const ROWS = 100_000;
const PER_TXN = 1000;
const cols = [
  col('id', 'bigint', true, 20),
  col('name'),
  col('email'),
  col('created_at', 'timestamp with time zone', false, 1184),
  col('n', 'integer', false, 23),
];
const DDL = 'CREATE TABLE bench (id bigint PRIMARY KEY, name text, email text, created_at timestamptz, n int)';

/**
 * Applies 100k inserts in 1000-row source transactions (one target transaction each) to a durable
 * target (fsync, synchronous_commit on) and prints rows/s, next to a same-run reference: hand-written
 * `INSERT ... SELECT FROM unnest(...)` of the same rows (stack.md §5: ~215k multi-row VALUES, ~290k unnest).
 * What it asserts is the batching itself, counted by pg_stat_statements (a few statements per
 * 1000-row transaction, not one per row), not a rate: rates depend on the machine and its load, and
 * belong in bench/.
 */
/** How many times statements of `verb` on table bench ran, as pg_stat_statements counted them. */
async function statementCalls(pg: EphemeralPostgres, verb: string): Promise<number> {
  const rows = await pg.query<{ calls: number }>(
    `SELECT coalesce(sum(calls), 0)::int AS calls FROM pg_stat_statements WHERE query ILIKE $1 AND query NOT ILIKE '%pg_stat_statements%'`,
    [`${verb}%bench%`],
  );
  return rows[0].calls;
}

describe('TargetApplier throughput', () => {
  let pg: EphemeralPostgres;

  beforeAll(async () => {
    pg = await EphemeralPostgres.start({
      settings: {
        fsync: 'on',
        synchronous_commit: 'on',
        full_page_writes: 'on',
        shared_buffers: '256MB',
        shared_preload_libraries: 'pg_stat_statements',
      },
    });
    await pg.query(`CREATE EXTENSION pg_stat_statements; ${DDL}; ${DDL.replace('bench', 'reference')}`);
  });

  afterAll(async () => {
    await pg?.stop();
  });

  const row = (i: number) => ({
    id: String(i),
    name: `name ${i}`,
    email: `user${i}@example.com`,
    created_at: '2024-01-02 03:04:05.123456+00',
    n: String(i % 1000),
  });

  it(`applies ${ROWS} inserts in ${PER_TXN}-row transactions`, async () => {
    const batches: ChangeEnvelope[][] = [];
    for (let t = 0; t < ROWS / PER_TXN; t++) {
      batches.push(
        transaction(
          1000 + t * 10,
          Array.from({ length: PER_TXN }, (_, i) => insert('bench', cols, row(t * PER_TXN + i))),
        ),
      );
    }
    const applier = new TargetApplier({ connectionString: pg.url });
    await applier.open();
    const started = process.hrtime.bigint();
    for (const batch of batches) await applyTransactions(applier, batch);
    const applierRate = ROWS / (Number(process.hrtime.bigint() - started) / 1e9);

    // Updates by key are batched too (UPDATE … FROM (VALUES …)), every row must be found.
    const UPDATES = 10_000;
    const updStarted = process.hrtime.bigint();
    for (let t = 0; t < UPDATES / PER_TXN; t++) {
      const updates = Array.from({ length: PER_TXN }, (_, i) => rowChange('update', 'bench', cols, { new: { ...row(t * PER_TXN + i), n: '-1' } }));
      await applyTransactions(applier, transaction(10_000_000 + t * 10, updates));
    }
    const updateRate = UPDATES / (Number(process.hrtime.bigint() - updStarted) / 1e9);
    expect(await pg.query('SELECT count(*)::int AS n FROM bench WHERE n = -1')).toEqual([{ n: UPDATES }]);

    // Deletes by key are batched like inserts (DELETE … WHERE id IN (…)).
    const DELETES = 50_000;
    const delStarted = process.hrtime.bigint();
    for (let t = 0; t < DELETES / PER_TXN; t++) {
      const deletes = Array.from({ length: PER_TXN }, (_, i) => rowChange('delete', 'bench', cols, { old: { id: String(ROWS - 1 - t * PER_TXN - i) } }));
      await applyTransactions(applier, transaction(20_000_000 + t * 10, deletes));
    }
    const deleteRate = DELETES / (Number(process.hrtime.bigint() - delStarted) / 1e9);
    await applier.close();
    expect(await pg.query('SELECT count(*)::int AS n FROM bench')).toEqual([{ n: ROWS - DELETES }]);

    const reference = new Client(pg.clientConfig());
    await reference.connect();
    const refStarted = process.hrtime.bigint();
    for (let t = 0; t < ROWS / PER_TXN; t++) {
      const rows = Array.from({ length: PER_TXN }, (_, i) => row(t * PER_TXN + i));
      await reference.query('BEGIN');
      await reference.query(
        'INSERT INTO reference SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::int[])',
        cols.map((c) => rows.map((r) => r[c.name as keyof typeof r])),
      );
      await reference.query('COMMIT');
    }
    const referenceRate = ROWS / (Number(process.hrtime.bigint() - refStarted) / 1e9);
    await reference.end();

    console.log(
      `apply throughput: TargetApplier ${Math.round(applierRate)} rows/s (multi-row INSERT, ${PER_TXN} rows/txn, durable target); ` +
        `same-run unnest reference ${Math.round(referenceRate)} rows/s; ratio ${(applierRate / referenceRate).toFixed(2)}; ` +
        `updates by key ${Math.round(updateRate)} rows/s; deletes by key ${Math.round(deleteRate)} rows/s`,
    );
    // The batching: a few statements per 1000-row transaction (one per row would be 1000).
    const perTransaction = { insert: ROWS / PER_TXN, update: UPDATES / PER_TXN, delete: DELETES / PER_TXN };
    for (const [verb, transactions] of Object.entries(perTransaction)) {
      const calls = await statementCalls(pg, verb);
      expect(calls).toBeGreaterThan(0);
      expect(calls).toBeLessThanOrEqual(transactions * 4);
    }
  }, 120_000);
});
