import { createHash } from 'node:crypto';
import { Cluster } from 'ioredis';
import { BufferRedis, masterNodes } from './redis-connection';

/**
 * A Lua script run by EVALSHA. Every key it touches is passed in KEYS (never built inside Lua), and the
 * buffer's keys share one hash tag, so on a cluster the run is routed to the one node owning their slot.
 * Scripts are cached per node: loading reaches every master (a cluster routes the run to any of them).
 */
export class LuaScript {
  readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /** Loads the script on every master (Redis forgets it on restart, failover or SCRIPT FLUSH). */
  async load(redis: BufferRedis): Promise<void> {
    // A lazy cluster client knows its masters only once connected (a single Redis connects on the command).
    if (redis instanceof Cluster && redis.status === 'wait') await redis.connect();
    await Promise.all(masterNodes(redis).map((node) => node.script('LOAD', this.lua)));
  }

  /** EVALSHA; on NOSCRIPT loads the script and retries once. */
  async run(redis: BufferRedis, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const run = () => redis.evalsha(this.sha, keys.length, ...keys, ...args);
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      await this.load(redis);
      return run();
    }
  }
}
