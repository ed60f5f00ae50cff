/** Change builders for specs: envelopes at exact positions, in the shapes the buffer and the services see. */
import { ChangeEnvelope, ChangePayload, Position } from '@kasho/contracts';

/** An insert into public.t with the given text values. */
export function insert(position: string, values: Record<string, string | null> = { id: '1' }): ChangeEnvelope {
  return {
    position: Position.parse(position),
    change: {
      kind: 'insert',
      schema: 'public',
      table: 't',
      columns: Object.keys(values).map((name) => ({ name, type: 'text', typeOid: 25, typeMod: -1, key: name === 'id' })),
      new: values,
      replicaIdentity: 'default',
    },
  };
}

/** A commit entry: the end of a source transaction of `changeCount` changes, its commit end LSN `commitEndLsn`. */
export function commit(position: string, changeCount = 0, commitEndLsn = '100'): ChangeEnvelope {
  const change: ChangePayload = { kind: 'commit', xid: 7, commitEndLsn, commitTimeMicros: '1700000000000001', changeCount };
  return { position: Position.parse(position), change };
}

/** `count` single-row transactions' inserts at positions `<lsn>-0`, lsn = first, first+1, … (exact bigints). */
export function inserts(first: bigint, count: number): ChangeEnvelope[] {
  return Array.from({ length: count }, (_, i) => insert(`${first + BigInt(i)}-0`, { id: String(i) }));
}

/** A one-row source transaction at commit LSN `lsn`: its insert at `<lsn>-0`, its commit at `<lsn>-1` ending at `lsn + 1`. */
export function transaction(lsn: number | bigint): ChangeEnvelope[] {
  return [insert(`${lsn}-0`), commit(`${lsn}-1`, 1, String(BigInt(lsn) + 1n))];
}

/** The positions of `changes`, as text. */
export function positions(changes: readonly ChangeEnvelope[]): string[] {
  return changes.map((c) => c.position.toString());
}
