import { randomUUID } from 'node:crypto';
import { ChangeEnvelope, Position } from '@kasho/contracts';
import type { OnApplicationShutdown } from '@nestjs/common';
import { BufferClosedError, BufferEpochChangedError, BufferTailLostError } from './buffer.errors';
import { BufferProbe, ChangeBuffer, ChangeReader } from './change-buffer';
import { decodeChange, encodeChange } from './change-codec';
import { assertContiguous } from './stream-continuity';
import { batchIds, successor } from './stream-ids';

interface Entry {
  id: Position;
  json: string;
  /** Stored bytes of `json` (UTF-8), what a page's byte budget counts. */
  bytes: number;
  /** The predecessor's ID, as the Redis append script records it. */
  prev: Position;
}

/**
 * The same semantics as {@link RedisChangeBuffer} in process memory: epoch check, skip at or below the
 * last ID, last ID kept across trims, blocking reads with a timeout, close interrupting pending reads,
 * predecessor IDs, holes and lost tails, pages bounded by count and bytes. Entries are stored encoded,
 * so readers get copies, as from Redis. Used by unit tests of other modules, and by pg-change-stream
 * with `KV_URL=memory://` (demos and development: a restart empties it, which is a buffer that came
 * back empty, and decoding restarts from the slot). {@link simulateDataLoss} plays the part of a Redis
 * that restarted empty, {@link simulateEntryLoss} one that lost entries, {@link simulateTailLoss} an older RDB.
 */
export class InMemoryChangeBuffer implements ChangeBuffer, OnApplicationShutdown {
  private entries: Entry[] = [];
  private last: Position | null = null;
  private storedEpoch: string | null = null;
  private applied: Position | null = null;
  private writerEpoch?: string;
  /** The last ID after this writer's last append; null right after open(). */
  private expectedLast: Position | null = null;
  private closed = false;
  private readonly readers = new Set<InMemoryChangeReader>();

  async open(): Promise<{ epoch: string; fresh: boolean }> {
    this.assertOpen();
    const fresh = this.storedEpoch === null;
    if (fresh) this.storedEpoch = randomUUID();
    this.writerEpoch = this.storedEpoch as string;
    this.expectedLast = null;
    return { epoch: this.writerEpoch, fresh };
  }

  async append(changes: ChangeEnvelope[]): Promise<{ appended: number; skipped: number }> {
    this.assertOpen();
    if (this.writerEpoch === undefined) throw new Error('ChangeBuffer.append() before open()');
    const ids = batchIds(changes);
    if (ids.length === 0) return { appended: 0, skipped: 0 };
    if (this.storedEpoch !== this.writerEpoch) throw new BufferEpochChangedError(this.writerEpoch);
    const last = this.last ?? Position.ZERO;
    if (this.expectedLast !== null && !this.expectedLast.equals(last)) throw new BufferTailLostError(this.expectedLast.toString(), last.toString());
    let appended = 0;
    ids.forEach((id, i) => {
      if (this.last !== null ? !id.isAfter(this.last) : id.equals(Position.ZERO)) return;
      const json = encodeChange(changes[i].change);
      this.entries.push({ id, json, bytes: Buffer.byteLength(json), prev: this.last ?? Position.ZERO });
      this.last = id;
      appended++;
    });
    this.expectedLast = this.last ?? Position.ZERO;
    if (appended > 0) this.readers.forEach((r) => r.wake());
    return { appended, skipped: ids.length - appended };
  }

  openReader(): ChangeReader {
    this.assertOpen();
    const reader = new InMemoryChangeReader(
      (after, count, maxBytes) => this.entriesAfter(after, count, maxBytes),
      (r) => this.readers.delete(r),
    );
    this.readers.add(reader);
    return reader;
  }

  async entryAt(position: Position): Promise<ChangeEnvelope | null> {
    this.assertOpen();
    const entry = this.entries[this.firstAtOrAfter(position)];
    return entry?.id.equals(position) ? decodeChange(entry.id.toString(), entry.json) : null;
  }

  async reset(): Promise<void> {
    this.assertOpen();
    this.entries = [];
    this.last = null;
    this.storedEpoch = null;
    this.writerEpoch = undefined;
    this.expectedLast = null;
  }

