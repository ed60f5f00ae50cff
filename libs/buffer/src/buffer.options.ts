export interface BufferOptions {
  /**
   * `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS); a Redis Cluster / Valkey cluster as
   * `redis+cluster://[[user]:password@]host1:port[,host2:port…]` or `rediss+cluster://…` (seed nodes, no db).
   */
  url: string;
  /** Pipeline name: keys are `kasho:{<name>}:…`. Letters, digits, `.`, `_`, `-`. Default `default`. */
  name?: string;
  /** Bound of the health probe (PING + epoch). Default 1000 ms. */
  healthTimeoutMs?: number;
}

export interface BufferKeys {
  stream: string;
  epoch: string;
  applied: string;
  /** Hash of relation digest → column metadata JSON (rows reference it instead of repeating it). */
  relations: string;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The keys of one pipeline, all under the hash tag `{<name>}`: on Redis Cluster / Valkey cluster they hash
 * to one slot, so the scripts and multi-key commands that touch several of them run there (no CROSSSLOT),
 * while different pipelines spread over the cluster's slots.
 */
export function bufferKeys(name = 'default'): BufferKeys {
  if (!NAME.test(name)) throw new Error(`invalid buffer name "${name}": use 1-64 letters, digits, '.', '_' or '-'`);
  const key = (suffix: string) => `kasho:{${name}}:${suffix}`;
  return { stream: key('changes'), epoch: key('epoch'), applied: key('applied'), relations: key('relations') };
}
