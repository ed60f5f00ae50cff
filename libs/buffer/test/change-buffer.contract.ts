import { Position } from '@kasho/contracts';
import { BufferClosedError, BufferEpochChangedError, BufferGapError, BufferOrderError, BufferTailLostError } from '../src/buffer.errors';
import { ChangeBuffer } from '../src/change-buffer';
import { commit, insert, inserts, positions } from '@kasho/testing';

export interface ContractSubject {
  buffer: ChangeBuffer;
  /** Make the backing store lose everything (Redis restarted empty). */
  loseData(): Promise<void>;
  /** Make entries vanish from the stream (XDEL): its last ID stays. */
  loseEntries(positions: readonly Position[]): Promise<void>;
  /** Make the last `count` entries vanish with the last ID going back to the entry before (an older RDB). */
  loseTail(count: number): Promise<void>;
}

const P = (text: string) => Position.parse(text);
const BIG = 9007199254740993n; // 2^53 + 1: not representable as a JS number

/**
 * The behaviour every ChangeBuffer must have, run against Redis (integration) and the in-memory
 * double (unit), so the double cannot drift from the real thing.
 */
export function changeBufferContract(newSubject: () => Promise<ContractSubject>): void {
  let subject: ContractSubject;
  let buffer: ChangeBuffer;

  beforeEach(async () => {
    subject = await newSubject();
    buffer = subject.buffer;
  });
  afterEach(async () => {
    await buffer.close();
  });

  it('opens fresh once, then finds the same epoch', async () => {
    const first = await buffer.open();
    expect(first.fresh).toBe(true);
    expect(first.epoch).toEqual(expect.any(String));
    expect(await buffer.open()).toEqual({ epoch: first.epoch, fresh: false });
    expect(await buffer.lastPosition()).toBeNull();
    expect(await buffer.length()).toBe(0);
  });

  it('refuses to append before open()', async () => {
    await expect(buffer.append([insert('1-0')])).rejects.toThrow('before open()');
  });

  it('keeps order and exact 64-bit positions', async () => {
    await buffer.open();
    const batch = [insert(`${BIG}-0`), insert(`${BIG}-1`), commit(`${BIG}-2`, 2), ...inserts(BIG + 1n, 3), insert('18446744073709551615-18446744073709551615')];
    expect(await buffer.append(batch)).toEqual({ appended: 7, skipped: 0 });
    const reader = buffer.openReader();
    const got = await reader.read(Position.ZERO, 100, 0);
    expect(positions(got)).toEqual(positions(batch));
    expect(got).toStrictEqual(batch);
    const asBig = got.map((e) => e.position);
    asBig.slice(1).forEach((p, i) => expect(p.isAfter(asBig[i])).toBe(true));
    expect(asBig[0].commitLsn).toBe(BIG);
    expect((await buffer.lastPosition())?.toString()).toBe('18446744073709551615-18446744073709551615');
    await reader.close();
  });

  it('reads at most `count` entries strictly after the given position', async () => {
    await buffer.open();
    await buffer.append(inserts(10n, 5));
    const reader = buffer.openReader();
    expect(positions(await reader.read(P('11-0'), 2, 0))).toEqual(['12-0', '13-0']);
    expect(positions(await reader.read(P('11-5'), 10, 0))).toEqual(['12-0', '13-0', '14-0']);
    expect(await reader.read(P('14-0'), 10, 0)).toEqual([]);
    await expect(reader.read(P('1-0'), 0, 0)).rejects.toThrow('positive integer');
    await reader.close();
  });

  it('bounds a page by bytes as well as count; the first entry comes alone when it is bigger than the budget', async () => {
    await buffer.open();
    const KB = 'k'.repeat(1000);
    const big = 'B'.repeat(50_000);
    const batch = [
      insert('20-0', { v: KB }),
      insert('20-1', { v: KB }),
      insert('20-2', { v: KB }),
      insert('20-3', { v: big }),
      insert('20-4', { v: KB }),
      commit('20-5', 5),
    ];
    await buffer.append(batch);
    const reader = buffer.openReader();
    // ~1 kB per entry: a budget of 2,500 bytes takes two of them
    expect(positions(await reader.read(Position.ZERO, 100, 0, 2_500))).toEqual(['20-0', '20-1']);
    expect(positions(await reader.read(P('20-1'), 100, 0, 2_500))).toEqual(['20-2']);
    expect(positions(await reader.read(P('20-2'), 100, 0, 2_500))).toEqual(['20-3']);
    expect(positions(await reader.read(P('20-3'), 100, 0, 2_500))).toEqual(['20-4', '20-5']);
    expect(positions(await reader.read(P('20-3'), 1, 0, 2_500))).toEqual(['20-4']);
    expect(positions(await reader.read(Position.ZERO, 100, 0, 1 << 30))).toEqual(positions(batch));
    // blocking: the next entry is waited for, then the page is filled within the budget
    const pending = reader.read(P('20-5'), 100, 5_000, 2_500);
    await new Promise((r) => setTimeout(r, 100));
    await buffer.append([insert('30-0', { v: KB }), insert('30-1', { v: KB }), insert('30-2', { v: KB }), commit('30-3', 3)]);
    const got = positions(await pending);
    expect(got[0]).toBe('30-0');
    expect(got.length).toBeLessThanOrEqual(2);
    await reader.close();
  });

  it('skips re-appended IDs and appends only the new tail of a partly present batch', async () => {
    await buffer.open();
    const all = inserts(BIG, 6);
    expect(await buffer.append(all.slice(0, 4))).toEqual({ appended: 4, skipped: 0 });
    expect(await buffer.append(all.slice(0, 4))).toEqual({ appended: 0, skipped: 4 });
    expect(await buffer.append(all.slice(2))).toEqual({ appended: 2, skipped: 2 });
    expect(await buffer.append([])).toEqual({ appended: 0, skipped: 0 });
    const reader = buffer.openReader();
    expect(positions(await reader.read(Position.ZERO, 100, 0))).toEqual(positions(all));
    expect(await buffer.length()).toBe(6);
    await reader.close();
  });

  it('refuses a batch that is not strictly increasing, appending none of it', async () => {
    await buffer.open();
    await expect(buffer.append([insert('5-0'), insert('4-0')])).rejects.toThrow(BufferOrderError);
    await expect(buffer.append([insert('5-0'), insert('5-0')])).rejects.toThrow(BufferOrderError);
    expect(await buffer.length()).toBe(0);
  });

  it('replays from a middle position, then follows: a blocked read wakes on append, no gap, no duplicate', async () => {
    await buffer.open();
    await buffer.append(inserts(BIG, 4));
    const reader = buffer.openReader();
    const replay = await reader.read(P(`${BIG + 1n}-0`), 100, 1000);
    expect(positions(replay)).toEqual([`${BIG + 2n}-0`, `${BIG + 3n}-0`]);

    const cursor = replay[replay.length - 1].position;
    const started = Date.now();
    const pending = reader.read(cursor, 100, 10_000);
    await new Promise((r) => setTimeout(r, 100));
    await buffer.append(inserts(BIG, 6)); // re-delivers 4 already present, adds 2
    const followed = await pending;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(positions(followed)).toEqual([`${BIG + 4n}-0`, `${BIG + 5n}-0`]);
    await reader.close();
  });

  it('returns [] when nothing arrives within blockMs, and is not woken by entries at or below its position', async () => {
    await buffer.open();
    await buffer.append(inserts(5n, 1));
    const reader = buffer.openReader();
    const started = Date.now();
    expect(await reader.read(P('5-0'), 10, 200)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);

    const ahead = reader.read(P('100-0'), 10, 400);
    await new Promise((r) => setTimeout(r, 50));
    await buffer.append(inserts(6n, 1));
    expect(await ahead).toEqual([]);
    await reader.close();
  });

  it('trims through a position, keeping the last ID so re-delivery stays a no-op', async () => {
    await buffer.open();
    await buffer.append([insert('10-0'), insert('10-1'), commit('10-2', 2), insert('11-0'), commit('11-1', 1)]);
    await buffer.trimThrough(P('10-1'));
    expect(await buffer.length()).toBe(3);
    const reader = buffer.openReader();
    expect(positions(await reader.read(P('10-1'), 100, 0))).toEqual(['10-2', '11-0', '11-1']);
    // A reader asking for trimmed entries is told they are gone, never handed what follows.
    await expect(reader.read(Position.ZERO, 100, 0)).rejects.toThrow(BufferGapError);
    await buffer.trimThrough(P('11-1'));
    expect(await buffer.length()).toBe(0);
    expect((await buffer.lastPosition())?.toString()).toBe('11-1');
    expect(await buffer.append([insert('10-0'), commit('11-1')])).toEqual({ appended: 0, skipped: 2 });
    expect(await buffer.append([insert('12-0')])).toEqual({ appended: 1, skipped: 0 });
    expect(positions(await reader.read(P('11-1'), 100, 0))).toEqual(['12-0']);
    await buffer.trimThrough(P('18446744073709551615-18446744073709551615'));
    expect(await buffer.length()).toBe(0);
    await reader.close();
  });

  it('records the applied position', async () => {
    await buffer.open();
    expect(await buffer.getApplied()).toBeNull();
    await buffer.setApplied(P(`${BIG}-4`));
    expect((await buffer.getApplied())?.toString()).toBe(`${BIG}-4`);
  });

  it('detects a store that lost everything: append throws, open() again is fresh and appends resume', async () => {
    const { epoch } = await buffer.open();
    await buffer.append(inserts(1n, 3));
    expect(await buffer.epochIntact()).toBe(true);
    await subject.loseData();
    expect(await buffer.epochIntact()).toBe(false);
    await expect(buffer.append(inserts(4n, 1))).rejects.toThrow(BufferEpochChangedError);
    await expect(buffer.append(inserts(1n, 5))).rejects.toThrow(BufferEpochChangedError);
    const again = await buffer.open();
    expect(await buffer.epochIntact()).toBe(true);
    expect(again.fresh).toBe(true);
    expect(again.epoch).not.toBe(epoch);
    expect(await buffer.lastPosition()).toBeNull();
    expect(await buffer.append(inserts(1n, 5))).toEqual({ appended: 5, skipped: 0 });
    expect(await buffer.length()).toBe(5);
  });

  it('chains every entry to its predecessor: reads from any cursor, between entries or after trims, find no hole', async () => {
    await buffer.open();
    await buffer.append([insert('10-0'), commit('10-1', 1), insert('12-0'), commit('12-1', 1)]);
    await buffer.append([insert('12-1'), insert('15-0')]); // re-delivery skipped, then a new entry
    const reader = buffer.openReader();
    expect(positions(await reader.read(Position.ZERO, 100, 0))).toEqual(['10-0', '10-1', '12-0', '12-1', '15-0']);
    expect(positions(await reader.read(P('11-5'), 100, 0))).toEqual(['12-0', '12-1', '15-0']);
    await buffer.trimThrough(P('12-0'));
    expect(positions(await reader.read(P('12-0'), 100, 0))).toEqual(['12-1', '15-0']);
    expect(positions(await reader.read(P('12-0'), 1, 0))).toEqual(['12-1']);
    await reader.close();
  });

  it('reports entries lost from the middle as a BufferGapError naming positions, whatever the page size', async () => {
    await buffer.open();
    await buffer.append(inserts(1n, 8));
    await subject.loseEntries([P('4-0'), P('5-0')]);
    const reader = buffer.openReader();
    await expect(reader.read(Position.ZERO, 100, 0)).rejects.toThrow(BufferGapError);
    await expect(reader.read(P('3-0'), 1, 0)).rejects.toThrow('entry 6-0 follows 5-0, but the last entry read was 3-0');
    await expect(reader.read(P('2-0'), 100, 1000)).rejects.toThrow(BufferGapError);
    // Before the hole and past it, the stream is whole.
    expect(positions(await reader.read(Position.ZERO, 3, 0))).toEqual(['1-0', '2-0', '3-0']);
    expect(positions(await reader.read(P('5-0'), 100, 0))).toEqual(['6-0', '7-0', '8-0']);
    await reader.close();
  });

  it('reports a lost last entry once the next one arrives', async () => {
    await buffer.open();
    await buffer.append(inserts(1n, 3));
    await subject.loseEntries([P('3-0')]);
    const reader = buffer.openReader();
    expect(await reader.read(P('2-0'), 10, 0)).toEqual([]);
    const pending = expect(reader.read(P('2-0'), 10, 5_000)).rejects.toThrow('entry 4-0 follows 3-0, but the last entry read was 2-0');
    await new Promise((r) => setTimeout(r, 50));
    await buffer.append(inserts(4n, 1));
    await pending;
    await reader.close();
  });

  it('detects at append time a stream that lost its tail; after open() the slot re-delivery fills it in, whole', async () => {
    await buffer.open();
    await buffer.append(inserts(1n, 5));
    await subject.loseTail(2);
    expect((await buffer.lastPosition())?.toString()).toBe('3-0');
    await expect(buffer.append(inserts(6n, 1))).rejects.toThrow(BufferTailLostError);
    expect(await buffer.length()).toBe(3);
    expect((await buffer.open()).fresh).toBe(false);
    expect(await buffer.append(inserts(2n, 5))).toEqual({ appended: 3, skipped: 2 });
    const reader = buffer.openReader();
    expect(positions(await reader.read(Position.ZERO, 100, 0))).toEqual(['1-0', '2-0', '3-0', '4-0', '5-0', '6-0']);
    await reader.close();
  });

  it('returns the entry at exactly a position, or null', async () => {
    await buffer.open();
    const batch = [insert(`${BIG}-0`, { id: '1', note: null }), commit(`${BIG}-1`, 1)];
    await buffer.append(batch);
    expect(await buffer.entryAt(P(`${BIG}-1`))).toStrictEqual(batch[1]);
    expect(await buffer.entryAt(P(`${BIG}-0`))).toStrictEqual(batch[0]);
    expect(await buffer.entryAt(P(`${BIG}-2`))).toBeNull();
    await buffer.trimThrough(P(`${BIG}-1`));
    expect(await buffer.entryAt(P(`${BIG}-1`))).toBeNull();
  });

  it('reset() deletes the stream and the epoch but keeps the applied position; the rebuilt stream reads whole', async () => {
    const { epoch } = await buffer.open();
    await buffer.append(inserts(1n, 6));
    await buffer.setApplied(P('2-0'));
    await subject.loseEntries([P('4-0')]);
    await buffer.reset();
    expect(await buffer.epochIntact()).toBe(false);
    await expect(buffer.append(inserts(7n, 1))).rejects.toThrow();
    const again = await buffer.open();
    expect(again.fresh).toBe(true);
    expect(again.epoch).not.toBe(epoch);
    expect((await buffer.getApplied())?.toString()).toBe('2-0');
    expect(await buffer.length()).toBe(0);
    // Decoding restarts from the slot, at or below the applied position.
    expect(await buffer.append(inserts(2n, 6))).toEqual({ appended: 6, skipped: 0 });
    const reader = buffer.openReader();
    expect(positions(await reader.read(P('2-0'), 100, 0))).toEqual(['3-0', '4-0', '5-0', '6-0', '7-0']);
    await reader.close();
  });

  it("reads its store's eviction policy", async () => {
    expect(await buffer.evictionPolicy()).toBe('noeviction');
  });

  it('interrupts a pending blocking read on reader.close(), and refuses reads afterwards', async () => {
    await buffer.open();
    const reader = buffer.openReader();
    const started = Date.now();
    const pending = reader.read(Position.ZERO, 10, 20_000);
    await new Promise((r) => setTimeout(r, 100));
    await reader.close();
    expect(await pending).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(reader.read(Position.ZERO, 10, 0)).rejects.toThrow(BufferClosedError);
    await reader.close();
  });

  it('closes its readers on close()', async () => {
    await buffer.open();
    const reader = buffer.openReader();
    const pending = reader.read(Position.ZERO, 10, 20_000);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await buffer.close();
    expect(await pending).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(buffer.length()).rejects.toThrow(BufferClosedError);
  });
}
