import { ChangeEnvelope, Position } from '@kasho/contracts';
import { BufferOrderError } from './buffer.errors';

const MAX_U64 = (1n << 64n) - 1n;

/**
 * The canonical stream IDs of a batch (`Position.toString()`, so `007-1` becomes `7-1` exactly as Redis would
 * store it), checked to be strictly increasing. Re-delivery may start at or below the stream's last ID; a batch
 * that goes backwards is a bug upstream and is refused rather than partly skipped.
 */
export function batchIds(changes: readonly ChangeEnvelope[]): Position[] {
  const ids = changes.map((c) => c.position);
  for (let i = 1; i < ids.length; i++) {
    if (!ids[i].isAfter(ids[i - 1])) throw new BufferOrderError(ids[i - 1].toString(), ids[i].toString());
  }
  return ids;
}

/** The smallest position after `p` (the `MINID` that trims everything at or below `p`), or null after the largest one. */
export function successor(p: Position): Position | null {
  if (p.index < MAX_U64) return new Position(p.commitLsn, p.index + 1n);
  if (p.commitLsn < MAX_U64) return new Position(p.commitLsn + 1n, 0n);
  return null;
}
