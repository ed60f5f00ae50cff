import { InMemoryChangeBuffer } from '@kasho/buffer';
import { Position } from '@kasho/contracts';
import { WalReader } from '@kasho/replication';
import { transaction } from '@kasho/testing';
import { CaptureMetrics } from '../metrics/capture.metrics';
import { SlotAcknowledger } from './slot-acknowledger';
import { SlotProgress } from './slot-progress';

const P = (t: string) => Position.parse(t);

/** The slot as the acknowledger sees it: confirmed LSNs, or a source that refuses. */
class FakeSlot {
  confirmed: bigint[] = [];
  failing = false;
  async acknowledge(lsn: bigint): Promise<void> {
    if (this.failing) throw new Error('replication connection closed');
    this.confirmed.push(lsn);
  }
}

describe('SlotAcknowledger', () => {
  let buffer: InMemoryChangeBuffer;
  let slot: FakeSlot;
  let progress: SlotProgress;
  let errors: string[];
  let acknowledger: SlotAcknowledger;

  beforeEach(async () => {
    buffer = new InMemoryChangeBuffer();
    await buffer.open();
    await buffer.append([...transaction(100), ...transaction(200), ...transaction(300)]);
    slot = new FakeSlot();
    progress = new SlotProgress();
    [101n, 201n, 301n].forEach((lsn) => progress.buffered(lsn));
    errors = [];
    const metrics = { recordError: (kind: string) => errors.push(kind) } as unknown as CaptureMetrics;
    acknowledger = new SlotAcknowledger(slot as unknown as WalReader, buffer, progress, metrics);
  });

  afterEach(async () => {
    await buffer.close();
  });

  it('on an applied commit: records it in the buffer, trims through it, and confirms the slot at its commit end', async () => {
    await acknowledger.recordApplied(P('200-1'), 201n);
    expect((await buffer.getApplied())?.toString()).toBe('200-1');
    expect(await buffer.length()).toBe(2);
    expect(await buffer.entryAt(P('300-1'))).not.toBeNull();
    expect(slot.confirmed).toEqual([201n]);
    expect(progress.lastAcknowledged).toBe(201n);
  });

  it('never confirms the slot beyond what was applied, though more is buffered', async () => {
    await acknowledger.recordApplied(P('100-1'), 101n);
    await acknowledger.onKeepalive(5_000n, true, true);
    expect(slot.confirmed).toEqual([101n, 101n]); // the keepalive re-sends 101, not the WAL end
    expect(await buffer.length()).toBe(4);
  });

  it('ignores a repeated or older applied report: no trim, no second confirmation', async () => {
    await acknowledger.recordApplied(P('200-1'), 201n);
    await acknowledger.recordApplied(P('200-1'), 201n);
    await acknowledger.recordApplied(P('100-1'), 101n);
    expect(slot.confirmed).toEqual([201n]);
    expect((await buffer.getApplied())?.toString()).toBe('200-1');
  });

  it('follows the WAL end on an idle keepalive once everything buffered is applied', async () => {
    await acknowledger.recordApplied(P('300-1'), 301n);
    await acknowledger.onKeepalive(5_000n, false, false); // not idle: the reader may be mid-transaction
    expect(slot.confirmed).toEqual([301n]);
    await acknowledger.onKeepalive(5_000n, false, true);
    expect(slot.confirmed).toEqual([301n, 5_000n]);
    expect(await buffer.length()).toBe(0);
  });

  it('answers a keepalive that asks for a reply with the last confirmed position', async () => {
    await acknowledger.onKeepalive(5_000n, false, false);
    expect(slot.confirmed).toEqual([]);
    await acknowledger.onKeepalive(5_000n, true, false);
    expect(slot.confirmed).toEqual([0n]);
  });

  it('counts a failed confirmation and confirms again with the next report', async () => {
    slot.failing = true;
    await acknowledger.recordApplied(P('100-1'), 101n);
    expect(errors).toEqual(['ack']);
    expect(progress.lastAcknowledged).toBe(0n);
    await expect(acknowledger.keepAlive()).resolves.toBeUndefined(); // a keepalive never fails its caller
    slot.failing = false;
    await acknowledger.recordApplied(P('200-1'), 201n);
    expect(slot.confirmed).toEqual([201n]);
    expect(progress.lastAcknowledged).toBe(201n);
  });
});
