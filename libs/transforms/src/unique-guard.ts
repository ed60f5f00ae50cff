/**
 * Best-effort detection, inside this process, of two different source values that a `unique: true`
 * column turned into the same output. Such an output carries a keyed 60-bit suffix drawn from its
 * source's digest ({@link KeyedRandom.suffix}), so equal outputs have equal suffixes: the guard
 * remembers suffixes rather than outputs, each with 32 bits of its source's digest as a tag, in a
 * fixed open-addressing table (no string hashing and no allocation per value). It reports a suffix
 * met again with another tag: every repeated output within its memory, and, about once in 2^60
 * pairs, two different outputs that share a suffix. Remembers up to `capacity` suffixes per column,
 * then starts over; the target's unique index remains the final check.
 */
export class UniqueGuard {
  private readonly mask: number;
  private readonly first: Int32Array;
  private readonly second: Int32Array;
  private readonly tags: Int32Array;
  private readonly used: Uint8Array;
  private size = 0;

  constructor(private readonly capacity = 100_000) {
    let slots = 16;
    while (slots < capacity * 2.5) slots *= 2; // load factor at most 0.4
    this.mask = slots - 1;
    this.first = new Int32Array(slots);
    this.second = new Int32Array(slots);
    this.tags = new Int32Array(slots);
    this.used = new Uint8Array(slots);
  }

  /**
   * False when the suffix (two 32-bit words) was already produced from a different source, told apart
   * by `sourceTag` (two sources sharing suffix and tag go unnoticed, 1 in 2^32).
   */
  admit(suffixFirst: number, suffixSecond: number, sourceTag: number): boolean {
    const a = suffixFirst | 0;
    const b = suffixSecond | 0;
    if (this.size >= this.capacity) {
      this.used.fill(0);
      this.size = 0;
    }
    // The words come from a keyed hash: already uniform, any mix of them spreads the slots.
    for (let i = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask; ; i = (i + 1) & this.mask) {
      if (this.used[i] === 0) {
        this.used[i] = 1;
        this.first[i] = a;
        this.second[i] = b;
        this.tags[i] = sourceTag | 0;
        this.size++;
        return true;
      }
      if (this.first[i] === a && this.second[i] === b) return this.tags[i] === (sourceTag | 0);
    }
  }
}
