/**
 * Initial snapshot speed: Kasho (with FakeName + FakeEmail on users.name and users.email) against
 * `pg_dump | psql` of the same database (schema, data, indexes and foreign keys; no transforms), in one
 * run on the same machine, each into its own empty target. Prints rows/s, MB/s and the ratio.
 * Run: npm run build && npx tsc -p bench/snapshot/tsconfig.json && node bench/snapshot/run.js
 * BENCH_USERS / BENCH_ORDERS change the size (default 200,000 + 800,000 rows, ~100 MB of heap);
 * SNAPSHOT_WORKERS (default 4) is passed to the translicator; BENCH_ROUNDS (default 1) repeats both;
 * BENCH_ENV (a JSON object) adds environment variables to both services. See bench/README.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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

const TICKS = 100; // USER_HZ on Linux

/** The numeric fields of /proc/<pid>/stat after "(comm) ": state=0 (NaN), ppid=1 … utime=11 stime=12 cutime=13 cstime=14. */
function procStat(pid: number | string): number[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
}

/** CPU seconds of a process (all its threads), plus those of its waited-for children when asked. */
function cpuSeconds(pid: number | 'self', children = false): number {
  const f = procStat(pid);
  return (f[11] + f[12] + (children ? f[13] + f[14] : 0)) / TICKS;
}

