/**
 * Best-effort detection, inside this process, of two different source values that a `unique: true`
 * column turned into the same output. Remembers up to `capacity` outputs per column, then starts
 * over; the target's unique index remains the final check.
 */
export class UniqueGuard {
  private seen = new Map<string, number>();

  constructor(private readonly capacity = 100_000) {}

  /**
   * False when `output` was already produced from a different source, identified by `sourceTag`
   * (32 bits of the source's keyed digest: two sources that share output and tag go unnoticed, 1 in 2^32).
   */
  admit(output: string, sourceTag: number): boolean {
    const previous = this.seen.get(output);
    if (previous !== undefined) return previous === sourceTag;
    if (this.seen.size >= this.capacity) this.seen = new Map();
    this.seen.set(output, sourceTag);
    return true;
  }
}
