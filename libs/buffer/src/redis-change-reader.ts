import { ChangeEnvelope, Position } from '@kasho/contracts';
import type Redis from 'ioredis';
import { BufferClosedError } from './buffer.errors';
import { ChangeReader } from './change-buffer';
import { decodeEntry } from './change-codec';

type StreamEntries = [id: string, fields: string[]][];

/**
 * Blocking reads on a connection of its own (a pending XREAD BLOCK occupies it). Each read is stateless,
 * "after P": replay of retained entries and following new ones are the same call on the same ordered
 * stream (I4), so a read cut short (timeout, close, reconnect) loses nothing: the caller asks again.
 */
export class RedisChangeReader implements ChangeReader {
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly stream: string,
    private readonly onClosed: (reader: RedisChangeReader) => void = () => undefined,
  ) {}

  async read(after: Position, count: number, blockMs: number): Promise<ChangeEnvelope[]> {
    if (this.closed) throw new BufferClosedError('ChangeReader');
    if (!Number.isInteger(count) || count < 1) throw new Error(`read count must be a positive integer, got ${count}`);
    const block = blockMs > 0 ? ['BLOCK', String(Math.ceil(blockMs))] : [];
    let reply: unknown;
    try {
      reply = await this.redis.call('XREAD', 'COUNT', String(count), ...block, 'STREAMS', this.stream, after.toString());
    } catch (err) {
      if (this.closed) return [];
      throw err;
    }
    return entriesOf(reply as [key: string, entries: StreamEntries][] | null).map(([id, fields]) => decodeEntry(id, fields));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClosed(this);
    this.redis.disconnect();
  }
}

function entriesOf(reply: [key: string, entries: StreamEntries][] | null): StreamEntries {
  if (!reply || reply.length === 0) return [];
  return reply[0][1] ?? [];
}
