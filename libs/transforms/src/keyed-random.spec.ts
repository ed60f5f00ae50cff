import { createHmac } from 'node:crypto';
import { KeyedHasher } from './keyed-random';

describe('KeyedHasher / KeyedRandom', () => {
  it('is HMAC-SHA256(secret, domain 0x00 value): fixed vector, identical on every machine', () => {
    const h = new KeyedHasher('s3cret');
    expect(h.keyed).toBe(true);
    expect(h.digest('FakeName', 'John Doe').toString('hex')).toBe(createHmac('sha256', 's3cret').update('FakeName\0John Doe').digest('hex'));
    const r = h.random('FakeName', 'John Doe');
    const draws = [r.next(), r.next(), r.int(1000), r.suffix()];
    const r2 = h.random('FakeName', 'John Doe');
    expect([r2.next(), r2.next(), r2.int(1000), r2.suffix()]).toEqual(draws);
    expect(draws).toMatchSnapshot();
  });

  it('reads the digest from its words: the same bytes, tag and suffix as from the bytes', () => {
    const h = new KeyedHasher('s3cret');
    for (const value of ['a', 'John Doe', 'é'.repeat(40), 'x'.repeat(200)]) {
      const bytes = h.digest('FakeEmail', value);
      const r = h.random('FakeEmail', value);
      expect(r.digest.equals(bytes)).toBe(true);
      expect(r.tag()).toBe(bytes.readInt32LE(0));
      expect(r.suffixWords()).toEqual([bytes.readInt32BE(16), bytes.readInt32BE(20) & ~0xf]);
    }
  });

  it('hex(length) is the digest in lower-case hex, cut to length', () => {
    const h = new KeyedHasher('s3cret');
    for (const value of ['a', 'John Doe', 'é'.repeat(40)]) {
      const hex = h.digest('Hash', value).toString('hex');
      for (const length of [1, 7, 8, 13, 32, 63, 64]) expect(h.random('Hash', value).hex(length)).toBe(hex.slice(0, length));
      expect(h.random('Hash', value).hex()).toBe(hex);
    }
    expect(() => h.random('Hash', 'a').hex(65)).toThrow(RangeError);
  });

  it('separates domains and secrets; without a secret it is unkeyed', () => {
    const h = new KeyedHasher('s3cret');
    expect(h.digest('FakeName', 'a').equals(h.digest('FakeEmail', 'a'))).toBe(false);
    expect(h.digest('FakeName', 'a').equals(new KeyedHasher('other').digest('FakeName', 'a'))).toBe(false);
    expect(new KeyedHasher(undefined).keyed).toBe(false);
    expect(new KeyedHasher('').keyed).toBe(false);
  });

  it('draws integers uniformly in range', () => {
    const counts = new Array(10).fill(0);
    const h = new KeyedHasher('k');
    for (let i = 0; i < 5000; i++) counts[h.random('d', String(i)).int(10)]++;
    for (const c of counts) expect(Math.abs(c - 500)).toBeLessThan(100);
  });
});
