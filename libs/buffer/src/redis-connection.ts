import { Logger } from '@nestjs/common';
import Redis, { Cluster, RedisOptions } from 'ioredis';
import { parseRedisUrl, redactRedisUrl } from './redis-url';

const logger = new Logger('ChangeBuffer');

/** A client of the buffer: one Redis, or a Redis Cluster / Valkey cluster (commands routed by key slot). */
export type BufferRedis = Redis | Cluster;

/** Connection options the caller may add (blocking-read timeouts); applied to every node of a cluster. */
export type ConnectionExtras = Pick<RedisOptions, 'blockingTimeout' | 'blockingTimeoutGrace'>;

/**
 * A client for the buffer. RESP2 is pinned so reply shapes (XREAD, XINFO) do not depend on ioredis 6's
 * protocol default; commands fail after one reconnect attempt instead of queueing for long while Redis is
 * down (the caller retries); the first error of an outage is logged once, with the password redacted.
 */
export function createRedisConnection(url: string, connectionName: string, extra: ConnectionExtras = {}): BufferRedis {
  const target = parseRedisUrl(url);
  const common = { connectionName, protocol: 2 as const, maxRetriesPerRequest: 1, ...extra };
  const retry = (times: number) => Math.min(times * 100, 2000);
  const redis: BufferRedis =
    target.kind === 'single'
      ? new Redis({ ...target.options, ...common, lazyConnect: true, retryStrategy: retry })
      : new Cluster(target.nodes, {
          ...target.options,
          redisOptions: { ...target.options.redisOptions, ...common },
          lazyConnect: true,
          clusterRetryStrategy: retry,
        });
  const where = redactRedisUrl(url);
  let failing = false;
  redis.on('error', (err: Error) => {
    if (failing) return;
    failing = true;
    logger.warn(`${connectionName}: Redis at ${where} failed: ${err.message}`);
  });
  redis.on('ready', () => {
    if (!failing) return;
    failing = false;
    logger.log(`${connectionName}: Redis at ${where} is reachable again`);
  });
  return redis;
}

/** The master nodes a node-local command (SCRIPT LOAD, CONFIG GET) must reach: every master of a cluster, else the one Redis. */
export function masterNodes(redis: BufferRedis): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}
