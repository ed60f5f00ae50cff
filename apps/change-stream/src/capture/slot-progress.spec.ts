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
  it('never confirms a commit that is buffered but not applied, whatever the order of events (I2)', () => {
    // A deterministic walk: transactions are buffered in commit order, applied in order but later,
    // keepalives arrive at any time with a WAL end at or past the last buffered commit.
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 50; run++) {
      const progress = new SlotProgress();
      const commits: bigint[] = [];
      let applied = 0;
      let confirmed = 0n;
      let walHigh = 0n;
      for (let step = 0; step < 200; step++) {
        const event = random(3);
        if (event === 0) {
          // A commit ends past every WAL end the server reported before it.
          const last = commits.length > 0 ? commits[commits.length - 1] : 0n;
          commits.push((last > walHigh ? last : walHigh) + 100n);
          progress.buffered(commits[commits.length - 1]);
        } else if (event === 1 && applied < commits.length) {
          applied += 1 + random(commits.length - applied);
          progress.applied(P(`${applied * 100}-1`), commits[applied - 1]);
        }
        const walEnd = (commits.length > 0 ? commits[commits.length - 1] : 0n) + BigInt(random(3) * 100);
        if (walEnd > walHigh) walHigh = walEnd;
        const idle = random(2) === 0;
        const next = random(2) === 0 ? progress.nextAck(walEnd, idle) : progress.nextAck();
        if (next === null) continue;
        expect(next).toBeGreaterThan(confirmed); // only forward
        const appliedEnd = applied > 0 ? commits[applied - 1] : 0n;
        if (applied < commits.length)
          expect(next).toBeLessThanOrEqual(appliedEnd); // the first unapplied commit stays in the slot
        else expect(next === appliedEnd || next === walEnd).toBe(true);
        progress.markAcknowledged(next);
        confirmed = next;
        expect(progress.lastAcknowledged).toBe(confirmed);
      }
    }
  });

  it('holds back the WAL end while a transaction is buffered beyond the applied one, and moves once it is applied', () => {
    const progress = new SlotProgress();
    progress.buffered(300n);
    expect(progress.nextAck(1_000n, true)).toBeNull();
    progress.buffered(200n); // an older commit does not lower what is buffered
    progress.applied(P('20-1'), 200n);
    expect(progress.nothingPending).toBe(false);
    expect(progress.nextAck(1_000n, true)).toBe(200n);
    progress.applied(P('30-1'), 300n);
    expect(progress.nextAck(1_000n, true)).toBe(1_000n);
  });
});
