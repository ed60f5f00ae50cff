/**
 * Streaming speed: native logical replication (publication + subscription) against Kasho
 * (pg-change-stream + pg-translicator from dist/, FakeName + FakeEmail on items.name and items.email),
 * in one run on the same machine, each into its own target database, per workload: rows/s and the
 * ratio, CPU seconds per 10,000 rows of every process, peak RSS of the services, and commit-to-visible
 * latency at about half of native throughput. Writes docs/performance.md and bench/results/stream-*.json.
 * Run: npm run build && npx tsc -p bench/stream/tsconfig.json && node bench/stream/run.js
 * BENCH_SCALE (default 1) shrinks every size; see bench/README.md for the other variables.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EphemeralPostgres, EphemeralRedis, requireBinary } from '@kasho/testing';
import { measureLatency } from './latency';
import { clusterCpu, cpuSeconds, findPid, machine, peakRssMb } from './proc';
import { ROOT, Replication, requireBuild, startKasho, startNative } from './replicators';
import { fixed, LatencySummary, perTenThousand, scaled, summarize, table } from './stats';
import { commitMarker, createSourceDatabase, insertBatches, markerVisible, pgbenchPath, smallTransactions, updateAll } from './workloads';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const SCALE = num('BENCH_SCALE', 1);
const TX_ROWS = num('BENCH_INSERT_TX_ROWS', 1000);
const INSERT_ROWS = num('BENCH_INSERT_ROWS', scaled(300_000, SCALE, TX_ROWS));
const UPDATE_ROWS = num('BENCH_UPDATE_ROWS', scaled(270_000, SCALE));
const CLIENTS = num('BENCH_CLIENTS', 8);
const SMALL_TXS = num('BENCH_SMALL_TXS', scaled(20_000, SCALE, CLIENTS));
const LATENCY_SECONDS = num('BENCH_LATENCY_SECONDS', Math.max(5, Math.round(20 * SCALE)));
const TIMEOUT_MS = num('BENCH_TIMEOUT_S', 900) * 1000;

type System = 'native' | 'kasho';

interface Workload {
  key: string;
  title: string;
  rows: number;
  preload: number;
  run(source: EphemeralPostgres, db: string): Promise<void>;
  /** The target holds every change of the workload. */
  check(source: EphemeralPostgres, target: EphemeralPostgres, db: string): Promise<void>;
}

interface Result {
  workload: string;
  system: System;
  rows: number;
  sourceSeconds: number;
  seconds: number;
  rowsPerSecond: number;
  cpuPer10k: Record<string, number>;
  peakRssMb: Record<string, number>;
  latency: (LatencySummary & { basis: string; rate: number; achievedRate: number; written: number })[];
}

