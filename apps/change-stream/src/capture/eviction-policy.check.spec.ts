import { ChangeBuffer } from '@kasho/buffer';
import { CaptureOptions } from './capture.options';
import { EvictionPolicyCheck } from './eviction-policy.check';

describe('EvictionPolicyCheck', () => {
  const options = { bufferUrl: 'redis://:hunter2@redis:6379/0' } as CaptureOptions;
  const check = (evictionPolicy: () => Promise<string | null>) =>
    new EvictionPolicyCheck({ evictionPolicy } as unknown as ChangeBuffer, options).onModuleInit();

  it('refuses to start on an allkeys-* Redis, naming the policy and the Redis without its password', async () => {
    const refusal = check(async () => 'allkeys-lru');
    await expect(refusal).rejects.toThrow('maxmemory-policy allkeys-lru');
    await expect(check(async () => 'allkeys-lru')).rejects.toThrow('redis://:***@redis:6379/0');
    await expect(check(async () => 'allkeys-lru')).rejects.not.toThrow('hunter2');
  });

  it('starts on noeviction, volatile-*, a disabled CONFIG, and a Redis that does not answer yet', async () => {
    await expect(check(async () => 'noeviction')).resolves.toBeUndefined();
    await expect(check(async () => 'volatile-ttl')).resolves.toBeUndefined();
    await expect(check(async () => null)).resolves.toBeUndefined();
    await expect(check(async () => Promise.reject(new Error('connect ECONNREFUSED')))).resolves.toBeUndefined();
  });

  it('does not run against the in-process buffer of KV_URL=memory://', async () => {
    const evictionPolicy = jest.fn(async () => 'allkeys-lru');
    await new EvictionPolicyCheck({ evictionPolicy } as unknown as ChangeBuffer, { ...options, bufferUrl: 'memory://' }).onModuleInit();
    expect(evictionPolicy).not.toHaveBeenCalled();
  });
});
