import { randomUUID } from 'node:crypto';
import { ChangeEnvelope, Position } from '@kasho/contracts';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Cluster } from 'ioredis';
import { isEpochError, loadAppendScript, runAppendScript, tailErrorLast } from './append.script';
import { BufferClosedError, BufferEpochChangedError, BufferTailLostError } from './buffer.errors';
import { BUFFER_OPTIONS } from './buffer.module-definition';
import { BufferKeys, BufferOptions, bufferKeys } from './buffer.options';
import { BufferProbe, ChangeBuffer, ChangeReader } from './change-buffer';
import { decodeCompact, encodeCompact, entryFields, relationDigestOf } from './change-codec';
import { RelationDef, parseRelation } from './relation-codec';
import { BufferRedis, createRedisConnection, masterNodes } from './redis-connection';
import { RedisChangeReader } from './redis-change-reader';
import { batchIds, successor } from './stream-ids';

/**
 * The change buffer on one Redis Stream per pipeline (`kasho:{<name>}:changes`), entry ID = position (I1),
 * guarded by an epoch key so a Redis that came back empty is detected on the next append (I2).
 */
@Injectable()
export class RedisChangeBuffer implements ChangeBuffer, OnApplicationShutdown {
  private readonly keys: BufferKeys;
  private readonly name: string;
  private readonly redis: BufferRedis;
  private readonly readers = new Set<RedisChangeReader>();
  private epoch?: string;
  /** The stream's last ID after this writer's last append ('' until the first append after open()). */
  private expectedLast = '';
  /** Relation digests stored under the current epoch (a new epoch means an empty Redis: store them again). */
  private readonly storedRelations = new Set<string>();
  private readerCount = 0;
  private closed = false;

  constructor(@Inject(BUFFER_OPTIONS) private readonly options: BufferOptions) {
    this.name = options.name ?? 'default';
    this.keys = bufferKeys(this.name);
    this.redis = createRedisConnection(options.url, `kasho-${this.name}-buffer`);
  }

  async open(): Promise<{ epoch: string; fresh: boolean }> {
    this.assertOpen();
    for (let attempt = 0; attempt < 3; attempt++) {
      const candidate = randomUUID();
      const created = await this.redis.set(this.keys.epoch, candidate, 'NX');
      const epoch = created === 'OK' ? candidate : await this.redis.get(this.keys.epoch);
      if (epoch === null) continue; // lost between SET NX and GET (Redis restarted): try again
      await loadAppendScript(this.redis);
      this.epoch = epoch;
      this.expectedLast = '';
      this.storedRelations.clear();
      return { epoch, fresh: created === 'OK' };
    }
    throw new Error('could not establish the buffer epoch: Redis lost it repeatedly while opening');
  }

  async append(changes: ChangeEnvelope[]): Promise<{ appended: number; skipped: number }> {
    this.assertOpen();
    const epoch = this.epoch;
    if (epoch === undefined) throw new Error('ChangeBuffer.append() before open()');
    const ids = batchIds(changes);
    if (ids.length === 0) return { appended: 0, skipped: 0 };
    const newRelations = new Map<string, string>();
    const collect = (def: RelationDef) => {
      if (!this.storedRelations.has(def.digest)) newRelations.set(def.digest, def.json);
    };
    const entries = ids.map((id, i) => [id.toString(), encodeCompact(changes[i].change, collect)] as const);
    try {
      const { appended, skipped, last } = await runAppendScript(this.redis, this.keys, epoch, this.expectedLast, entries, [...newRelations]);
      for (const digest of newRelations.keys()) this.storedRelations.add(digest);
      this.expectedLast = last;
      return { appended, skipped };
    } catch (err) {
      if (isEpochError(err)) throw new BufferEpochChangedError(epoch);
      const found = tailErrorLast(err);
      if (found !== null) throw new BufferTailLostError(this.expectedLast, found);
      throw err;
    }
  }

