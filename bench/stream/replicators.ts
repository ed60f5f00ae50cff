/**
 * The two ways a source database reaches its target in this benchmark: native logical replication
 * (publication + subscription) and Kasho (pg-change-stream + pg-translicator from dist/). Each starts
 * on a source database that already holds the schema (and any preloaded rows) and returns once the
 * target holds the same schema and rows, ready to stream.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EphemeralPostgres, EphemeralRedis, freePort, waitFor } from '@kasho/testing';
import { SCHEMA } from './workloads';

export const ROOT = join(__dirname, '../../../..');

const TRANSFORMS = `version: v1
tables:
  public.items:
    name: FakeName
    email: FakeEmail
`;

export interface Replication {
  /** Services of its own (pid by name), for CPU and memory. */
  readonly services: Record<string, number>;
  stop(): Promise<void>;
}

/** Fails with a clear message when the apps were not built. */
export function requireBuild(): void {
  for (const app of ['change-stream', 'translicator']) {
    const main = join(ROOT, 'dist/apps', app, 'apps', app, 'src/main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first (the benchmark boots the built apps)`);
  }
}

/** CREATE SUBSCRIPTION on a fresh target database that has the schema; waits for the tables to be ready. */
export async function startNative(source: EphemeralPostgres, target: EphemeralPostgres, db: string): Promise<Replication> {
  await source.withClient((c) => c.query('CREATE PUBLICATION bench_pub FOR ALL TABLES'), db);
  await target.query(`CREATE DATABASE ${db}`);
  await target.withClient((c) => c.query(SCHEMA), db);
  const conninfo = `host=127.0.0.1 port=${source.port} dbname=${db} user=postgres`;
  await target.withClient((c) => c.query(`CREATE SUBSCRIPTION ${db}_sub CONNECTION '${conninfo}' PUBLICATION bench_pub`), db);
  await waitFor(
    () =>
      target.withClient(async (c) => {
        const { rows } = await c.query<{ pending: string }>(`SELECT count(*)::text AS pending FROM pg_subscription_rel WHERE srsubstate <> 'r'`);
        return rows[0].pending === '0';
      }, db),
    { timeoutMs: 600_000, intervalMs: 100, what: 'the subscription tables to be ready' },
  );
  return {
    services: {},
    stop: async () => {
      await target.withClient((c) => c.query(`DROP SUBSCRIPTION ${db}_sub`), db);
    },
  };
}

function startService(name: string, env: Record<string, string>, output: string[]): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, name)], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    if (output.length > 2000) output.splice(0, output.length - 2000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return child;
}

async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * pg-change-stream on the source database and pg-translicator into a fresh (empty) target database;
 * the translicator's initial snapshot creates the schema and copies preloaded rows. Redis starts empty.
 */
export async function startKasho(source: EphemeralPostgres, target: EphemeralPostgres, redis: EphemeralRedis, db: string): Promise<Replication> {
  await redis.restartEmpty();
  await target.query(`CREATE DATABASE ${db}`);
  const dir = mkdtempSync(join(tmpdir(), 'kasho-bench-stream-'));
  writeFileSync(join(dir, 'transforms.yml'), TRANSFORMS);
  const [grpc, csHttp, trHttp] = [await freePort(), await freePort(), await freePort()];
  const slot = `kasho_${db}`;
  const token = randomBytes(32).toString('hex');
  const output: string[] = [];
  const changeStream = startService(
    'pg-change-stream',
    {
      LOG_LEVEL: 'info',
      CHANGE_STREAM_TOKEN: token,
      PRIMARY_DATABASE_URL: source.urlFor(db),
      KV_URL: redis.url,
      REPLICATION_SLOT: slot,
      GRPC_PORT: String(grpc),
      HTTP_PORT: String(csHttp),
    },
    output,
  );
  let translicator: ChildProcess | undefined;
  const stop = async () => {
    if (translicator) await stopService(translicator);
    await stopService(changeStream);
    rmSync(dir, { recursive: true, force: true });
    await waitFor(
      () =>
        source.withClient(async (c) => {
          const { rows } = await c.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active`, [slot]);
          const { rows: left } = await c.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = $1`, [slot]);
          return rows.length > 0 || left.length === 0;
        }),
      { timeoutMs: 30_000, intervalMs: 200, what: `replication slot ${slot} to be dropped` },
    );
  };
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${csHttp}/health`).catch(() => undefined))?.status === 200, {
      timeoutMs: 60_000,
      intervalMs: 50,
      what: 'pg-change-stream to be healthy',
    });
    translicator = startService(
      'pg-translicator',
      {
        LOG_LEVEL: 'info',
        CHANGE_STREAM_TOKEN: token,
        CHANGE_STREAM_SERVICE: `127.0.0.1:${grpc}`,
        REPLICA_DATABASE_URL: target.urlFor(db),
        TRANSFORMS_FILE: join(dir, 'transforms.yml'),
        TRANSFORMS_SECRET: 'bench-transforms-secret-0123456789abcdef',
        HTTP_PORT: String(trHttp),
      },
      output,
    );
    await waitFor(() => output.some((l) => l.includes('snapshot done:')), { timeoutMs: 600_000, intervalMs: 50, what: "the translicator's initial snapshot" });
    return { services: { 'pg-change-stream': changeStream.pid!, 'pg-translicator': translicator.pid! }, stop };
  } catch (err) {
    console.error(output.slice(-30).join('\n'));
    await stop();
    throw err;
  }
}
