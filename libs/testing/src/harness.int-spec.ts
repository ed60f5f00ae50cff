import { EphemeralPostgres, EphemeralRedis } from '@kasho/testing';

describe('test harness', () => {
  it('starts a logical-replication PostgreSQL and a Redis, then stops them', async () => {
    const pg = await EphemeralPostgres.start();
    const redis = await EphemeralRedis.start();
    try {
      const [row] = await pg.query<{ wal_level: string }>('SHOW wal_level');
      expect(row.wal_level).toBe('logical');
      const client = redis.client();
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      client.disconnect();
      await redis.restartEmpty();
      const again = redis.client();
      expect(await again.get('k')).toBeNull();
      again.disconnect();
    } finally {
      await redis.stop();
      await pg.stop();
    }
  });
});