  async entryAt(position: Position): Promise<ChangeEnvelope | null> {
    this.assertOpen();
    const id = position.toString();
    const entries = (await this.redis.xrange(this.keys.stream, id, id)) as [string, string[]][];
    if (entries.length === 0) return null;
    const [entryId, fields] = entries[0];
    const { json } = entryFields(entryId, fields);
    const digest = relationDigestOf(json);
    const columns = digest === undefined ? null : parseRelation((await this.redis.hget(this.keys.relations, digest)) ?? '');
    return decodeCompact(entryId, json, () => columns ?? undefined);
  }

  async reset(): Promise<void> {
    this.assertOpen();
    await this.redis.del(this.keys.stream, this.keys.epoch);
    this.epoch = undefined;
    this.expectedLast = '';
  }

  /**
   * On a cluster every master is asked (each has its own setting) and the most evicting policy is reported,
   * so one `allkeys-*` node is enough to refuse; null when any node refuses to say.
   */
  async evictionPolicy(): Promise<string | null> {
    this.assertOpen();
    if (this.redis instanceof Cluster && this.redis.status === 'wait') await this.redis.connect();
    const policies: string[] = [];
    for (const node of masterNodes(this.redis)) {
      try {
        const reply = (await node.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
        if (reply.length < 2) return null;
        policies.push(String(reply[1]));
      } catch (err) {
        // Redis answered with an error: CONFIG renamed, disabled or not permitted (managed Redis). Unreachable: rejects.
        if (err instanceof Error && err.name === 'ReplyError') return null;
        throw err;
      }
    }
    const rank = (policy: string) => (policy.startsWith('allkeys-') ? 2 : policy === 'noeviction' ? 0 : 1);
    return policies.sort((a, b) => rank(b) - rank(a))[0] ?? null;
  }

  openReader(): ChangeReader {
    this.assertOpen();
    const connection = createRedisConnection(this.options.url, `kasho-${this.name}-reader-${++this.readerCount}`, {
      // A blocking read never outlives its BLOCK time by more than the grace, even on a silently dead socket.
      blockingTimeout: 30_000,
      blockingTimeoutGrace: 2_000,
    });
    const reader = new RedisChangeReader(connection, this.keys.stream, this.keys.relations, (r) => this.readers.delete(r));
    this.readers.add(reader);
    return reader;
  }

  async trimThrough(position: Position): Promise<void> {
    this.assertOpen();
    const min = successor(position);
    // Exact trimming (no `~`), so length() counts exactly what is not applied yet (backpressure, I5).
    // Either form keeps last-generated-id, so re-delivery of trimmed IDs is still skipped.
    if (min === null) await this.redis.call('XTRIM', this.keys.stream, 'MAXLEN', '0');
    else await this.redis.call('XTRIM', this.keys.stream, 'MINID', min.toString());
  }

  async length(): Promise<number> {
    this.assertOpen();
    return this.redis.xlen(this.keys.stream);
  }

  async lastPosition(): Promise<Position | null> {
    this.assertOpen();
    let info: unknown;
    try {
      info = await this.redis.call('XINFO', 'STREAM', this.keys.stream);
    } catch (err) {
      if (err instanceof Error && /no such key/i.test(err.message)) return null;
      throw err;
    }
    const fields = info as unknown[];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'last-generated-id') return Position.parse(String(fields[i + 1]));
    }
    throw new Error('XINFO STREAM did not report last-generated-id');
  }

  async setApplied(position: Position): Promise<void> {
    this.assertOpen();
    await this.redis.set(this.keys.applied, position.toString());
  }

  async getApplied(): Promise<Position | null> {
    this.assertOpen();
    const text = await this.redis.get(this.keys.applied);
    return text === null ? null : Position.parse(text);
  }

  async epochIntact(): Promise<boolean> {
    this.assertOpen();
    return this.epoch !== undefined && (await this.redis.get(this.keys.epoch)) === this.epoch;
  }

  /** PING, then whether the epoch key exists (missing: Redis lost the buffer and the writer has not re-opened yet). */
  async probe(): Promise<BufferProbe> {
    this.assertOpen();
    await this.redis.ping();
    return { epochPresent: (await this.redis.exists(this.keys.epoch)) === 1 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.readers].map((r) => r.close()));
    this.redis.disconnect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new BufferClosedError('ChangeBuffer');
  }
}
