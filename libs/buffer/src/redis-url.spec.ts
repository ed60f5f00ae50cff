import { parseRedisUrl, redactRedisUrl, redisConnectionOptions } from './redis-url';

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
    expect(() => redisConnectionOptions('http://:secret@h')).toThrow('scheme must be redis://, rediss://, unix://, redis+cluster:// or rediss+cluster://');
    expect(() => redisConnectionOptions('redis://:secret@h/x')).toThrow('database number');
    expect(() => redisConnectionOptions('not a url secret')).toThrow('invalid Redis URL');
    for (const bad of ['http://:secret@h', 'redis://:secret@h/x', 'secret']) {
      expect(() => redisConnectionOptions(bad)).not.toThrow(/secret/);
    }
  });

  it('reads a Unix socket path, with user, password and ?db=', () => {
    expect(parseRedisUrl('unix:///run/redis/redis.sock')).toEqual({ kind: 'single', options: { path: '/run/redis/redis.sock', db: 0 } });
    expect(parseRedisUrl('unix://:p%40ss@/tmp/my%20dir/r.sock?db=3')).toEqual({
      kind: 'single',
      options: { path: '/tmp/my dir/r.sock', db: 3, password: 'p@ss' },
    });
    expect(parseRedisUrl('UNIX://kasho:pw@/r.sock')).toEqual({ kind: 'single', options: { path: '/r.sock', db: 0, username: 'kasho', password: 'pw' } });
    expect(redactRedisUrl('unix://kasho:s3cret@/tmp/r.sock?db=1')).toBe('unix://kasho:***@/tmp/r.sock?db=1');
    expect(redactRedisUrl('unix:///tmp/r.sock')).toBe('unix:///tmp/r.sock');
  });

  it('refuses a relative socket path, a host, and options other than db, without echoing the URL', () => {
    expect(() => parseRedisUrl('unix://:secret@relative.sock')).toThrow('an absolute socket path');
    expect(() => parseRedisUrl('unix://:secret@localhost/tmp/r.sock')).toThrow('an absolute socket path');
    expect(() => parseRedisUrl('unix://:secret@/tmp/r.sock?timeout=1')).toThrow('unix:// takes only ?db=N');
    expect(() => parseRedisUrl('unix://:secret@/tmp/r.sock?db=x')).toThrow('?db= must be a database number');
    for (const bad of ['unix://:secret@relative.sock', 'unix://:secret@/r.sock?secret=1', 'unix://:secret@/r.sock?db=secret']) {
      expect(() => parseRedisUrl(bad)).not.toThrow(/secret/);
    }
  });

  it('reads a single Redis or a cluster of seed nodes', () => {
    expect(parseRedisUrl('redis://h:1/2')).toEqual({ kind: 'single', options: { host: 'h', port: 1, db: 2 } });
    expect(parseRedisUrl('redis+cluster://u:p%40ss@a:7000,b,[::1]:7002/')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 6379 },
        { host: '::1', port: 7002 },
      ],
      options: { redisOptions: { username: 'u', password: 'p@ss' } },
    });
    expect(parseRedisUrl('rediss+cluster://c:7000')).toEqual({ kind: 'cluster', nodes: [{ host: 'c', port: 7000 }], options: { redisOptions: { tls: {} } } });
  });

  it('refuses a cluster URL with a database, an empty seed or a bad port, without echoing it', () => {
    expect(() => parseRedisUrl('redis+cluster://:secret@a:1/1')).toThrow('database 0 only');
    expect(() => parseRedisUrl('redis+cluster://:secret@a:1,')).toThrow('seed nodes separated by commas');
    expect(() => parseRedisUrl('redis+cluster://:secret@a:x')).toThrow('invalid Redis URL');
    expect(() => parseRedisUrl('redis+cluster://:secret@a:1?x=1')).toThrow('expected redis+cluster://');
    for (const bad of ['redis+cluster://:secret@a:1/1', 'redis+cluster://:secret@a:1,', 'redis+cluster://:secret@a:x', 'redis+cluster://:secret@a:1?x=1']) {
      expect(() => parseRedisUrl(bad)).not.toThrow(/secret/);
    }
  });

  it('redacts the password for logs', () => {
    expect(redactRedisUrl('redis://user:s3cret@h:6379/2')).toBe('redis://user:***@h:6379/2');
    expect(redactRedisUrl('rediss://h:6380')).toBe('rediss://h:6380');
    expect(redactRedisUrl('::s3cret::')).toBe('<invalid Redis URL>');
    expect(redactRedisUrl('redis+cluster://u:s3cret@a:1,b:2')).toBe('redis+cluster://u:***@a:1,b:2');
    expect(redactRedisUrl('rediss+cluster://a:1,b:2/')).toBe('rediss+cluster://a:1,b:2/');
  });
});
