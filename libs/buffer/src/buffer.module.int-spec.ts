import { Position } from '@kasho/contracts';
import { EphemeralRedis, inserts, waitFor } from '@kasho/testing';
import { INestApplicationContext, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type Redis from 'ioredis';
import { BufferHealthIndicator } from './buffer.health';
import { BufferModule } from './buffer.module';
import { CHANGE_BUFFER } from './buffer.tokens';
import { ChangeBuffer } from './change-buffer';
import { RedisChangeBuffer } from './redis-change-buffer';

jest.setTimeout(60_000);

const REDIS_URL = Symbol('REDIS_URL');

describe('BufferModule + BufferHealthIndicator (real redis-server)', () => {
  let redis: EphemeralRedis;
  let admin: Redis;

  beforeAll(async () => {
    redis = await EphemeralRedis.start();
    admin = redis.client();
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  async function boot(url: string, name = 'module'): Promise<INestApplicationContext> {
    @Module({ providers: [{ provide: REDIS_URL, useValue: url }], exports: [REDIS_URL] })
    class UrlModule {}
    const ref = await Test.createTestingModule({
      imports: [
        BufferModule.forRootAsync({
          imports: [UrlModule],
          inject: [REDIS_URL],
          useFactory: (u: string) => ({ url: u, name, healthTimeoutMs: 500 }),
        }),
      ],
    }).compile();
    return ref.createNestApplication().init();
  }

  async function kashoClients(): Promise<string[]> {
    const list = (await admin.client('LIST')) as string;
    return list.split('\n').filter((line) => /name=kasho-/.test(line));
  }

  it('provides the Redis buffer under CHANGE_BUFFER and closes its connections (readers too) on shutdown', async () => {
    const app = await boot(redis.url);
    const buffer = app.get<ChangeBuffer>(CHANGE_BUFFER);
    expect(buffer).toBeInstanceOf(RedisChangeBuffer);
    await buffer.open();
    await buffer.append(inserts(1n, 2));
    const reader = buffer.openReader();
    const pending = reader.read(Position.parse('2-0'), 10, 20_000);
    await waitFor(async () => (await kashoClients()).length === 2, { timeoutMs: 5_000, what: 'writer and reader connections' });

    const started = Date.now();
    await app.close();
    expect(await pending).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitFor(async () => (await kashoClients()).length === 0, { timeoutMs: 5_000, what: 'connections closed' });
  });

  it('is down until the epoch exists, down while Redis is dead, up again once restarted and re-opened', async () => {
    const app = await boot(redis.url, 'health');
    try {
      const health = app.get(BufferHealthIndicator);
      const buffer = app.get<ChangeBuffer>(CHANGE_BUFFER);
      expect(await health.check('redis')).toEqual({ redis: { status: 'down', message: expect.stringContaining('epoch missing') } });

      await buffer.open();
      expect(await health.check('redis')).toEqual({ redis: { status: 'up' } });

      await redis.kill();
      const down = await waitFor(
        async () => {
          const result = await health.check('redis');
          return result.redis.status === 'down' ? result : undefined;
        },
        { timeoutMs: 10_000, what: 'health down after kill' },
      );
      expect(down.redis.message).toMatch(/^Redis unreachable/);

      await redis.launch();
      await waitFor(async () => /epoch missing/.test(String((await health.check('redis')).redis.message)), {
        timeoutMs: 10_000,
        what: 'Redis reachable again, epoch missing',
      });
      await expect(buffer.append(inserts(1n, 1))).rejects.toThrow('epoch changed');
      expect((await buffer.open()).fresh).toBe(true);
      expect(await health.check('redis')).toEqual({ redis: { status: 'up' } });
      expect(await health.check('buffer')).toEqual({ buffer: { status: 'up' } });
    } finally {
      await app.close();
      admin.disconnect();
      admin = redis.client();
    }
  });

  it('never reports the URL or password', async () => {
    const app = await boot(`redis://:hunter2@127.0.0.1:${redis.port + 1}/1`, 'secret');
    try {
      const result = await app.get(BufferHealthIndicator).check('redis');
      expect(result.redis.status).toBe('down');
      expect(JSON.stringify(result)).not.toMatch(/hunter2|redis:\/\//);
    } finally {
      await app.close();
    }
  });
});
