import { ChangeEnvelope, ColumnMeta, CommitChange, DdlChange, Position, RowChange, TruncateChange, Tuple } from '@kasho/contracts';

/** Builders of change envelopes for the apply specs. */
export function col(name: string, type = 'text', key = false, typeOid = 25): ColumnMeta {
  return { name, type, typeOid, typeMod: -1, key };
}

export function rowChange(
  kind: RowChange['kind'],
  table: string,
  columns: ColumnMeta[],
  images: { new?: Tuple; old?: Tuple; unchangedToast?: string[] },
  replicaIdentity = 'default',
): RowChange {
  return { kind, schema: 'public', table, columns, replicaIdentity, ...images };
}

export function insert(table: string, columns: ColumnMeta[], row: Tuple): RowChange {
  return rowChange('insert', table, columns, { new: row });
}

export function truncate(tables: string[], options: { cascade?: boolean; restartIdentity?: boolean } = {}): TruncateChange {
  return {
    kind: 'truncate',
    relations: tables.map((table) => ({ schema: 'public', table })),
    cascade: !!options.cascade,
    restartIdentity: !!options.restartIdentity,
  };
}

export function ddl(sql: string, searchPath = '"$user", public'): DdlChange {
  return { kind: 'ddl', sql, searchPath, tag: 'DDL', object: '' };
}

export function commit(commitEndLsn: string, changeCount: number): CommitChange {
  return { kind: 'commit', xid: 1, commitEndLsn, commitTimeMicros: '0', changeCount };
}

/** Envelopes of one source transaction at `commitLsn`, followed by its commit entry. */
export function transaction(commitLsn: bigint | number, changes: ChangeEnvelope['change'][]): ChangeEnvelope[] {
  const lsn = BigInt(commitLsn);
  const envelopes: ChangeEnvelope[] = changes.map((change, i) => ({ position: new Position(lsn, BigInt(i)), change }));
  envelopes.push({ position: new Position(lsn, BigInt(changes.length)), change: commit(String(lsn + 8n), changes.length) });
  return envelopes;
}

/** Applies whole source transactions in one target transaction, committing at the last commit entry. */
export async function applyTransactions(
  applier: { begin(): Promise<void>; write(c: ChangeEnvelope[]): Promise<void>; commit(p: Position, lsn: string): Promise<void> },
  envelopes: ChangeEnvelope[],
): Promise<void> {
  const last = envelopes[envelopes.length - 1];
  if (last.change.kind !== 'commit') throw new Error('the last envelope must be a commit entry');
  await applier.begin();
  await applier.write(envelopes);
  await applier.commit(last.position, last.change.commitEndLsn);
}
