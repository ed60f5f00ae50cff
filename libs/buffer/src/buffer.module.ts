import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BufferHealthIndicator } from './buffer.health';
import { ConfigurableBufferModule } from './buffer.module-definition';
import { CHANGE_BUFFER } from './buffer.tokens';
import { RedisChangeBuffer } from './redis-change-buffer';

/**
 * The Redis change buffer: `BufferModule.forRootAsync({ imports, inject, useFactory: (cfg) => ({ url, name }), isGlobal })`.
 * Provides {@link CHANGE_BUFFER} (the {@link RedisChangeBuffer}) and {@link BufferHealthIndicator}; the
 * connections are closed on application shutdown, after the modules that use them have stopped.
 */
@Module({
  imports: [TerminusModule],
  providers: [RedisChangeBuffer, { provide: CHANGE_BUFFER, useExisting: RedisChangeBuffer }, BufferHealthIndicator],
  exports: [CHANGE_BUFFER, BufferHealthIndicator],
})
export class BufferModule extends ConfigurableBufferModule {}
