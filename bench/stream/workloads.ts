/** The source-side workloads of the stream benchmark; each runs against one source database. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EphemeralPostgres, findBinary, postgresBinDirs } from '@kasho/testing';

/** items: the replicated rows (FakeName on name, FakeEmail on email under Kasho); marker: end of a workload; lat: latency probes. */
export const SCHEMA = `
  CREATE TABLE public.items (id bigserial PRIMARY KEY, name text NOT NULL, email text NOT NULL, n integer NOT NULL DEFAULT 0, note text);
  CREATE TABLE public.marker (id integer PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp());
  CREATE TABLE public.lat (id bigint PRIMARY KEY, src_at timestamptz NOT NULL DEFAULT clock_timestamp());`;

const ROW = `'First' || g || ' Last' || (g % 997), 'user' || g || '@example.com', 0, md5(g::text)`;

export async function createSourceDatabase(source: EphemeralPostgres, db: string, preload = 0): Promise<void> {
  await source.query(`CREATE DATABASE ${db}`);
  await source.withClient(async (c) => {
    await c.query(SCHEMA);
    if (preload > 0) {
      await c.query(`INSERT INTO public.items (id, name, email, n, note) SELECT g, ${ROW} FROM generate_series(1, ${preload}) g`);
      await c.query(`SELECT setval('public.items_id_seq', ${preload})`);
      await c.query('VACUUM ANALYZE public.items');
    }
  }, db);
}

/** `rows` inserts in transactions of `perTx` rows, one client. */
export async function insertBatches(source: EphemeralPostgres, db: string, rows: number, perTx: number): Promise<void> {
  await source.withClient(async (c) => {
    for (let from = 1; from <= rows; from += perTx) {
      const to = Math.min(rows, from + perTx - 1);
      await c.query(`INSERT INTO public.items (id, name, email, n, note) SELECT g, ${ROW} FROM generate_series($1::bigint, $2::bigint) g`, [from, to]);
    }
    await c.query(`SELECT setval('public.items_id_seq', ${rows})`);
  }, db);
}

/** One UPDATE of every row of items. */
export async function updateAll(source: EphemeralPostgres, db: string): Promise<number> {
  return source.withClient(async (c) => (await c.query(`UPDATE public.items SET n = n + 1, note = md5(note)`)).rowCount ?? 0, db);
}

export function pgbenchPath(): string | undefined {
  return findBinary('pgbench', postgresBinDirs());
}

/** `clients × perClient` one-row INSERT transactions from concurrent clients: pgbench when found, else node pg clients. */
export async function smallTransactions(source: EphemeralPostgres, db: string, clients: number, perClient: number): Promise<void> {
  const pgbench = pgbenchPath();
  const sql = `INSERT INTO public.items (name, email) VALUES ('First' || :client_id || ' Last', 'client' || :client_id || '@example.com');\n`;
  if (pgbench) {
    const dir = mkdtempSync(join(tmpdir(), 'kasho-bench-pgbench-'));
    try {
      writeFileSync(join(dir, 'insert.sql'), sql);
      const args = ['-n', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-t', String(perClient), '-f', join(dir, 'insert.sql')];
      const child = spawn(pgbench, [...args, '-h', '127.0.0.1', '-p', String(source.port), '-U', 'postgres', db], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      if (code !== 0) throw new Error(`pgbench failed (${code}): ${stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  await Promise.all(
    Array.from({ length: clients }, (_, i) =>
      source.withClient(async (c) => {
        for (let t = 0; t < perClient; t++) {
          await c.query(`INSERT INTO public.items (name, email) VALUES ($1, $2)`, [`First${i} Last`, `client${i}@example.com`]);
        }
      }, db),
    ),
  );
}

/** Commits the end marker of a workload: every change before it is applied once the target holds it. */
export async function commitMarker(source: EphemeralPostgres, db: string, id: number): Promise<void> {
  await source.withClient((c) => c.query('INSERT INTO public.marker (id) VALUES ($1)', [id]), db);
}

/** Polls the target until it holds the marker; bounded. Resolves with the time it was seen (performance.now()). */
export async function markerVisible(target: EphemeralPostgres, db: string, id: number, timeoutMs: number): Promise<number> {
  const client = new Client(target.clientConfig(db));
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await client.query('SELECT 1 FROM public.marker WHERE id = $1', [id]);
      if (rows.length > 0) return performance.now();
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`the target did not receive marker ${id} of ${db} within ${timeoutMs} ms`);
  } finally {
    await client.end();
  }
}
