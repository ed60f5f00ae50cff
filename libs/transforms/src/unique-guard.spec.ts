import { KeyedHasher, KeyedRandom } from './keyed-random';
import { UniqueGuard } from './unique-guard';

describe('UniqueGuard', () => {
  it('admits a suffix again for the same source and refuses it for another one', () => {
    const guard = new UniqueGuard(1000);
    expect(guard.admit(1, 2, 7)).toBe(true);
    expect(guard.admit(1, 2, 7)).toBe(true);
    expect(guard.admit(1, 3, 8)).toBe(true);
    expect(guard.admit(-1, 2, 8)).toBe(true);
    expect(guard.admit(1, 2, 8)).toBe(false);
  });

  it('keeps every suffix up to its capacity, then starts over', () => {
    const guard = new UniqueGuard(5000);
    for (let i = 0; i < 4999; i++) expect(guard.admit(i * 7919, i, i)).toBe(true);
    for (let i = 0; i < 4999; i++) expect(guard.admit(i * 7919, i, i + 1)).toBe(false);
    expect(guard.admit(123456789, 1, 1)).toBe(true); // the 5000th
    // Full: the next call empties it, so an old suffix from another source goes unnoticed.
    expect(guard.admit(0, 0, 99)).toBe(true);
    expect(guard.admit(7919, 1, 99)).toBe(true);
  });

  it('sees through suffix words exactly the 12 characters suffix() writes', () => {
    const hasher = new KeyedHasher('secret');
    const seen = new Map<string, string>();
    for (let i = 0; i < 20_000; i++) {
      const random = hasher.random('FakeEmail', `user${i}`);
      const key = random.suffixWords().join(',');
      const suffix = random.suffix();
      expect(seen.get(key) ?? suffix).toBe(suffix);
      seen.set(key, suffix);
    }
    // Changing any of the 60 bits changes the words; the 4 unused bits of byte 23 do not.
    const digest = hasher.digest('FakeEmail', 'x');
    const words = Int32Array.from({ length: 8 }, (_, i) => digest.readInt32BE(4 * i));
    const [first, second] = new KeyedRandom(words).suffixWords();
    expect(hasher.random('FakeEmail', 'x').suffixWords()).toEqual([first, second]);
    words[5] ^= 0x0f; // digest byte 23 is the low byte of word 5
    expect(new KeyedRandom(words).suffixWords()).toEqual([first, second]);
    words[5] ^= 0x1f;
    expect(new KeyedRandom(words).suffixWords()).not.toEqual([first, second]);
  });
});
