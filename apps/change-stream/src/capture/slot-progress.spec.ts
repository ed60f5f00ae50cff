import { Position } from '@kasho/contracts';
import { SlotProgress } from './slot-progress';

const P = (t: string) => Position.parse(t);

describe('SlotProgress', () => {
  it('acknowledges only up to the commit end LSN the target applied, never what is merely buffered', () => {
    const progress = new SlotProgress();
    progress.buffered(500n);
    expect(progress.nextAck()).toBeNull();
    expect(progress.nothingPending).toBe(false);
    expect(progress.applied(P('100-3'), 200n)).toBe(true);
    expect(progress.nextAck()).toBe(200n);
    progress.markAcknowledged(200n);
    expect(progress.nextAck()).toBeNull();
    expect(progress.lastAcknowledged).toBe(200n);
  });

  it('ignores an applied report that does not move the position forward', () => {
    const progress = new SlotProgress();
    expect(progress.applied(P('100-3'), 200n)).toBe(true);
    expect(progress.applied(P('100-3'), 900n)).toBe(false);
    expect(progress.applied(P('90-0'), 900n)).toBe(false);
    expect(progress.lastApplied.toString()).toBe('100-3');
    expect(progress.lastAppliedCommitEnd).toBe(200n);
  });

  it('never moves the applied commit end backwards', () => {
    const progress = new SlotProgress();
    progress.applied(P('100-3'), 300n);
    progress.applied(P('101-0'), 250n);
    expect(progress.lastApplied.toString()).toBe('101-0');
    expect(progress.lastAppliedCommitEnd).toBe(300n);
  });

  it('follows the server WAL end on an idle keepalive only when nothing is pending', () => {
    const progress = new SlotProgress();
    progress.buffered(400n);
    progress.applied(P('10-1'), 300n);
    expect(progress.nextAck(1_000n, true)).toBe(300n); // 400 is buffered, not applied
    progress.applied(P('20-1'), 400n);
    expect(progress.nothingPending).toBe(true);
    expect(progress.nextAck(1_000n, false)).toBe(400n); // not idle: the reader may be mid-transaction
    expect(progress.nextAck(1_000n, true)).toBe(1_000n);
    progress.markAcknowledged(1_000n);
    expect(progress.nextAck(900n, true)).toBeNull();
    progress.markAcknowledged(800n);
    expect(progress.lastAcknowledged).toBe(1_000n);
  });

  it('restarts at a snapshot consistent point: applied and acknowledged there, nothing buffered', () => {
    const progress = new SlotProgress();
    progress.buffered(900n);
    progress.applied(P('50-0'), 600n);
    progress.restartAt(P('999-0'), 1_000n);
    expect(progress.lastApplied.toString()).toBe('999-0');
    expect(progress.lastAppliedCommitEnd).toBe(1_000n);
    expect(progress.lastAcknowledged).toBe(1_000n);
    expect(progress.nothingPending).toBe(true);
    expect(progress.nextAck()).toBeNull();
    expect(progress.applied(P('998-0'), 2_000n)).toBe(false);
  });
});
