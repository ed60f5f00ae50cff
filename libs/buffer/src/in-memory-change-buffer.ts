import { randomUUID } from 'node:crypto';
import { ChangeEnvelope, Position } from '@kasho/contracts';
import { BufferClosedError, BufferEpochChangedError } from './buffer.errors';
import { ChangeBuffer, ChangeReader } from './change-buffer';
import { decodeChange, encodeChange } from './change-codec';
import { batchIds, successor } from './stream-ids';

interface Entry {
  id: Position;
  json: string;
}

/**
 * The same semantics as {@link RedisChangeBuffer} in process memory, for unit tests of other modules:
 * epoch check, skip at or below the last ID, last ID kept across trims, blocking reads with a timeout,
 * close interrupting pending reads. Entries are stored encoded, so readers get copies, as from Redis.
 * {@link simulateDataLoss} plays the part of a Redis that restarted empty.
 */
export class InMemoryChangeBuffer implements ChangeBuffer {
  private entries: Entry[] = [];
  private last: Position | null = null;
  private storedEpoch: string | null = null;
  private applied: Position | null = null;
  private writerEpoch?: string;
  private closed = false;
  private readonly readers = new Set<InMemoryChangeReader>();

  async open(): Promise<{ epoch: string; fresh: boolean }> {
    this.assertOpen();
    const fresh = this.storedEpoch === null;
    if (fresh) this.storedEpoch = randomUUID();
    this.writerEpoch = this.storedEpoch as string;
    return { epoch: this.writerEpoch, fresh };
  }

  async append(changes: ChangeEnvelope[]): Promise<{ appended: number; skipped: number }> {
    this.assertOpen();
    if (this.writerEpoch === undefined) throw new Error('ChangeBuffer.append() before open()');
    const ids = batchIds(changes);
    if (ids.length === 0) return { appended: 0, skipped: 0 };
    if (this.storedEpoch !== this.writerEpoch) throw new BufferEpochChangedError(this.writerEpoch);
    let appended = 0;
    ids.forEach((id, i) => {
      if (this.last !== null ? !id.isAfter(this.last) : id.equals(Position.ZERO)) return;
      this.entries.push({ id, json: encodeChange(changes[i].change) });
      this.last = id;
      appended++;
    });
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

  async trimThrough(position: Position): Promise<void> {
    this.assertOpen();
    const min = successor(position);
    this.entries = min === null ? [] : this.entries.filter((e) => e.id.compare(min) >= 0);
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.readers].map((r) => r.close()));
  }

  /** Test helper: forget everything, like a Redis that restarted without persistence. */
  simulateDataLoss(): void {
    this.entries = [];
    this.last = null;
    this.storedEpoch = null;
    this.applied = null;
  }

  private entriesAfter(after: Position, count: number, maxBytes = Infinity): ChangeEnvelope[] {
    const out: ChangeEnvelope[] = [];
    let bytes = 0;
    for (const e of this.entries) {
      if (out.length >= count) break;
      if (!e.id.isAfter(after)) continue;
      if (out.length > 0 && bytes + e.json.length > maxBytes) break;
      bytes += e.json.length;
      out.push(decodeChange(e.id.toString(), e.json));
    }
    return out;
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
