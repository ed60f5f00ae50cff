import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256';

const reference = (key: Buffer, domain: string, value: string) => createHmac('sha256', key).update(domain).update('\0').update(value).digest();

/** A random string of `length` UTF-16 units: ASCII, 2- and 3-byte characters, astral pairs and lone surrogates. */
function randomText(length: number, seed: number): string {
  const pool = ['a', 'Z', '0', ' ', '\t', '\\', 'é', 'ß', 'ж', '€', '日', '😀', '\ud800', '\udfff', '\0'];
  let out = '';
  let x = seed;
  while (out.length < length) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += pool[x % pool.length];
  }
  return out;
}

describe('HmacSha256', () => {
  it('equals node:crypto HMAC-SHA256 for every message length across several blocks', () => {
    const key = Buffer.from('s3cret');
    const hmac = new HmacSha256(key);
    for (let length = 0; length <= 300; length++) {
      const value = 'x'.repeat(length);
      expect(hmac.digest('FakeName', value).toString('hex')).toBe(reference(key, 'FakeName', value).toString('hex'));
    }
  });

  it('equals node:crypto for multi-byte, astral and lone-surrogate text (same UTF-8 replacement)', () => {
    const key = Buffer.from('k');
    const hmac = new HmacSha256(key);
    for (let i = 0; i < 500; i++) {
      const domain = randomText(i % 7, i);
      const value = randomText(i % 150, i * 31 + 7);
      expect(hmac.digest(domain, value).equals(reference(key, domain, value))).toBe(true);
    }
  });

  it('equals node:crypto for keys of 0 to 200 bytes (longer than a block: hashed first)', () => {
    for (const length of [0, 1, 31, 32, 63, 64, 65, 128, 200]) {
      const key = randomBytes(length);
      const hmac = new HmacSha256(key);
      expect(hmac.digest('d', 'value').equals(reference(key, 'd', 'value'))).toBe(true);
    }
  });

  it('grows its message buffer for long values and stays correct afterwards', () => {
    const key = Buffer.from('k');
    const hmac = new HmacSha256(key);
    const long = randomText(100_000, 3);
    expect(hmac.digest('d', long).equals(reference(key, 'd', long))).toBe(true);
    expect(hmac.digest('d', 'short').equals(reference(key, 'd', 'short'))).toBe(true);
  });

  it('returns a fresh buffer per call', () => {
    const hmac = new HmacSha256(Buffer.from('k'));
    const a = hmac.digest('d', 'a');
    const copy = Buffer.from(a);
    hmac.digest('d', 'b');
    expect(a.equals(copy)).toBe(true);
  });
});
