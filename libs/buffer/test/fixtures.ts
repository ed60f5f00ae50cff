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

export function commit(position: string, changeCount = 0): ChangeEnvelope {
  const change: ChangePayload = { kind: 'commit', xid: 7, commitEndLsn: '100', commitTimeMicros: '1700000000000001', changeCount };
  return { position: Position.parse(position), change };
}

/** `count` single-row transactions' inserts at positions `<lsn>-0`, lsn = first, first+1, … (exact bigints). */
export function inserts(first: bigint, count: number): ChangeEnvelope[] {
  return Array.from({ length: count }, (_, i) => insert(`${first + BigInt(i)}-0`, { id: String(i) }));
}

export function positions(changes: readonly ChangeEnvelope[]): string[] {
  return changes.map((c) => c.position.toString());
}
