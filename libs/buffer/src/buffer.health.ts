import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '@kasho/runtime';
import { bufferStoreOf } from './buffer-url';
import { BUFFER_OPTIONS } from './buffer.module-definition';
import { BufferOptions } from './buffer.options';
import { CHANGE_BUFFER } from './buffer.tokens';
import { ChangeBuffer } from './change-buffer';

const DEFAULT_TIMEOUT_MS = 1_000;

/**
 * Readiness of the change buffer: Redis answers PING within the bound and the buffer epoch exists
 * (missing = Redis lost the buffer and the writer has not re-opened it yet). Reports no values and no URL.
 * The in-process buffer (`memory://`) is up once the writer has opened it, and says `store: memory`.
 */
@Injectable()
export class BufferHealthIndicator {
  private readonly timeoutMs: number;
  private readonly inMemory: boolean;

  constructor(
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    private readonly healthIndicatorService: HealthIndicatorService,
    @Inject(BUFFER_OPTIONS) options: BufferOptions,
  ) {
    this.timeoutMs = options.healthTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.inMemory = bufferStoreOf(options.url) === 'memory';
  }

  async check<const Key extends string = 'redis'>(key: Key = 'redis' as Key): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.healthIndicatorService.check(key);
    try {
      const probe = await withTimeout(this.buffer.probe(), this.timeoutMs, `no answer within ${this.timeoutMs} ms`);
      if (this.inMemory) return probe.epochPresent ? indicator.up({ store: 'memory' }) : indicator.down({ store: 'memory', message: 'buffer not opened yet' });
      if (!probe.epochPresent) return indicator.down({ message: 'buffer epoch missing: Redis lost the buffer, waiting for the writer to re-open it' });
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: `Redis unreachable: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
}
