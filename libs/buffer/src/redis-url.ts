import type { ClusterOptions, RedisOptions } from 'ioredis';

/** Where the buffer lives: one Redis (`redis://`, `rediss://`, `unix://`) or a Redis Cluster (`redis+cluster://`, `rediss+cluster://`). */
export type RedisTarget = { kind: 'single'; options: RedisOptions } | { kind: 'cluster'; nodes: { host: string; port: number }[]; options: ClusterOptions };

/** `scheme://[userinfo@]hosts[/path]`, for the cluster form whose comma-separated host list `URL` cannot parse. */
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?$/i;

/** `unix://[userinfo@]/absolute/path[?query]`: WHATWG `URL` refuses userinfo without a host, so it is parsed here. */
const UNIX_URL = /^unix:\/\/(?:([^@/?#]*)@)?(\/[^?#]*)(?:\?([^#]*))?$/i;

/**
 * Connection settings from `unix://[[user]:password@]/path/to/redis.sock[?db=N]` (ioredis `path`):
 * a Redis on this host listening on a Unix socket (`unixsocket` in redis.conf). Errors never echo the URL.
 */
export function unixSocketOptions(url: string): RedisOptions {
  const match = UNIX_URL.exec(url);
  if (!match) throw new Error('invalid Redis URL: expected unix://[[user]:password@]/path/to/redis.sock[?db=N] (an absolute socket path)');
  const [, userinfo, rawPath, query] = match;
  let db = 0;
  for (const param of query ? query.split('&') : []) {
    const [name, value = ''] = param.split('=');
    if (name !== 'db') throw new Error('invalid Redis URL: unix:// takes only ?db=N');
    if (!/^\d{1,5}$/.test(value)) throw new Error('invalid Redis URL: ?db= must be a database number, e.g. ?db=0');
    db = Number(value);
  }
  const options: RedisOptions = { path: decodeURIComponent(rawPath), db };
  if (userinfo) applyUserinfo(options, userinfo);
  return options;
}

/** `user:password` (either part may be empty) of a URL's authority, decoded into `options`. */
function applyUserinfo(options: RedisOptions, userinfo: string): void {
  const colon = userinfo.indexOf(':');
  const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
  const password = colon < 0 ? '' : userinfo.slice(colon + 1);
  if (user) options.username = decodeURIComponent(user);
  if (password) options.password = decodeURIComponent(password);
}

/** Connection settings from a `redis://` / `rediss://` URL. Errors never echo the URL (it may hold a password). */
export function redisConnectionOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      'invalid Redis URL: expected redis://[[user]:password@]host[:port][/db], rediss://…, unix:///path/to/redis.sock or redis+cluster://host1:port,host2:port',
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`invalid Redis URL: scheme must be redis://, rediss://, unix://, redis+cluster:// or rediss+cluster://, got ${parsed.protocol}//`);
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

/**
 * A single Redis or a cluster from its URL. The cluster form lists seed nodes (one is enough, more survive
 * one being down at boot); the client discovers the rest. A cluster has database 0 only, so no `/db`.
 */
export function parseRedisUrl(url: string): RedisTarget {
  if (/^unix:/i.test(url)) return { kind: 'single', options: unixSocketOptions(url) };
  const cluster = CLUSTER_URL.exec(url);
  if (!cluster) {
    if (/^[a-z]+\+cluster:/i.test(url)) throw new Error('invalid Redis URL: expected redis+cluster://[[user]:password@]host1:port[,host2:port…]');
    return { kind: 'single', options: redisConnectionOptions(url) };
  }
  const [, scheme, userinfo, hostList, path] = cluster;
  if (path !== undefined && path !== '' && path !== '/' && path !== '/0') {
    throw new Error('invalid Redis URL: a Redis Cluster has database 0 only, so redis+cluster:// takes no /db path');
  }
  const seeds = hostList.split(',');
  if (seeds.some((seed) => seed.trim() === '')) throw new Error('invalid Redis URL: redis+cluster:// needs host:port seed nodes separated by commas');
  const nodes = seeds.map((seed) => {
    const { host, port } = redisConnectionOptions(`redis://${seed.trim()}`);
    return { host: host!, port: port! };
  });
  const redisOptions: RedisOptions = {};
  if (userinfo) applyUserinfo(redisOptions, userinfo);
  // TLS to every node; servername per node is left to the client (nodes are discovered by address).
  if (scheme.toLowerCase() === 'rediss') redisOptions.tls = {};
  return { kind: 'cluster', nodes, options: { redisOptions } };
}

/** The URL for logs and health details: the password replaced by `***`. */
export function redactRedisUrl(url: string): string {
  const unix = UNIX_URL.exec(url);
  if (unix) {
    const [, userinfo, path, query] = unix;
    const colon = userinfo?.indexOf(':') ?? -1;
    const who = userinfo === undefined ? '' : colon < 0 ? `${userinfo}@` : `${userinfo.slice(0, colon)}:***@`;
    return `unix://${who}${path}${query === undefined ? '' : `?${query}`}`;
  }
  const cluster = CLUSTER_URL.exec(url);
  if (cluster) {
    const [, scheme, userinfo, hostList, path] = cluster;
    const colon = userinfo?.indexOf(':') ?? -1;
    const who = userinfo === undefined ? '' : colon < 0 ? `${userinfo}@` : `${userinfo.slice(0, colon)}:***@`;
    return `${scheme}+cluster://${who}${hostList}${path ?? ''}`;
  }
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid Redis URL>';
  }
}
