import { ChangeEnvelope, Position, changeSize } from '@kasho/contracts';

/**
 * How many bytes the buffer holds beyond the applied position, counted in this process as changes
 * are appended (changeSize of each change: its values, column names and DDL text, not Redis's own
 * overhead) and dropped once the applied position passes their commit. No Redis round trip.
 *
 * Re-delivery after a restart of decoding is not counted twice: a transaction starts again at
 * index 0 (its half-read bytes are forgotten), and a commit at or below the last one counted is
 * ignored. After a process restart the entries already in Redis are counted as decoding re-delivers
 * them from the slot.
 */
export class BufferedBytes {
  /** Committed transactions still beyond the applied position, oldest first. */
  private readonly commits: { position: Position; bytes: number }[] = [];
  private committed = 0;
  /** Bytes of the transaction being appended (its commit not seen yet). */
  private open = 0;
  private lastCommit?: Position;

  get total(): number {
    return this.committed + this.open;
  }

  /** Counts a chunk handed to the buffer (a transaction's chunks arrive in order; the last one ends with its commit). */
  appended(changes: readonly ChangeEnvelope[]): void {
    for (const envelope of changes) {
      const { position } = envelope;
      if (this.lastCommit && !position.isAfter(this.lastCommit)) continue;
      if (position.index === 0n) this.open = 0;
      if (envelope.change.kind !== 'commit') {
        this.open += changeSize(envelope.change);
        continue;
      }
      this.commits.push({ position, bytes: this.open });
      this.committed += this.open;
      this.open = 0;
      this.lastCommit = position;
    }
  }

  /** Forgets transactions at or below the applied position (trimmed from the buffer). */
  appliedThrough(applied: Position): void {
    while (this.commits.length > 0 && !this.commits[0].position.isAfter(applied)) {
      this.committed -= this.commits.shift()!.bytes;
    }
  }

  /** The buffer came back empty (new epoch): nothing is held. */
  clear(): void {
    this.commits.length = 0;
    this.committed = 0;
    this.open = 0;
    this.lastCommit = undefined;
  }
}
