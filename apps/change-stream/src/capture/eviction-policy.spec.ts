import { judgeEvictionPolicy } from './eviction-policy';

describe('judgeEvictionPolicy', () => {
  const where = 'redis://redis:6379/0';

  it('accepts noeviction', () => {
    expect(judgeEvictionPolicy('noeviction', where)).toEqual({ action: 'ok' });
  });

  it('refuses allkeys-* naming the policy, the Redis and the fix', () => {
    for (const policy of ['allkeys-lru', 'allkeys-lfu', 'allkeys-random']) {
      const verdict = judgeEvictionPolicy(policy, where);
      expect(verdict.action).toBe('refuse');
      expect(verdict).toMatchObject({ message: expect.stringContaining(policy) });
      expect(verdict).toMatchObject({ message: expect.stringContaining(where) });
      expect(verdict).toMatchObject({ message: expect.stringContaining('noeviction') });
    }
  });

  it('warns for volatile-* and when CONFIG is disabled', () => {
    expect(judgeEvictionPolicy('volatile-lru', where)).toMatchObject({ action: 'warn', message: expect.stringContaining('volatile-lru') });
    expect(judgeEvictionPolicy(null, where)).toMatchObject({ action: 'warn', message: expect.stringContaining('cannot read maxmemory-policy') });
  });
});
