import { CaptureGate } from './capture-gate';
import { BufferHoleError, CaptureShutdownError, CaptureSuspendedError } from './capture.errors';

/** Resolves to true if `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((r) => setTimeout(r, ms));
  return settled;
}

describe('CaptureGate', () => {
  let gate: CaptureGate;

  beforeEach(() => {
    gate = new CaptureGate();
  });

  it('suspend() interrupts decoding and returns only once the loop has parked', async () => {
    const signal = gate.signal;
    const suspending = gate.suspend();
    expect(gate.suspended).toBe(true);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(CaptureSuspendedError);
    expect(gate.signal.aborted).toBe(false); // a fresh signal for the next wait
    expect(await settlesWithin(suspending, 50)).toBe(false);
    const parked = gate.park();
    expect(await settlesWithin(suspending, 20)).toBe(true);
    expect(await settlesWithin(parked, 50)).toBe(false); // parked until resume()
    gate.resume();
    expect(gate.suspended).toBe(false);
    await parked;
  });

  it('suspend() is idempotent while suspended, and resume() without a suspension does nothing', async () => {
    gate.resume();
    expect(gate.suspended).toBe(false);
    const first = gate.suspend();
    const second = gate.suspend();
    const parked = gate.park();
    await Promise.all([first, second]);
    gate.resume();
    await parked;
    expect(await gate.park()).toBeUndefined(); // not suspended: returns at once
  });

  it('shutdown releases a suspend() that never saw the loop park, and a parked loop', async () => {
    const suspending = gate.suspend();
    gate.close();
    await suspending;
    await gate.park();
    expect(gate.closed).toBe(true);
    expect(gate.signal.aborted).toBe(true);
    expect(gate.signal.reason).toBeInstanceOf(CaptureShutdownError);
    await gate.suspend(); // after shutdown: returns at once
  });

  it('asks for one rebuild at a time and lets its waiters go only once the stream is deleted', async () => {
    const signal = gate.signal;
    const first = gate.rebuildBuffer();
    const second = gate.rebuildBuffer();
    expect(first).toBe(second);
    expect(signal.reason).toBeInstanceOf(BufferHoleError);
    expect(gate.isRebuilding(signal.reason)).toBe(true);
    expect(gate.isRebuilding(new BufferHoleError())).toBe(false); // only the reason of this request
    expect(await settlesWithin(first, 50)).toBe(false);

    const resets: string[] = [];
    await gate.rebuildIfRequested(async () => {
      resets.push('reset');
      expect(await settlesWithin(first, 20)).toBe(false); // not before the reset is done
    });
    await first;
    await gate.rebuildIfRequested(async () => {
      resets.push('again');
    });
    expect(resets).toEqual(['reset']);
    expect(gate.isRebuilding(signal.reason)).toBe(false);
  });

  it('keeps a rebuild pending when the reset fails, so the next session tries again', async () => {
    const rebuilt = gate.rebuildBuffer();
    await expect(gate.rebuildIfRequested(() => Promise.reject(new Error('redis down')))).rejects.toThrow('redis down');
    expect(await settlesWithin(rebuilt, 20)).toBe(false);
    await gate.rebuildIfRequested(async () => undefined);
    await rebuilt;
  });
  it('tells an interrupt listener once why capture stops, and nothing once it is removed', async () => {
    const heard: Error[] = [];
    const off = gate.onInterrupt((reason) => heard.push(reason));
    void gate.rebuildBuffer();
    void gate.suspend();
    expect(heard.map((e) => e.constructor)).toEqual([BufferHoleError]);
    const late: Error[] = [];
    const offLate = gate.onInterrupt((reason) => late.push(reason));
    offLate();
    off();
    gate.close();
    expect(late).toEqual([]);
    const afterClose: Error[] = [];
    gate.onInterrupt((reason) => afterClose.push(reason));
    expect(afterClose[0]).toBeInstanceOf(CaptureShutdownError);
  });
});
