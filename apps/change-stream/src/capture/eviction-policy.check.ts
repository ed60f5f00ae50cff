import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { CHANGE_BUFFER, ChangeBuffer, redactRedisUrl } from '@kasho/buffer';
import { ChangeStreamEnv } from '../config/change-stream.env';
import { judgeEvictionPolicy } from './eviction-policy';

/**
 * At start, before capture begins: a Redis whose `maxmemory-policy` evicts any key (`allkeys-*`)
 * would punch holes in the buffer, so pg-change-stream refuses to start, naming the policy and the
 * Redis of KV_URL (password redacted). `volatile-*`, a policy that cannot be read, or a Redis that
 * does not answer yet, is a warning.
 */
@Injectable()
export class EvictionPolicyCheck implements OnModuleInit {
  private readonly logger = new Logger(EvictionPolicyCheck.name);

  constructor(
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    private readonly env: ChangeStreamEnv,
  ) {}

  async onModuleInit(): Promise<void> {
    const where = redactRedisUrl(this.env.KV_URL);
    let policy: string | null;
    try {
      policy = await this.buffer.evictionPolicy();
    } catch (err) {
      // Capture waits for Redis anyway; starting without it stays possible (e.g. compose start order).
      this.logger.warn(`could not check maxmemory-policy of the Redis at KV_URL (${where}): ${(err as Error).message}; make sure it is noeviction`);
      return;
    }
    const verdict = judgeEvictionPolicy(policy, where);
    if (verdict.action === 'refuse') throw new Error(verdict.message);
    if (verdict.action === 'warn') this.logger.warn(verdict.message);
  }
}
