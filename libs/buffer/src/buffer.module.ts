import { Logger, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { bufferStoreOf } from './buffer-url';
import { BufferHealthIndicator } from './buffer.health';
import { BUFFER_OPTIONS, ConfigurableBufferModule } from './buffer.module-definition';
import { BufferOptions } from './buffer.options';
import { CHANGE_BUFFER } from './buffer.tokens';
import { ChangeBuffer } from './change-buffer';
import { InMemoryChangeBuffer } from './in-memory-change-buffer';
import { RedisChangeBuffer } from './redis-change-buffer';

/** The buffer the URL names: `memory://` in this process (demos and development), anything else Redis. */
function changeBufferFor(options: BufferOptions): ChangeBuffer {
  if (bufferStoreOf(options.url) === 'redis') return new RedisChangeBuffer(options);
  new Logger('BufferModule').warn(
    'KV_URL=memory://: changes are buffered in this process (for demos and development only). A restart empties the buffer ' +
      'and decoding restarts from the replication slot, so nothing is lost, but everything the target has not applied is read again.',
  );
  return new InMemoryChangeBuffer();
}

/**
 * The change buffer: `BufferModule.forRootAsync({ imports, inject, useFactory: (cfg) => ({ url, name }), isGlobal })`.
 * Provides {@link CHANGE_BUFFER} (a {@link RedisChangeBuffer}, or an {@link InMemoryChangeBuffer} for
 * `memory://`) and {@link BufferHealthIndicator}; the buffer is closed on application shutdown, after
 * the modules that use it have stopped.
 */
@Module({
  imports: [TerminusModule],
  providers: [{ provide: CHANGE_BUFFER, inject: [BUFFER_OPTIONS], useFactory: changeBufferFor }, BufferHealthIndicator],
  exports: [CHANGE_BUFFER, BufferHealthIndicator],
})
export class BufferModule extends ConfigurableBufferModule {}
