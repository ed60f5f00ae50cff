import { withTimeout } from '@kasho/runtime';

describe('withTimeout', () => {
  it('passes through a value or an error that comes in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1_000, 'late')).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('boom')), 1_000, 'late')).rejects.toThrow('boom');
  });

  it('rejects with the given message when the promise is too slow', async () => {
    const never = new Promise<never>(() => undefined);
    const started = Date.now();
    await expect(withTimeout(never, 30, 'no answer within 30 ms')).rejects.toThrow('no answer within 30 ms');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