/** The postmaster's own CPU, that of its exited (reaped) backends and that of the live ones. */
function serverCpu(pg: EphemeralPostgres): number {
  const postmaster = Number(readFileSync(join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = cpuSeconds(postmaster, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (procStat(entry)[1] === postmaster) total += cpuSeconds(Number(entry), true);
    } catch {
      // the process exited meanwhile
    }
  }
  return total;
}

/** "name a.aa, name b.bb, …": the CPU seconds used between two readings. */
function cpuDelta(names: string[], before: number[], after: number[]): string {
  return names.map((name, i) => `${name} ${(after[i] - (before[i] ?? 0)).toFixed(2)}`).join(', ');
}

/** Lets closed backends exit and be reaped, so their CPU shows in the postmaster's children time. */
const reaped = () => new Promise((resolve) => setTimeout(resolve, 300));

/** BENCH_PERF=<file>: a system-wide `perf record` until the returned function is called. */
function startPerf(file: string | undefined): () => Promise<void> {
  if (!file) return async () => undefined;
  const perf = spawn('perf', ['record', '-a', '-q', '-o', file], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => {
    perf.once('exit', () => resolve());
    perf.once('error', (err) => (console.error(`BENCH_PERF: ${err.message}`), resolve()));
  });
  return async () => {
    perf.kill('SIGINT');
    await exited;
  };
}

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

async function pgDumpPsql(source: EphemeralPostgres, target: EphemeralPostgres): Promise<{ wall: number; cpu: string }> {
  const before = [serverCpu(source), serverCpu(target), cpuSeconds('self', true) - cpuSeconds('self')];
  const started = process.hrtime.bigint();
  const result = spawnSync(
    'bash',
    ['-o', 'pipefail', '-c', `pg_dump --no-owner --no-privileges -d "${source.url}" | psql -q -v ON_ERROR_STOP=1 -d "${target.url}"`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (result.status !== 0) throw new Error(`pg_dump | psql failed: ${result.stderr.toString()}`);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  await reaped();
  const after = [serverCpu(source), serverCpu(target), cpuSeconds('self', true) - cpuSeconds('self')];
  return { wall, cpu: cpuDelta(['source pg', 'target pg', 'pg_dump+psql'], before, after) };
}

async function kasho(
  source: EphemeralPostgres,
  target: EphemeralPostgres,
  redis: EphemeralRedis,
): Promise<{ wall: number; snapshot: number; summary: string; cpu: string; inWindow: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kasho-bench-'));
  writeFileSync(join(dir, 'transforms.yml'), process.env.BENCH_NO_TRANSFORMS ? 'version: v1\ntables: {}\n' : TRANSFORMS);
  const [grpc, csHttp, trHttp] = [await freePort(), await freePort(), await freePort()];
  // Both services share a generated CHANGE_STREAM_TOKEN, as in production (docs/security.md).
  const env = {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'info',
    CHANGE_STREAM_TOKEN: randomBytes(32).toString('hex'),
    ...(process.env.BENCH_ENV ? (JSON.parse(process.env.BENCH_ENV) as Record<string, string>) : {}),
  };
  const changeStream = spawn(
    process.execPath,
    [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof-cs'] : []), join(ROOT, 'pg-change-stream')],
    {
      env: { ...env, PRIMARY_DATABASE_URL: source.url, KV_URL: redis.url, GRPC_PORT: String(grpc), HTTP_PORT: String(csHttp) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  let translicatorPid: number | undefined;
  const parts = () => [serverCpu(source), serverCpu(target), cpuSeconds(changeStream.pid!), cpuSeconds(translicatorPid!)];
  // CPU of every part when the translicator logs "Initial snapshot", for the CPU inside the snapshot window.
  let atSnapshotStart: number[] | undefined;
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    if (!atSnapshotStart && translicatorPid && text.includes('Initial snapshot:')) atSnapshotStart = parts();
    output.push(...text.split('\n'));
  };
  changeStream.stdout!.on('data', collect);
  changeStream.stderr!.on('data', collect);
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${csHttp}/health`).catch(() => undefined))?.status === 200, {
      timeoutMs: 30_000,
      intervalMs: 50,
      what: 'pg-change-stream',
    });
    const before = [serverCpu(source), serverCpu(target), cpuSeconds(changeStream.pid!)];
    const started = process.hrtime.bigint();
    const startedAt = Date.now();
    // For `perf report -i <file> --sort comm,sym`.
    const stopPerf = startPerf(process.env.BENCH_PERF);
    // BENCH_VERBOSE: CPU seconds used per 250 ms by each part, to see which one is the bottleneck when.
    const samples: number[][] = [];
    const sampler = setInterval(() => {
      try {
        samples.push([
          Number(process.hrtime.bigint() - started) / 1e9,
          serverCpu(source),
          serverCpu(target),
          cpuSeconds(changeStream.pid!),
          cpuSeconds(translicator.pid!),
          procStat(changeStream.pid!)[7],
          procStat(translicator.pid!)[7],
        ]);
      } catch {
        // a process exited meanwhile
      }
    }, 250);
    const translicator = spawn(
      process.execPath,
      [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), join(ROOT, 'pg-translicator')],
      {
        env: {
          ...env,
          CHANGE_STREAM_SERVICE: `127.0.0.1:${grpc}`,
          REPLICA_DATABASE_URL: target.url,
          TRANSFORMS_FILE: join(dir, 'transforms.yml'),
          TRANSFORMS_SECRET: 'bench-transforms-secret-0123456789abcdef',
          HTTP_PORT: String(trHttp),
          SNAPSHOT_WORKERS: WORKERS,
          ...(process.env.SNAPSHOT_TRANSFORM_THREADS ? { SNAPSHOT_TRANSFORM_THREADS: process.env.SNAPSHOT_TRANSFORM_THREADS } : {}),
          ...(process.env.SNAPSHOT_COPY_FORMAT ? { SNAPSHOT_COPY_FORMAT: process.env.SNAPSHOT_COPY_FORMAT } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    translicatorPid = translicator.pid;
    translicator.stdout!.on('data', collect);
    translicator.stderr!.on('data', collect);
    try {
      await waitFor(async () => output.some((l) => l.includes('snapshot done:')), { timeoutMs: 600_000, intervalMs: 20, what: 'the snapshot' });
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(sampler);
      await reaped();
      const after = parts();
      const inWindow = atSnapshotStart ? after.reduce((sum, v, i) => sum + v - atSnapshotStart![i], 0) : NaN;
      const faults = [changeStream.pid!, translicator.pid!].map((pid) => procStat(pid)[7]);
      const cpu = `${cpuDelta(['source pg', 'target pg', 'change-stream', 'translicator'], before, after)}; page faults since start: change-stream ${faults[0]}, translicator ${faults[1]}`;
      const time = (re: RegExp) => Date.parse(JSON.parse(output.find((l) => re.test(l))!).time);
      const snapshot = (time(/snapshot done:/) - time(/Initial snapshot:/)) / 1000;
      const summary = JSON.parse(output.find((l) => l.includes('snapshot done:'))!).msg as string;
      if (process.env.BENCH_VERBOSE) {
        console.log(
          '  CPU seconds per interval since translicator start: source pg, target pg, change-stream, translicator; then page faults: change-stream, translicator',
        );
        for (let i = 1; i < samples.length; i++) {
          const d = samples[i].slice(1).map((v, j) => (v - samples[i - 1][j + 1]).toFixed(j < 4 ? 2 : 0));
          console.log(`  ${samples[i][0].toFixed(2)} s  ${d.join('  ')}`);
        }
        const t0 = time(/Initial snapshot:/);
        console.log(`  log lines, from "Initial snapshot" (${((t0 - startedAt) / 1000).toFixed(2)} s after translicator start):`);
        for (const l of output.filter((x) => x.startsWith('{') && /Snapshot|Capture/.test(x))) {
          const j = JSON.parse(l) as { time: string; msg: string; context?: string };
          console.log(`  +${((Date.parse(j.time) - t0) / 1000).toFixed(2)} s ${j.context ?? ''}: ${j.msg.slice(0, 160)}`);
        }
      }
      return { wall, snapshot, summary, cpu, inWindow };
    } finally {
      clearInterval(sampler);
      await stopPerf();
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
    print(
      `snapshot benchmark: ${rows.toLocaleString('en')} rows (${USERS} users with FakeName + FakeEmail, ${ORDERS} orders), ${mb.toFixed(0)} MB of heap, SNAPSHOT_WORKERS=${WORKERS}, Node ${process.version}`,
    );
    for (let round = 1; round <= ROUNDS; round++) {
      const [a, b] = await Promise.all([EphemeralPostgres.start(), EphemeralPostgres.start()]);
      try {
        const ref = await pgDumpPsql(source, a);
        if (round > 1) await redis.restartEmpty();
        const k = await kasho(source, b, redis);
        const row = (name: string, s: number) =>
          `${name.padEnd(44)} ${s.toFixed(2).padStart(6)} s  ${Math.round(rows / s)
            .toLocaleString('en')
            .padStart(9)} rows/s  ${(mb / s).toFixed(1).padStart(6)} MB/s`;
        print(`round ${round}`);
        print(row('(reference) pg_dump | psql, no transforms', ref.wall));
        print(`${row('Kasho snapshot (Prepare → position written)', k.snapshot)}  ${(ref.wall / k.snapshot).toFixed(2)}× pg_dump|psql`);
        print(`${row('Kasho, from translicator start', k.wall)}  ${(ref.wall / k.wall).toFixed(2)}× pg_dump|psql`);
        print(`  translicator: ${k.summary}`);
        print(`  CPU seconds, pg_dump | psql: ${ref.cpu}`);
        print(`  CPU seconds, Kasho (from translicator start): ${k.cpu}`);
        print(`  CPU seconds inside the snapshot window, all parts: ${k.inWindow.toFixed(2)} (${(k.inWindow / k.snapshot).toFixed(2)} CPUs busy on average)`);
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
