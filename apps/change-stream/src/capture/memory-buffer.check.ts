import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { getHeapStatistics } from 'node:v8';
import { bufferStoreOf } from '@kasho/buffer';
import { CAPTURE_OPTIONS } from './capture.module-definition';
import { CaptureOptions } from './capture.options';

/**
 * With `KV_URL=memory://` the buffered changes live in this process's heap, stored larger than their
 * counted size (JSON): a MAX_BUFFERED_BYTES past a quarter of the heap limit could end the process
 * out of memory before backpressure pauses reading. Warned at start, naming both numbers.
 */
export function memoryBufferWarning(options: CaptureOptions, heapLimitBytes: number): string | null {
  if (bufferStoreOf(options.bufferUrl) !== 'memory') return null;
  const bound = Math.floor(heapLimitBytes / 4);
  if (options.maxBufferedBytes <= bound) return null;
  return (
    `MAX_BUFFERED_BYTES=${options.maxBufferedBytes} with KV_URL=memory://: buffered changes live in this process's heap ` +
    `(limit ${heapLimitBytes} bytes); lower MAX_BUFFERED_BYTES to at most ${bound}, or use Redis`
  );
}

@Injectable()
export class MemoryBufferCheck implements OnModuleInit {
  private readonly logger = new Logger(MemoryBufferCheck.name);

  constructor(@Inject(CAPTURE_OPTIONS) private readonly options: CaptureOptions) {}

  onModuleInit(): void {
    const warning = memoryBufferWarning(this.options, getHeapStatistics().heap_size_limit);
    if (warning) this.logger.warn(warning);
  }
}
