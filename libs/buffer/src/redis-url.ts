import type { RedisOptions } from 'ioredis';

/** Connection settings from a `redis://` / `rediss://` URL. Errors never echo the URL (it may hold a password). */
export function redisConnectionOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('invalid Redis URL: expected redis://[[user]:password@]host[:port][/db] or rediss://…');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`invalid Redis URL: scheme must be redis:// or rediss://, got ${parsed.protocol}//`);
  }
  if (!parsed.hostname) throw new Error('invalid Redis URL: host is missing');
  const dbText = parsed.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) throw new Error('invalid Redis URL: the path must be a database number, e.g. /0');
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: RedisOptions = {
    host,
    port: parsed.port ? Number(parsed.port) : 6379,
    db: dbText === '' ? 0 : Number(dbText),
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  if (parsed.protocol === 'rediss:') options.tls = { servername: host };
  return options;
}

/** The URL for logs and health details: the password replaced by `***`. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid Redis URL>';
  }
}
