/**
 * `KV_URL=memory://`: the change buffer in the process's own memory, for demos and development. Safe for
 * the invariants because a process that restarts finds it empty, exactly like a Redis that came back
 * empty: decoding restarts from the replication slot, which is confirmed only up to what the target
 * applied (I2). Not for production: every restart re-reads from the slot whatever the target has not
 * applied, and the buffered changes count against the process's heap.
 */
export const MEMORY_BUFFER_URL = 'memory://';

/** Which store a buffer URL names; only `memory://` (exactly) is the in-process one. */
export function bufferStoreOf(url: string): 'memory' | 'redis' {
  return /^memory:/i.test(url) ? 'memory' : 'redis';
}

/** What is wrong with a `memory:` URL, or null: it takes no host, port, path, query or credentials. */
export function memoryUrlProblem(url: string): string | null {
  if (bufferStoreOf(url) !== 'memory') return null;
  return url.toLowerCase() === MEMORY_BUFFER_URL ? null : `memory:// takes no host, path or options: use exactly ${MEMORY_BUFFER_URL}`;
}
