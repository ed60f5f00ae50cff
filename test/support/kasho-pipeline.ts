import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EphemeralPostgres, EphemeralRedis, freePort, waitFor } from '@kasho/testing';
import { ServiceProcess } from './service-process';

export interface PipelineOptions {
  transformsYaml?: string;
  changeStreamEnv?: Record<string, string>;
  translicatorEnv?: Record<string, string>;
  /** Put this password in both database URLs (trust auth accepts it), to prove it never reaches a log. */
  databasePassword?: string;
  /** Runs once the databases are up, before either service starts (e.g. to fill the source). */
  beforeStart?: (source: EphemeralPostgres, target: EphemeralPostgres) => Promise<void>;
  /** The target role the translicator connects as (default postgres); create it in `beforeStart`. */
  translicatorUser?: string;
  /** Wait for the translicator's /health (false: return once it is started, e.g. while it snapshots). */
  waitForTranslicator?: boolean;
  /** Extra server settings (`-c name=value`) of the source and of the target PostgreSQL. */
  sourceSettings?: Record<string, string | number>;
  targetSettings?: Record<string, string | number>;
  /** Server binaries of the source and of the target (e.g. `await postgresBinDirFor(13)`); default: the newest installed. */
  sourceBinDir?: string;
  targetBinDir?: string;
}

/**
 * Everything real: a source and a target PostgreSQL (wal_level=logical), a redis-server, and the
 * two built Kasho executables talking gRPC on free loopback ports.
 */
export class KashoPipeline {
  private constructor(
    readonly source: EphemeralPostgres,
    readonly target: EphemeralPostgres,
    readonly redis: EphemeralRedis,
    readonly changeStream: ServiceProcess,
    readonly translicator: ServiceProcess,
    private readonly dir: string,
  ) {}

  static async start(options: PipelineOptions = {}): Promise<KashoPipeline> {
    const started = await Promise.allSettled([
      EphemeralPostgres.start({ settings: options.sourceSettings, binDir: options.sourceBinDir }),
      EphemeralPostgres.start({ settings: options.targetSettings, binDir: options.targetBinDir }),
      EphemeralRedis.start(),
    ]);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      // Stop what did start: a server left running would keep jest (and CI) from exiting.
      await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop().catch(() => undefined) : undefined)));
      throw failed.reason;
    }
    const [source, target, redis] = started.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [EphemeralPostgres, EphemeralPostgres, EphemeralRedis];
    const dir = mkdtempSync(join(tmpdir(), 'kasho-e2e-'));
    const transformsFile = join(dir, 'transforms.yml');
    writeFileSync(transformsFile, options.transformsYaml ?? 'version: v1\ntables: {}\n');
    const [grpcPort, csHttp, trHttp] = [await freePort(), await freePort(), await freePort()];
    const changeStream = new ServiceProcess(
      'pg-change-stream',
      {
        PRIMARY_DATABASE_URL: source.urlFor(source.database, 'postgres', options.databasePassword),
        KV_URL: redis.url,
        GRPC_PORT: String(grpcPort),
        HTTP_PORT: String(csHttp),
        LOG_LEVEL: 'info',
        ...options.changeStreamEnv,
      },
      csHttp,
    );
    const translicator = new ServiceProcess(
      'pg-translicator',
      {
        CHANGE_STREAM_SERVICE: `127.0.0.1:${grpcPort}`,
        REPLICA_DATABASE_URL: target.urlFor(target.database, options.translicatorUser ?? 'postgres', options.databasePassword),
        TRANSFORMS_FILE: transformsFile,
        HTTP_PORT: String(trHttp),
        LOG_LEVEL: 'info',
        ...options.translicatorEnv,
      },
      trHttp,
    );
    const pipeline = new KashoPipeline(source, target, redis, changeStream, translicator, dir);
    try {
      await options.beforeStart?.(source, target);
      changeStream.start();
      await changeStream.waitHealthy();
      translicator.start();
      if (options.waitForTranslicator !== false) await translicator.waitHealthy();
    } catch (err) {
      // The caller gets no pipeline to stop: nothing started here may outlive the failure.
      await pipeline.stop().catch(() => undefined);
      throw err;
    }
    return pipeline;
  }

  /** Everything both services printed so far. */
  logs(): string {
    return [...this.changeStream.output, ...this.translicator.output].join('\n');
  }

  /** Waits until `sql` returns the same rows on both sides (compared as text). */
  async waitForEqual(sql: string, timeoutMs = 60_000, targetSql = sql): Promise<void> {
    let last = '';
    await waitFor(
      async () => {
        const [a, b] = await Promise.all([this.source.query(sql), this.target.query(targetSql)]);
        last = `source=${JSON.stringify(a).slice(0, 500)} target=${JSON.stringify(b).slice(0, 500)}`;
        return JSON.stringify(a) === JSON.stringify(b);
      },
      { timeoutMs, intervalMs: 100, what: `source and target to agree on: ${sql}` },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${last}\n--- change-stream ---\n${this.changeStream.tail()}\n--- translicator ---\n${this.translicator.tail()}`);
    });
  }

  async stop(): Promise<void> {
    await Promise.all([this.translicator.kill('SIGKILL'), this.changeStream.kill('SIGKILL')]);
    await Promise.all([this.source.stop(), this.target.stop(), this.redis.stop()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A multiset digest of a table's rows (count + md5 of the sorted row texts); works without a primary key. */
export function tableDigestSql(table: string, columns = '*'): string {
  return `SELECT count(*)::text AS n, coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '') AS digest FROM (SELECT (t)::text AS r FROM (SELECT ${columns} FROM ${table}) t) s`;
}
