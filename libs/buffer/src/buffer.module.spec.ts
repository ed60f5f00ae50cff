import { Position } from '@kasho/contracts';
import { inserts } from '@kasho/testing';
import { Test } from '@nestjs/testing';
import { BufferClosedError } from './buffer.errors';
import { bufferStoreOf, memoryUrlProblem } from './buffer-url';
import { BufferHealthIndicator } from './buffer.health';
import { BufferModule } from './buffer.module';
import { CHANGE_BUFFER } from './buffer.tokens';
import { ChangeBuffer } from './change-buffer';
import { InMemoryChangeBuffer } from './in-memory-change-buffer';

describe('BufferModule with KV_URL=memory://', () => {
  it('picks the store from the URL: memory:// in this process, every other scheme Redis', () => {
    expect(bufferStoreOf('memory://')).toBe('memory');
    expect(bufferStoreOf('MEMORY://')).toBe('memory');
    expect(bufferStoreOf('redis://r:6379')).toBe('redis');
    expect(bufferStoreOf('redis+cluster://a:1,b:2')).toBe('redis');
    expect(memoryUrlProblem('memory://')).toBeNull();
    expect(memoryUrlProblem('redis://memory')).toBeNull();
    expect(memoryUrlProblem('memory://host:1')).toBe('memory:// takes no host, path or options: use exactly memory://');
  });

  it('provides the in-process buffer, down until opened then up (store: memory), closed on shutdown', async () => {
    const ref = await Test.createTestingModule({ imports: [BufferModule.forRoot({ url: 'memory://' })] }).compile();
    const app = await ref.createNestApplication().init();
    const buffer = app.get<ChangeBuffer>(CHANGE_BUFFER);
    const health = app.get(BufferHealthIndicator);
    expect(buffer).toBeInstanceOf(InMemoryChangeBuffer);
    expect(await health.check('redis')).toEqual({ redis: { status: 'down', store: 'memory', message: 'buffer not opened yet' } });
    expect(await buffer.open()).toEqual({ epoch: expect.any(String), fresh: true });
    expect(await health.check('redis')).toEqual({ redis: { status: 'up', store: 'memory' } });
    await buffer.append(inserts(1n, 2));
    const reader = buffer.openReader();
    const pending = reader.read(Position.parse('2-0'), 10, 20_000);
    await app.close();
    expect(await pending).toEqual([]);
    await expect(buffer.length()).rejects.toThrow(BufferClosedError);
  });
});
