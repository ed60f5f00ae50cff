import { redactRedisUrl, redisConnectionOptions } from './redis-url';

describe('Redis URL', () => {
  it('reads host, port, db, user and password', () => {
    expect(redisConnectionOptions('redis://127.0.0.1:6380/3')).toEqual({ host: '127.0.0.1', port: 6380, db: 3 });
    expect(redisConnectionOptions('redis://redis')).toEqual({ host: 'redis', port: 6379, db: 0 });
    expect(redisConnectionOptions('redis://:p%40ss@h:1/0')).toEqual({ host: 'h', port: 1, db: 0, password: 'p@ss' });
    expect(redisConnectionOptions('redis://kasho:pw@h')).toMatchObject({ username: 'kasho', password: 'pw' });
  });

  it('turns TLS on for rediss://', () => {
    expect(redisConnectionOptions('rediss://:pw@cache.example.com:6380/1')).toEqual({
      host: 'cache.example.com',
      port: 6380,
      db: 1,
      password: 'pw',
      tls: { servername: 'cache.example.com' },
    });
  });

  it('refuses other schemes and bad paths without echoing the URL', () => {
    expect(() => redisConnectionOptions('http://:secret@h')).toThrow('scheme must be redis:// or rediss://');
    expect(() => redisConnectionOptions('redis://:secret@h/x')).toThrow('database number');
    expect(() => redisConnectionOptions('not a url secret')).toThrow('invalid Redis URL');
    for (const bad of ['http://:secret@h', 'redis://:secret@h/x', 'secret']) {
      expect(() => redisConnectionOptions(bad)).not.toThrow(/secret/);
    }
  });

  it('redacts the password for logs', () => {
    expect(redactRedisUrl('redis://user:s3cret@h:6379/2')).toBe('redis://user:***@h:6379/2');
    expect(redactRedisUrl('rediss://h:6380')).toBe('rediss://h:6380');
    expect(redactRedisUrl('::s3cret::')).toBe('<invalid Redis URL>');
  });
});
