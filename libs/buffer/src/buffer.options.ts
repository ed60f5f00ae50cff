export interface BufferOptions {
  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS). */
  url: string;
  /** Pipeline name: keys are `kasho:<name>:…`. Letters, digits, `.`, `_`, `-`. Default `default`. */
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

export function bufferKeys(name = 'default'): BufferKeys {
  if (!NAME.test(name)) throw new Error(`invalid buffer name "${name}": use 1-64 letters, digits, '.', '_' or '-'`);
  return { stream: `kasho:${name}:changes`, epoch: `kasho:${name}:epoch`, applied: `kasho:${name}:applied`, relations: `kasho:${name}:relations` };
}
