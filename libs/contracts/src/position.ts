/**
 * A change's place in the replicated history: the commit LSN of its source transaction and its
 * index inside that transaction (invariant I1). Positions order by commit, so resuming "after P"
 * is exact even though change LSNs of interleaved transactions are not monotonic.
 *
 * The text form `<commitLsn>-<index>` (both decimal unsigned 64-bit integers) is also the Redis
 * Stream entry ID, so Redis enforces the same order.
 */
const MAX_U64 = (1n << 64n) - 1n;

export class Position {
  /** Before every change: resuming after ZERO replays everything retained. */
  static readonly ZERO = new Position(0n, 0n);

  constructor(
    readonly commitLsn: bigint,
    readonly index: bigint,
  ) {
    if (commitLsn < 0n || commitLsn > MAX_U64 || index < 0n || index > MAX_U64) {
      throw new Error(`position out of range: ${commitLsn}-${index}`);
    }
  }

  static parse(text: string): Position {
    const match = /^(\d{1,20})-(\d{1,20})$/.exec(text);
    if (!match) throw new Error(`invalid position "${text}": expected <commitLsn>-<index> in decimal`);
    return new Position(BigInt(match[1]), BigInt(match[2]));
  }

  /** Parses an optional position: empty or absent means "from the beginning". */
  static parseOrZero(text: string | undefined | null): Position {
    return text ? Position.parse(text) : Position.ZERO;
  }

  compare(other: Position): -1 | 0 | 1 {
    if (this.commitLsn !== other.commitLsn) return this.commitLsn < other.commitLsn ? -1 : 1;
    if (this.index !== other.index) return this.index < other.index ? -1 : 1;
    return 0;
  }

  isAfter(other: Position): boolean {
    return this.compare(other) > 0;
  }

  equals(other: Position): boolean {
    return this.compare(other) === 0;
  }

  toString(): string {
    return `${this.commitLsn}-${this.index}`;
  }

  /** JSON (a log line, an error's fields) shows the text form: bigints have no JSON form of their own. */
  toJSON(): string {
    return this.toString();
  }
}
