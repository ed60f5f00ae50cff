import { EphemeralPostgres, EphemeralRedis } from '@kasho/testing';

/** The throwaway infrastructure of the demo: source and target PostgreSQL (wal_level=logical), Redis when installed. */
export interface DemoClusters {
  source: EphemeralPostgres;
  target: EphemeralPostgres;
  /** Undefined without redis-server: pg-change-stream then buffers in its own memory. */
  redis?: EphemeralRedis;
}

type Track = <T>(name: string, starting: Promise<T>, stop: (resource: T) => Promise<void>) => Promise<T>;

/**
 * Starts the two clusters, and Redis when `withRedis`. Each one is handed to `track` while it starts,
 * so a failure of another, or a Ctrl-C, still stops it once it is up.
 */
export async function startClusters(track: Track, withRedis: boolean): Promise<DemoClusters> {
  const results = await Promise.allSettled([
    track('source PostgreSQL', EphemeralPostgres.start({ database: 'app' }), (pg) => pg.stop()),
    track('target PostgreSQL', EphemeralPostgres.start({ database: 'app_replica' }), (pg) => pg.stop()),
    withRedis
      ? track(
          'redis-server',
          quietRedisProbes(() => EphemeralRedis.start()),
          (redis) => redis.stop(),
        )
      : Promise.resolve(undefined),
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  const [source, target, redis] = results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    EphemeralPostgres,
    EphemeralPostgres,
    EphemeralRedis | undefined,
  ];
  return { source, target, redis };
}

/**
 * EphemeralRedis probes its port until redis-server listens; ioredis prints every refused probe as
 * "[ioredis] Unhandled error event: ... ECONNREFUSED". Harmless, but alarming on a demo screen:
 * exactly those lines are dropped while Redis starts; everything else still reaches stderr.
 */
async function quietRedisProbes<T>(start: () => Promise<T>): Promise<T> {
  const original = console.error;
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('[ioredis] Unhandled error event') && /ECONNREFUSED/.test(String(args[1]))) return;
    original(...args);
  };
  try {
    return await start();
  } finally {
    console.error = original;
  }
}
