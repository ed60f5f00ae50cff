import { ChangeEnvelope, ChangePayload, RelationRef, Tuple } from './change';

/** Allowance per change for its position, kind, names and framing. */
const CHANGE_OVERHEAD = 64;

/**
 * The size of a change as the byte caps count it (buffer appends, gRPC pages, apply batches, the
 * buffered-bytes limit): the length of its values (new and old row, column names, DDL text) plus a
 * fixed allowance. Cheap, no serialisation. By default it counts UTF-16 code units, which equal bytes
 * for ASCII and undercount multi-byte text (at most 3x); `utf8: true` counts UTF-8 bytes exactly,
 * for checks against a hard limit.
 */
export function changeSize(change: ChangePayload, options: { utf8?: boolean } = {}): number {
  const length = options.utf8 ? (s: string) => Buffer.byteLength(s, 'utf8') : (s: string) => s.length;
  switch (change.kind) {
    case 'insert':
    case 'update':
    case 'delete':
      return CHANGE_OVERHEAD + tupleSize(change.new, length) + tupleSize(change.old, length);
    case 'ddl':
      return CHANGE_OVERHEAD + length(change.sql) + length(change.searchPath) + length(change.object);
    case 'truncate':
      return CHANGE_OVERHEAD + change.relations.reduce((n: number, r: RelationRef) => n + length(r.schema) + length(r.table), 0);
    default:
      return CHANGE_OVERHEAD;
  }
}

/** The sum of {@link changeSize} over envelopes. */
export function envelopesSize(envelopes: readonly ChangeEnvelope[]): number {
  let total = 0;
  for (const envelope of envelopes) total += changeSize(envelope.change);
  return total;
}

/**
 * Consecutive runs of `envelopes`, in order, each at most `maxBytes` ({@link changeSize}) unless it
 * holds a single change larger than that, which goes alone. Every run holds at least one change.
 */
export function splitBySize(envelopes: readonly ChangeEnvelope[], maxBytes: number): ChangeEnvelope[][] {
  const runs: ChangeEnvelope[][] = [];
  let run: ChangeEnvelope[] = [];
  let bytes = 0;
  for (const envelope of envelopes) {
    const size = changeSize(envelope.change);
    if (run.length > 0 && bytes + size > maxBytes) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(envelope);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function tupleSize(tuple: Tuple | undefined, length: (s: string) => number): number {
  if (!tuple) return 0;
  let total = 0;
  for (const name in tuple) {
    const value = tuple[name];
    total += length(name) + (value === null ? 0 : length(value));
  }
  return total;
}
