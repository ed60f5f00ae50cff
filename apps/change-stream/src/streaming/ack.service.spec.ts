import { status } from '@grpc/grpc-js';
import { InMemoryChangeBuffer } from '@kasho/buffer';
import { Position } from '@kasho/contracts';
import { ErrorMetrics } from '@kasho/metrics';
import { commit, insert } from '@kasho/testing';
import { SlotAcknowledger } from '../capture/slot-acknowledger';
import { SlotProgress } from '../capture/slot-progress';
import { AckService } from './ack.service';
import { ConsumerLease } from './consumer-lease';
import { CreditWindow } from './credit-window';
import { StreamSession } from './stream-session';

const P = (t: string) => Position.parse(t);

describe('AckService', () => {
  let buffer: InMemoryChangeBuffer;
  let lease: ConsumerLease;
  let progress: SlotProgress;
  let recorded: [string, bigint][];
  let errors: string[];
  let acks: AckService;
  let session: StreamSession;

  beforeEach(async () => {
    buffer = new InMemoryChangeBuffer();
    await buffer.open();
    await buffer.append([insert('100-0'), commit('100-1', 1, '150'), insert('200-0'), commit('200-1', 1, '250'), insert('300-0'), commit('300-1', 1, '350')]);
    lease = new ConsumerLease();
    progress = new SlotProgress();
    recorded = [];
    errors = [];
    const acknowledger = {
      recordApplied: async (position: Position, lsn: bigint) => {
        progress.applied(position, lsn);
        recorded.push([position.toString(), lsn]);
      },
    } as unknown as SlotAcknowledger;
    acks = new AckService(lease, buffer, acknowledger, progress, { record: (kind: string) => errors.push(kind) } as unknown as ErrorMetrics);
    session = new StreamSession('consumer-1', 'target-a', new CreditWindow(10), Position.ZERO);
    lease.attach(session);
    session.recordSent(4, P('200-1')); // the stream sent up to 200-1, not 300-*
  });

  afterEach(async () => {
    await buffer.close();
  });

  it('takes the commit end LSN from the buffered commit entry, never from the client', async () => {
    await acks.ack('consumer-1', P('200-1'), P('200-1'));
    expect(recorded).toEqual([['200-1', 250n]]);
    expect(errors).toEqual([]);
  });

  it('refuses an applied or received position beyond what the stream sent, recording nothing', async () => {
    await expect(acks.ack('consumer-1', null, P('300-1'))).rejects.toMatchObject({ error: { code: status.INVALID_ARGUMENT } });
    await expect(acks.ack('consumer-1', P('300-0'), null)).rejects.toMatchObject({ error: { code: status.INVALID_ARGUMENT } });
    await expect(acks.ack('consumer-1', null, P('18446744073709551615-0'))).rejects.toThrow('beyond the last position sent');
    expect(recorded).toEqual([]);
    expect(errors).toEqual(['ack', 'ack', 'ack']);
  });

  it('refuses an applied position that is not a buffered commit', async () => {
    await expect(acks.ack('consumer-1', null, P('200-0'))).rejects.toThrow('is not a commit');
    await expect(acks.ack('consumer-1', null, P('150-0'))).rejects.toMatchObject({ error: { code: status.FAILED_PRECONDITION } });
    expect(recorded).toEqual([]);
  });

  it('refuses acks of a stream that is not open or was superseded', async () => {
    await expect(acks.ack('someone-else', null, P('100-1'))).rejects.toMatchObject({ error: { code: status.FAILED_PRECONDITION } });
    const standby = new StreamSession('consumer-2', 'target-a', new CreditWindow(10), P('100-1'));
    let ended: Error | undefined;
    session.whenEnded((e) => (ended = e));
    lease.attach(standby);
    expect(ended?.message).toContain('superseded');
    await expect(acks.ack('consumer-1', null, P('100-1'))).rejects.toThrow('no open stream has this consumer_id');
    expect(recorded).toEqual([]);
  });

  it('treats a repeated or older applied ack as a no-op, and a bare ack as a heartbeat', async () => {
    await acks.ack('consumer-1', null, P('200-1'));
    await buffer.trimThrough(P('200-1'));
    await acks.ack('consumer-1', null, P('200-1'));
    await acks.ack('consumer-1', null, P('100-1'));
    await acks.ack('consumer-1', null, null);
    expect(recorded).toEqual([['200-1', 250n]]);
  });

  it('frees window credit for a received position within what was sent', async () => {
    const window = new CreditWindow(4);
    const s = new StreamSession('consumer-3', 'target-a', window, Position.ZERO);
    lease.attach(s);
    s.recordSent(4, P('200-1'));
    expect(window.room).toBe(0);
    await acks.ack('consumer-3', P('200-1'), null);
    expect(window.room).toBe(4);
  });
});

describe('ConsumerLease', () => {
  afterEach(() => jest.useRealTimers());

  it('refuses another target while the holder streams or lately did; the same target takes over at once', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const lease = new ConsumerLease();
    const a = new StreamSession('a-1', 'target-a', new CreditWindow(1), Position.ZERO);
    lease.attach(a);
    const b = new StreamSession('b-1', 'target-b', new CreditWindow(1), Position.ZERO);
    expect(() => lease.attach(b)).toThrow('another target (target-a…) is consuming this change stream');
    expect(() => lease.claim('target-b', 'snapshot')).toThrow('one pg-change-stream serves one target database');
    const standby = new StreamSession('a-2', 'target-a', new CreditWindow(1), Position.ZERO);
    expect(() => lease.attach(standby)).not.toThrow();
    lease.detach(standby);
    jest.setSystemTime(1_000_000 + ConsumerLease.TIMEOUT_MS - 1);
    expect(() => lease.claim('target-b', 'snapshot')).toThrow('another target');
  });

  it('frees a silent holder after the timeout, ending its stream', () => {
    jest.useFakeTimers({ now: 2_000_000 });
    const lease = new ConsumerLease();
    const a = new StreamSession('a-1', 'target-a', new CreditWindow(1), Position.ZERO);
    let ended: Error | undefined;
    a.whenEnded((e) => (ended = e));
    lease.attach(a);
    jest.setSystemTime(2_000_000 + ConsumerLease.TIMEOUT_MS - 1_000);
    expect(lease.session('a-1')).toBe(a); // a heartbeat renews it
    jest.setSystemTime(2_000_000 + 2 * ConsumerLease.TIMEOUT_MS - 1_500);
    expect(() => lease.claim('target-b', 'stream')).toThrow('another target');
    jest.setSystemTime(2_000_000 + 2 * ConsumerLease.TIMEOUT_MS);
    expect(() => lease.claim('target-b', 'stream')).not.toThrow();
    expect(ended?.message).toContain('lease expired');
    expect(lease.session('a-1')).toBeUndefined();
  });
});