const count = async (pg: EphemeralPostgres, db: string, where = 'true') =>
  pg.withClient(async (c) => Number((await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM public.items WHERE ${where}`)).rows[0].n), db);

async function sameCount(source: EphemeralPostgres, target: EphemeralPostgres, db: string, where?: string): Promise<void> {
  const [s, t] = [await count(source, db, where), await count(target, db, where)];
  if (s !== t) throw new Error(`${db}: the source has ${s} rows${where ? ` where ${where}` : ''}, the target ${t}`);
}

const WORKLOADS: Workload[] = [
  {
    key: 'w1',
    title: `${INSERT_ROWS.toLocaleString('en')} inserts in ${TX_ROWS.toLocaleString('en')}-row transactions`,
    rows: INSERT_ROWS,
    preload: 0,
    run: (s, db) => insertBatches(s, db, INSERT_ROWS, TX_ROWS),
    check: (s, t, db) => sameCount(s, t, db),
  },
  {
    key: 'w2',
    title: `one UPDATE of ${UPDATE_ROWS.toLocaleString('en')} rows`,
    rows: UPDATE_ROWS,
    preload: UPDATE_ROWS,
    run: async (s, db) => {
      const n = await updateAll(s, db);
      if (n !== UPDATE_ROWS) throw new Error(`the UPDATE changed ${n} rows, not ${UPDATE_ROWS}`);
    },
    check: (s, t, db) => sameCount(s, t, db, 'n = 1'),
  },
  {
    key: 'w3',
    title: `${SMALL_TXS.toLocaleString('en')} one-row INSERT transactions from ${CLIENTS} clients (${pgbenchPath() ? 'pgbench' : 'node pg clients'})`,
    rows: SMALL_TXS,
    preload: 0,
    run: (s, db) => smallTransactions(s, db, CLIENTS, SMALL_TXS / CLIENTS),
    check: (s, t, db) => sameCount(s, t, db),
  },
];

/** Lets closed backends exit and be reaped, so their CPU shows in the postmaster's children time. */
const reaped = () => new Promise((resolve) => setTimeout(resolve, 300));

function cpuParts(source: EphemeralPostgres, target: EphemeralPostgres, redisPid: number | undefined, rep: Replication): Record<string, number> {
  const parts: Record<string, number> = { 'source postgres': clusterCpu(source.dataDir), 'target postgres': clusterCpu(target.dataDir) };
  if (Object.keys(rep.services).length > 0 && redisPid) parts['redis-server'] = cpuSeconds(redisPid);
  for (const [name, pid] of Object.entries(rep.services)) parts[name] = cpuSeconds(pid);
  return parts;
}

async function runOne(
  system: System,
  w: Workload,
  ctx: { source: EphemeralPostgres; target: EphemeralPostgres; redis: EphemeralRedis },
  /** The writer's rates for latency runs after the workload, given this run's own throughput. */
  latencyRates: (rowsPerSecond: number) => { basis: string; rate: number }[] = () => [],
): Promise<Result> {
  const { source, target, redis } = ctx;
  const db = `${w.key}_${system}`;
  await createSourceDatabase(source, db, w.preload);
  const rep = system === 'native' ? await startNative(source, target, db) : await startKasho(source, target, redis, db);
  try {
    const redisPid = findPid('redis-server', `:${redis.port}`);
    await reaped();
    const before = cpuParts(source, target, redisPid, rep);
    const started = performance.now();
    await w.run(source, db);
    const sourceDone = performance.now();
    await commitMarker(source, db, 1);
    const visible = await markerVisible(target, db, 1, TIMEOUT_MS);
    await reaped();
    const after = cpuParts(source, target, redisPid, rep);
    const seconds = (visible - started) / 1000;
    await w.check(source, target, db);
    if (system === 'kasho') {
      const name = `SELECT name FROM public.items ORDER BY id LIMIT 1`;
      const [s, t] = [await source.withClient((c) => c.query(name), db), await target.withClient((c) => c.query(name), db)];
      if (s.rows[0]?.name === t.rows[0]?.name) throw new Error(`${db}: items.name reached the target untransformed`);
    }
    const cpuPer10k = Object.fromEntries(Object.keys(after).map((k) => [k, perTenThousand(after[k] - before[k], w.rows)]));
    const rss = Object.fromEntries(Object.entries(rep.services).map(([name, pid]) => [name, peakRssMb(pid)]));
    const result: Result = {
      workload: w.key,
      system,
      rows: w.rows,
      sourceSeconds: (sourceDone - started) / 1000,
      seconds,
      rowsPerSecond: w.rows / seconds,
      cpuPer10k,
      peakRssMb: rss,
      latency: [],
    };
    for (const { basis, rate } of latencyRates(result.rowsPerSecond)) {
      const run = await measureLatency(source, target, db, rate, LATENCY_SECONDS);
      result.latency.push({ ...summarize(run.latencies), basis, rate, achievedRate: run.achievedRate, written: run.written });
    }
    return result;
  } finally {
    await rep.stop();
  }
}

function report(results: Result[], meta: Record<string, string>): string {
  const find = (w: string, s: System) => results.find((r) => r.workload === w && r.system === s);
  const throughput = WORKLOADS.map((w) => {
    const [n, k] = [find(w.key, 'native'), find(w.key, 'kasho')];
    return [
      w.title,
      fixed(n?.seconds ?? NaN),
      Math.round(n?.rowsPerSecond ?? NaN).toLocaleString('en'),
      fixed(k?.seconds ?? NaN),
      Math.round(k?.rowsPerSecond ?? NaN).toLocaleString('en'),
      fixed((k?.rowsPerSecond ?? NaN) / (n?.rowsPerSecond ?? NaN)),
    ];
  });
  const latency = results.flatMap((r) =>
    r.latency.map((l) => [
      r.system,
      `${Math.round(l.rate)} (${l.basis})`,
      Math.round(l.achievedRate),
      l.samples === l.written ? l.samples : `${l.samples} of ${l.written} (bound reached)`,
      fixed(l.p50, 1),
      fixed(l.p95, 1),
      fixed(l.p99, 1),
      fixed(l.max, 1),
    ]),
  );
  const parts = ['source postgres', 'target postgres', 'redis-server', 'pg-change-stream', 'pg-translicator'];
  const cpu = results.map((r) => [r.workload, r.system, ...parts.map((p) => fixed(r.cpuPer10k[p] ?? NaN, 3))]);
  const rss = results
    .filter((r) => r.system === 'kasho')
    .map((r) => [r.workload, fixed(r.peakRssMb['pg-change-stream'], 0), fixed(r.peakRssMb['pg-translicator'], 0)]);
  return [
    '# Performance',
    '',
    'Generated by `bench/stream` (see bench/README.md); numbers measured by that run, not edited. The',
    'initial snapshot is measured by `bench/snapshot`.',
    '',
    table(['Run', ''], Object.entries(meta)),
    '',
    '## Streaming throughput',
    '',
    'Each workload runs once per system on its own source database into an empty target database that',
    'already holds the schema (native: created from the same DDL, then `CREATE SUBSCRIPTION`; Kasho: the',
    "translicator's initial snapshot of the still-empty tables), timed from the start of the source",
    'workload until the target holds a marker row committed after it (both apply in commit order); the',
    'target row count is then checked against the source. Kasho applies `FakeName` and `FakeEmail` to two',
    'text columns of every row.',
    '',
    table(['Workload', 'native s', 'native rows/s', 'Kasho s', 'Kasho rows/s', 'Kasho / native'], throughput),
    '',
    '## Latency, source commit to visible on the target',
    '',
    'After workload 3, a paced writer inserts one-row transactions from 4 connections at half the native',
    "throughput of workload 3 (and, for Kasho, also at half of its own), each row stamped with the source's",
    "`clock_timestamp()`; a poller on the target reads new rows every 5 ms and takes, per row, the target's",
    '`clock_timestamp()` at the read minus the stamp (one machine, one clock). Resolution: about one poll',
    'interval plus one query. When a system applies one-row transactions slower than the writer writes',
    'them, the backlog grows for the whole run and these figures measure that queue. The source runs with',
    '`synchronous_commit = on` (the walsender sends only flushed WAL); both clusters run with `fsync = off`.',
    'Each run waits at most twice its length plus 120 s for the last row; "n of m (bound reached)" means the',
    'percentiles cover only the rows that arrived by then. Milliseconds.',
    '',
    table(['System', 'target rows/s', 'achieved rows/s', 'rows', 'p50', 'p95', 'p99', 'max'], latency),
    '',
    '## CPU seconds per 10,000 rows',
    '',
    'From `/proc/<pid>/stat` utime + stime before and after each timed workload (PostgreSQL: the',
    "postmaster, its live processes and its reaped children's time; services: all threads).",
    '',
    table(['Workload', 'System', ...parts], cpu),
    '',
    '## Peak RSS of the services (MB)',
    '',
    'VmHWM of each process, started fresh per workload (so it includes its initial snapshot).',
    '',
    table(['Workload', 'pg-change-stream', 'pg-translicator'], rss),
    '',
  ].join('\n');
}

export async function main(): Promise<void> {
  requireBuild();
  const redisVersion = execFileSync(requireBinary('redis-server'), ['--version']).toString().trim();
  const startMachine = machine();
  // The harness turns synchronous_commit off; on the source that holds commits back from the walsender
  // until the WAL writer's next round, which both systems would wait for: production sources commit synchronously.
  const [source, target, redis] = await Promise.all([
    EphemeralPostgres.start({ settings: { synchronous_commit: 'on' } }),
    EphemeralPostgres.start(),
    EphemeralRedis.start(),
  ]);
  const results: Result[] = [];
  let pgVersion: string | undefined;
  try {
    pgVersion = (await source.query<{ v: string }>('SELECT version() AS v'))[0].v;
    console.log(`stream benchmark, BENCH_SCALE=${SCALE}, ${startMachine.cores} CPUs, load ${startMachine.load}`);
    for (const w of WORKLOADS) {
      // Latency after workload 3, for both, at half of native's workload 3 throughput.
      const latency = w.key === 'w3';
      const half = (basis: string, rowsPerSecond: number) => ({ basis, rate: rowsPerSecond / 2 });
      const native = await runOne('native', w, { source, target, redis }, (own) => (latency ? [half('½ native', own)] : []));
      const kasho = await runOne('kasho', w, { source, target, redis }, (own) =>
        latency ? [half('½ native', native.rowsPerSecond), half('½ Kasho', own)] : [],
      );
      results.push(native, kasho);
      console.log(
        `${w.title}: native ${native.seconds.toFixed(2)} s (${Math.round(native.rowsPerSecond)} rows/s), Kasho ${kasho.seconds.toFixed(2)} s (${Math.round(kasho.rowsPerSecond)} rows/s), Kasho/native ${(kasho.rowsPerSecond / native.rowsPerSecond).toFixed(2)}`,
      );
      for (const r of [native, kasho]) {
        for (const l of r.latency)
          console.log(
            `  ${r.system} latency at ${Math.round(l.achievedRate)} rows/s (${l.basis}): p50 ${fixed(l.p50, 1)} ms, p95 ${fixed(l.p95, 1)} ms, p99 ${fixed(l.p99, 1)} ms`,
          );
      }
    }
  } finally {
    await Promise.all([source.stop(), target.stop(), redis.stop()]);
  }
  const endMachine = machine();
  const meta = {
    Date: new Date().toISOString(),
    CPU: `${startMachine.cpu}, ${startMachine.cores} cores`,
    RAM: `${startMachine.ramGb.toFixed(1)} GB`,
    'Load average (1/5/15 min) at start / end': `${startMachine.load} / ${endMachine.load}`,
    Node: process.version,
    PostgreSQL: pgVersion ?? 'unknown',
    Redis: redisVersion,
    Sizes: `BENCH_SCALE=${SCALE}: ${INSERT_ROWS} inserts, ${UPDATE_ROWS} updated rows, ${SMALL_TXS} small transactions, latency ${LATENCY_SECONDS} s`,
  };
  const doc = report(results, meta);
  console.log(doc);
  writeFileSync(join(ROOT, 'docs/performance.md'), doc);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const file = join(ROOT, `bench/results/stream-${meta.Date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ meta, results }, null, 2)}\n`);
  console.log(`raw results: ${file}`);
}
