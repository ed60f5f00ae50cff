import { Position } from '@kasho/contracts';
import { BufferGapError } from './buffer.errors';

/**
 * Proves a read is whole (invariant I2): every entry names its predecessor (`prev`, written by the
 * append script). Reading after `after`, an entry whose predecessor is after the last position seen
 * (the cursor, then each entry read) means entries in between are gone: a hole. A predecessor at or
 * before it is fine: the cursor may fall between two entries, and a stream rebuilt from the slot
 * starts again from `0-0`. Throws {@link BufferGapError} (positions only) at the first hole.
 */
export function assertContiguous(after: Position, entries: readonly { id: string; prev: string | null }[]): void {
  let lastSeen = after;
  for (const { id, prev } of entries) {
    if (prev === null) throw new BufferGapError(lastSeen.toString(), id, null);
    if (Position.parse(prev).isAfter(lastSeen)) throw new BufferGapError(lastSeen.toString(), id, prev);
    lastSeen = Position.parse(id);
  }
}
