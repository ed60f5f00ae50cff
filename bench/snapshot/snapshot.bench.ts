/**
 * Initial snapshot speed: Kasho (with FakeName + FakeEmail on users.name and users.email) against
 * `pg_dump | psql` of the same database (schema, data, indexes and foreign keys; no transforms), in one
 * run on the same machine, each into its own empty target. Prints rows/s, MB/s and the ratio.
 * Run: npm run build && npx tsc -p bench/snapshot/tsconfig.json && node bench/snapshot/run.js
 * BENCH_USERS / BENCH_ORDERS change the size (default 200,000 + 800,000 rows, ~100 MB of heap);
 * SNAPSHOT_WORKERS (default 4) is passed to the translicator; BENCH_ROUNDS (default 1) repeats both.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EphemeralPostgres, EphemeralRedis, freePort, waitFor } from '@kasho/testing';

const ROOT = join(__dirname, '../../../..');
const USERS = Number(process.env.BENCH_USERS ?? 200_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 800_000);
const WORKERS = process.env.SNAPSHOT_WORKERS ?? '4';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const TRANSFORMS = `version: v1
tables:
  public.users:
    name: FakeName
    email: {type: FakeEmail, unique: true}
`;

async function fill(source: EphemeralPostgres): Promise<{ rows: number; bytes: number }> {
  await source.query(`
    CREATE TYPE public.plan AS ENUM ('free', 'pro', 'team');
    CREATE TABLE public.users (id bigserial PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE,
      plan public.plan NOT NULL DEFAULT 'free', created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE public.orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES public.users (id),
      amount numeric(12,2) NOT NULL, status text NOT NULL, note text, created_at timestamptz NOT NULL DEFAULT now());
    CREATE INDEX orders_user_idx ON public.orders (user_id);
    INSERT INTO public.users (name, email, plan, created_at)
      SELECT 'First' || g || ' Last' || (g % 997), 'user' || g || '@example.com', (ARRAY['free','pro','team'])[1 + g % 3]::public.plan,
             now() - g * interval '1 minute'
        FROM generate_series(1, ${USERS}) g;
    INSERT INTO public.orders (user_id, amount, status, note, created_at)
      SELECT 1 + g % ${USERS}, (g % 100000) / 100.0, (ARRAY['new','paid','shipped','refunded'])[1 + g % 4],
             'order note ' || md5(g::text), now() - g * interval '1 second'
        FROM generate_series(1, ${ORDERS}) g;`);
  await source.query('VACUUM ANALYZE');
  const [{ bytes }] = await source.query<{ bytes: string }>(
    `SELECT sum(pg_relation_size(c.oid))::text AS bytes FROM pg_class c WHERE c.relname IN ('users', 'orders')`,
  );
  return { rows: USERS + ORDERS, bytes: Number(bytes) };
}

function pgDumpPsql(source: EphemeralPostgres, target: EphemeralPostgres): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(
    'bash',
    ['-o', 'pipefail', '-c', `pg_dump --no-owner --no-privileges -d "${source.url}" | psql -q -v ON_ERROR_STOP=1 -d "${target.url}"`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (result.status !== 0) throw new Error(`pg_dump | psql failed: ${result.stderr.toString()}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function kasho(source: EphemeralPostgres, target: EphemeralPostgres, redis: EphemeralRedis): Promise<{ wall: number; snapshot: number; summary: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kasho-bench-'));
  writeFileSync(join(dir, 'transforms.yml'), process.env.BENCH_NO_TRANSFORMS ? 'version: v1\ntables: {}\n' : TRANSFORMS);
  const [grpc, csHttp, trHttp] = [await freePort(), await freePort(), await freePort()];
  const env = { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info' };
  const changeStream = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof-cs'] : []), join(ROOT, 'pg-change-stream')], {
    env: { ...env, PRIMARY_DATABASE_URL: source.url, KV_URL: redis.url, GRPC_PORT: String(grpc), HTTP_PORT: String(csHttp) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n'));
  changeStream.stdout!.on('data', collect);
  changeStream.stderr!.on('data', collect);
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${csHttp}/health`).catch(() => undefined))?.status === 200, { timeoutMs: 30_000, intervalMs: 50, what: 'pg-change-stream' });
    const started = process.hrtime.bigint();
    const translicator = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), join(ROOT, 'pg-translicator')], {
      env: {
        ...env,
        CHANGE_STREAM_SERVICE: `127.0.0.1:${grpc}`,
        REPLICA_DATABASE_URL: target.url,
        TRANSFORMS_FILE: join(dir, 'transforms.yml'),
        TRANSFORMS_SECRET: 'bench-secret',
        HTTP_PORT: String(trHttp),
        SNAPSHOT_WORKERS: WORKERS,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    translicator.stdout!.on('data', collect);
    translicator.stderr!.on('data', collect);
    try {
      await waitFor(async () => output.some((l) => l.includes('snapshot done:')), { timeoutMs: 600_000, intervalMs: 20, what: 'the snapshot' });
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const time = (re: RegExp) => Date.parse(JSON.parse(output.find((l) => re.test(l))!).time);
      const snapshot = (time(/snapshot done:/) - time(/Initial snapshot:/)) / 1000;
      const summary = JSON.parse(output.find((l) => l.includes('snapshot done:'))!).msg as string;
      if (process.env.BENCH_VERBOSE) {
        const t0 = time(/Initial snapshot:/);
        for (const l of output.filter((x) => x.startsWith('{') && /Snapshot|Capture/.test(x))) {
          const j = JSON.parse(l) as { time: string; msg: string; context?: string };
          console.log(`  +${((Date.parse(j.time) - t0) / 1000).toFixed(2)} s ${j.context ?? ''}: ${j.msg.slice(0, 160)}`);
        }
      }
      return { wall, snapshot, summary };
    } finally {
      if (process.env.BENCH_PROF) {
        const exited = new Promise((resolve) => translicator.once('exit', resolve));
        translicator.kill('SIGTERM');
        await exited;
      } else translicator.kill('SIGKILL');
    }
  } catch (err) {
    console.error(output.slice(-30).join('\n'));
    throw err;
  } finally {
    if (process.env.BENCH_PROF) {
      const exited = new Promise((resolve) => changeStream.once('exit', resolve));
      changeStream.kill('SIGTERM');
      await exited;
    } else changeStream.kill('SIGKILL');
  }
}

export async function main(): Promise<void> {
  const [source, redis] = await Promise.all([EphemeralPostgres.start(), EphemeralRedis.start()]);
  const lines: string[] = [];
  const print = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  try {
    const { rows, bytes } = await fill(source);
    const mb = bytes / 1e6;
    print(`snapshot benchmark: ${rows.toLocaleString('en')} rows (${USERS} users with FakeName + FakeEmail, ${ORDERS} orders), ${mb.toFixed(0)} MB of heap, SNAPSHOT_WORKERS=${WORKERS}, Node ${process.version}`);
    for (let round = 1; round <= ROUNDS; round++) {
      const [a, b] = await Promise.all([EphemeralPostgres.start(), EphemeralPostgres.start()]);
      try {
        const ref = pgDumpPsql(source, a);
        if (round > 1) await redis.restartEmpty();
        const k = await kasho(source, b, redis);
        const row = (name: string, s: number) => `${name.padEnd(44)} ${s.toFixed(2).padStart(6)} s  ${Math.round(rows / s).toLocaleString('en').padStart(9)} rows/s  ${(mb / s).toFixed(1).padStart(6)} MB/s`;
        print(`round ${round}`);
        print(row('(reference) pg_dump | psql, no transforms', ref));
        print(`${row('Kasho snapshot (Prepare → position written)', k.snapshot)}  ${(ref / k.snapshot).toFixed(2)}× pg_dump|psql`);
        print(`${row('Kasho, from translicator start', k.wall)}  ${(ref / k.wall).toFixed(2)}× pg_dump|psql`);
        print(`  translicator: ${k.summary}`);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    }
  } finally {
    await Promise.all([source.stop(), redis.stop()]);
  }
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/snapshot.txt'), `${lines.join('\n')}\n`);
}