  async evictionPolicy(): Promise<string | null> {
    this.assertOpen();
    return 'noeviction';
  }

  async trimThrough(position: Position): Promise<void> {
    this.assertOpen();
    const min = successor(position);
    this.entries = min === null ? [] : this.entries.slice(this.firstAtOrAfter(min));
  }

  async epochIntact(): Promise<boolean> {
    this.assertOpen();
    return this.writerEpoch !== undefined && this.storedEpoch === this.writerEpoch;
  }

  async length(): Promise<number> {
    this.assertOpen();
    return this.entries.length;
  }

  async lastPosition(): Promise<Position | null> {
    this.assertOpen();
    return this.last;
  }

  async setApplied(position: Position): Promise<void> {
    this.assertOpen();
    this.applied = position;
  }

  async getApplied(): Promise<Position | null> {
    this.assertOpen();
    return this.applied;
  }

  /** What the health indicator asks: whether the epoch exists (no PING: nothing to reach). */
  async probe(): Promise<BufferProbe> {
    this.assertOpen();
    return { epochPresent: this.storedEpoch !== null };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.readers].map((r) => r.close()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Test helper: forget everything, like a Redis that restarted without persistence. */
  simulateDataLoss(): void {
    this.entries = [];
    this.last = null;
    this.storedEpoch = null;
    this.applied = null;
  }

  /** Test helper: entries vanish from the middle or the end (XDEL, eviction, an AOF cut short); the last ID stays. */
  simulateEntryLoss(positions: readonly Position[]): void {
    this.entries = this.entries.filter((e) => !positions.some((p) => p.equals(e.id)));
  }

  /** Test helper: the last `count` entries vanish and the last ID goes back with them (a restart from an older RDB). */
  simulateTailLoss(count: number): void {
    this.entries = this.entries.slice(0, Math.max(0, this.entries.length - count));
    this.last = this.entries.length > 0 ? this.entries[this.entries.length - 1].id : null;
  }

  /** Index of the first entry at or after `position` (entries are in position order); length when none. */
  private firstAtOrAfter(position: Position): number {
    let [low, high] = [0, this.entries.length];
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[mid].id.compare(position) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private entriesAfter(after: Position, count: number, maxBytes = Infinity): ChangeEnvelope[] {
    const found: Entry[] = [];
    let bytes = 0;
    const next = successor(after);
    for (let i = next === null ? this.entries.length : this.firstAtOrAfter(next); i < this.entries.length; i++) {
      const e = this.entries[i];
      if (found.length >= count) break;
      if (found.length > 0 && bytes + e.bytes > maxBytes) break;
      bytes += e.bytes;
      found.push(e);
    }
    assertContiguous(
      after,
      found.map((e) => ({ id: e.id.toString(), prev: e.prev.toString() })),
    );
    return found.map((e) => decodeChange(e.id.toString(), e.json));
  }

  private assertOpen(): void {
    if (this.closed) throw new BufferClosedError('ChangeBuffer');
  }
}

class InMemoryChangeReader implements ChangeReader {
  private closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly fetch: (after: Position, count: number, maxBytes?: number) => ChangeEnvelope[],
    private readonly onClosed: (reader: InMemoryChangeReader) => void,
  ) {}

  async read(after: Position, count: number, blockMs: number, maxBytes?: number): Promise<ChangeEnvelope[]> {
    if (this.closed) throw new BufferClosedError('ChangeReader');
    if (!Number.isInteger(count) || count < 1) throw new Error(`read count must be a positive integer, got ${count}`);
    const deadline = Date.now() + blockMs;
    let found = this.fetch(after, count, maxBytes);
    // Like XREAD BLOCK: an append at or below `after` does not end the wait; the deadline does.
    while (found.length === 0 && !this.closed && Date.now() < deadline) {
      await this.waitForAppend(deadline - Date.now());
      found = this.closed ? [] : this.fetch(after, count, maxBytes);
    }
    return found;
  }

  /** New entries arrived: every pending read returns what is after its position. */
  wake(): void {
    [...this.waiters].forEach((done) => done());
  }

  private waitForAppend(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClosed(this);
    this.wake();
  }
}
