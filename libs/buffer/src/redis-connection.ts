import { Logger } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { redactRedisUrl, redisConnectionOptions } from './redis-url';

const logger = new Logger('ChangeBuffer');

/**
 * A client for the buffer. RESP2 is pinned so reply shapes (XREAD, XINFO) do not depend on ioredis 6's
 * protocol default; commands fail after one reconnect attempt instead of queueing for long while Redis is
 * down (the caller retries); the first error of an outage is logged once, with the password redacted.
 */
export function createRedisConnection(url: string, connectionName: string, extra: RedisOptions = {}): Redis {
  const redis = new Redis({
    ...redisConnectionOptions(url),
    connectionName,
    protocol: 2,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(times * 100, 2000),
    ...extra,
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
