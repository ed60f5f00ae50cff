/**
 * Redis may evict stream entries under memory pressure when its `maxmemory-policy` allows it, which
 * would punch holes in the buffer. `allkeys-*` evicts any key: refused at start. `volatile-*` evicts
 * only keys with a TTL (Kasho sets none), still one `EXPIRE` away from a hole: a warning.
 * Returns what to do; the caller logs or refuses.
 */
export type EvictionVerdict = { action: 'ok' } | { action: 'warn' | 'refuse'; message: string };

export function judgeEvictionPolicy(policy: string | null, where: string): EvictionVerdict {
  const fix = `set maxmemory-policy noeviction on it (CONFIG SET maxmemory-policy noeviction, and in redis.conf)`;
  if (policy === null) {
    return {
      action: 'warn',
      message: `cannot read maxmemory-policy of the Redis at KV_URL (${where}): CONFIG is disabled there; make sure it is noeviction, or the buffer may lose entries`,
    };
  }
  if (policy.startsWith('allkeys-')) {
    return { action: 'refuse', message: `the Redis at KV_URL (${where}) has maxmemory-policy ${policy}, which evicts buffered changes: ${fix}` };
  }
  if (policy.startsWith('volatile-')) {
    return {
      action: 'warn',
      message: `the Redis at KV_URL (${where}) has maxmemory-policy ${policy}: Kasho's keys have no TTL so they are not evicted today, but noeviction is safer: ${fix}`,
    };
  }
  return { action: 'ok' };
}
