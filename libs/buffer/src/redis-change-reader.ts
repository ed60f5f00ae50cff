import { ChangeEnvelope, ColumnMeta, Position } from '@kasho/contracts';
import { BufferClosedError, ChangeDecodeError } from './buffer.errors';
import { ChangeReader } from './change-buffer';
import { decodeCompact, entryFields, relationDigestOf } from './change-codec';
import { StreamEntries, readPage } from './read-page.script';
import type { BufferRedis } from './redis-connection';
import { parseRelation } from './relation-codec';
import { assertContiguous } from './stream-continuity';

/**
 * Blocking reads on a connection of its own (a pending XREAD BLOCK occupies it). Each read is stateless,
 * "after P": replay of retained entries and following new ones are the same call on the same ordered
 * stream (I4), so a read cut short (timeout, close, reconnect) loses nothing: the caller asks again.
 * Each read proves the entries it returns follow the cursor and one another without a hole
 * (BufferGapError otherwise).
 */
export class RedisChangeReader implements ChangeReader {
  private closed = false;
  /** Relation definitions are immutable per id: fetched once, shared by every row that uses them. */
  private readonly relations = new Map<string, ColumnMeta[]>();

  constructor(
    private readonly redis: BufferRedis,
    private readonly stream: string,
    private readonly relationsKey: string,
    private readonly onClosed: (reader: RedisChangeReader) => void = () => undefined,
  ) {}

  async read(after: Position, count: number, blockMs: number, maxBytes?: number): Promise<ChangeEnvelope[]> {
    if (this.closed) throw new BufferClosedError('ChangeReader');
    if (!Number.isInteger(count) || count < 1) throw new Error(`read count must be a positive integer, got ${count}`);
    let raw: StreamEntries;
    try {
      raw = maxBytes === undefined ? await this.xread(after, count, blockMs) : await this.readBounded(after, count, blockMs, maxBytes);
    } catch (err) {
      if (this.closed) return [];
      throw err;
    }
    const read = raw.map(([id, fields]) => ({ id, ...entryFields(id, fields) }));
    // Every entry names its predecessor: a hole (lost entries) throws BufferGapError here, never skipped (I2).
    assertContiguous(after, read);
    const entries = read.map(({ id, json }) => [id, json] as const);
    await this.fetchRelations(entries);
    return entries.map(([id, json]) => decodeCompact(id, json, (digest) => this.relations.get(digest)));
  }

  private async xread(after: Position, count: number, blockMs: number): Promise<StreamEntries> {
    const block = blockMs > 0 ? ['BLOCK', String(Math.ceil(blockMs))] : [];
    const reply = await this.redis.call('XREAD', 'COUNT', String(count), ...block, 'STREAMS', this.stream, after.toString());
    return entriesOf(reply as [key: string, entries: StreamEntries][] | null);
  }

  /**
   * A page of at most `maxBytes` (the first entry always): a script run takes what is there; when
   * nothing is, XREAD BLOCK waits for the next entry alone (still the same ordered stream, I4), and
   * the rest of the page is taken after it.
   */
  private async readBounded(after: Position, count: number, blockMs: number, maxBytes: number): Promise<StreamEntries> {
    const page = await readPage(this.redis, this.stream, after.toString(), count, maxBytes);
    if (page.length > 0 || blockMs <= 0) return page;
    const [first] = await this.xread(after, 1, blockMs);
    if (!first || count === 1 || this.closed) return first ? [first] : [];
    const size = first[1].reduce((n, value, i) => (i % 2 === 1 ? n + Buffer.byteLength(value) : n), 0);
    return [first, ...(await readPage(this.redis, this.stream, first[0], count - 1, maxBytes, Math.max(1, size)))];
  }

  private async fetchRelations(entries: readonly (readonly [id: string, json: string])[]): Promise<void> {
    const missing = new Map<string, string>();
    for (const [id, json] of entries) {
      const digest = relationDigestOf(json);
      if (digest !== undefined && !this.relations.has(digest) && !missing.has(digest)) missing.set(digest, id);
    }
    if (missing.size === 0) return;
    const digests = [...missing.keys()];
    const values = (await this.redis.hmget(this.relationsKey, ...digests)) as (string | null)[];
    digests.forEach((digest, i) => {
      const columns = values[i] === null ? null : parseRelation(values[i]!);
      if (!columns) throw new ChangeDecodeError(missing.get(digest)!, `relation ${digest} is missing from the buffer`);
      this.relations.set(digest, columns);
    });
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
