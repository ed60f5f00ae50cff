import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { CHANGE_BUFFER, ChangeBuffer, bufferStoreOf, redactRedisUrl } from '@kasho/buffer';
import { CAPTURE_OPTIONS } from './capture.module-definition';
import { EvictingRedisError } from './capture.errors';
import { CaptureOptions } from './capture.options';
import { judgeEvictionPolicy } from './eviction-policy';

/**
 * At start, before capture begins: a Redis whose `maxmemory-policy` evicts any key (`allkeys-*`)
 * would punch holes in the buffer, so pg-change-stream refuses to start, naming the policy and the
 * Redis of KV_URL (password redacted). `volatile-*`, a policy that cannot be read, or a Redis that
 * does not answer yet, is a warning. The in-process buffer (`KV_URL=memory://`) evicts nothing and
 * has no policy to read: not checked.
 */
@Injectable()
export class EvictionPolicyCheck implements OnModuleInit {
  private readonly logger = new Logger(EvictionPolicyCheck.name);

  constructor(
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if (bufferStoreOf(this.options.bufferUrl) === 'memory') return;
    const where = redactRedisUrl(this.options.bufferUrl);
    let policy: string | null;
    try {
      policy = await this.buffer.evictionPolicy();
    } catch (err) {
      // Capture waits for Redis anyway; starting without it stays possible (e.g. compose start order).
      this.logger.warn(`could not check maxmemory-policy of the Redis at KV_URL (${where}): ${(err as Error).message}; make sure it is noeviction`);
      return;
    }
    const verdict = judgeEvictionPolicy(policy, where);
    if (verdict.action === 'refuse') throw new EvictingRedisError(verdict.message);
    if (verdict.action === 'warn') this.logger.warn(verdict.message);
  }
}
