import type { ColumnMeta, SnapshotPlan, SnapshotTable } from '@kasho/contracts';
import type { TranslicatorEnv } from '../config/translicator.env';
import type { CopyTransformers } from './copy-transformers';
import { RangeCopier } from './range-copier';
import type { SnapshotGrpcClient } from './snapshot.client';

const column = (name: string, typeOid: number): ColumnMeta => ({ name, type: 'x', typeOid, typeMod: -1, key: false });
const table = (name: string, columns: ColumnMeta[]): SnapshotTable => ({ schema: 'public', table: name, columns, estimatedRows: 0, estimatedBytes: 0, ranges: [] });
const plan = (sourceVersionNum: number): SnapshotPlan => ({
  snapshotId: 's',
  consistentLsn: 1n,
  preDataSql: '',
  postDataSql: '',
  tables: [],
  sequences: [],
  resumed: false,
  sourceVersionNum,
});

function copier(format: 'auto' | 'text' = 'auto'): RangeCopier {
  const transformers = { hasRules: (t: SnapshotTable) => t.table === 'users' } as unknown as CopyTransformers;
  return new RangeCopier({} as SnapshotGrpcClient, transformers, { SNAPSHOT_COPY_FORMAT: format } as TranslicatorEnv);
}

describe('RangeCopier.formatFor', () => {
  const builtIn = table('orders', [column('id', 20), column('amount', 1700), column('tags', 1009), column('at', 1184)]);

  it('copies a rule-free table of built-in types as binary between servers of one major version', () => {
    expect(copier().formatFor(plan(150004), builtIn, 150019)).toBe('binary');
  });

  it('uses text for a table with rules, a user-defined type, another major version, an unknown source version, or SNAPSHOT_COPY_FORMAT=text', () => {
    expect(copier().formatFor(plan(150004), table('users', [column('id', 20)]), 150004)).toBe('text');
    expect(copier().formatFor(plan(150004), table('moods', [column('id', 20), column('mood', 16390)]), 150004)).toBe('text');
    expect(copier().formatFor(plan(150004), builtIn, 160001)).toBe('text');
    expect(copier().formatFor(plan(0), builtIn, 150004)).toBe('text');
    expect(copier('text').formatFor(plan(150004), builtIn, 150004)).toBe('text');
  });
});
