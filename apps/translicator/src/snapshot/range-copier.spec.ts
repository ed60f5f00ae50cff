import type { ColumnMeta, SnapshotPlan, SnapshotTable } from '@kasho/contracts';
import type { TranslicatorEnv } from '../config/translicator.env';
import type { CopyTransformers } from './copy-transformers';
import { RangeCopier } from './range-copier';
import type { SnapshotGrpcClient } from './snapshot.client';
import { TargetCatalog } from './target-catalog';

const column = (name: string, typeOid: number, type: string): ColumnMeta => ({ name, type, typeOid, typeMod: -1, key: false });
const table = (name: string, columns: ColumnMeta[]): SnapshotTable => ({ schema: 'public', table: name, columns, estimatedRows: 0, estimatedBytes: 0, ranges: [], postDataSql: '' });
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
  const orders = table('orders', [column('id', 20, 'bigint'), column('amount', 1700, 'numeric(12,2)'), column('tags', 1009, 'text[]')]);
  const types = { 'public.orders.id': 'bigint', 'public.orders.amount': 'numeric(12,2)', 'public.orders.tags': 'text[]', 'public.users.id': 'bigint' };
  const target = (versionNum: number, changed: Record<string, string> = {}) => TargetCatalog.of(versionNum, { ...types, ...changed });

  it('copies a rule-free table of built-in types as binary when the target has the same types and major version', () => {
    expect(copier().formatFor(plan(150004), orders, target(150019))).toBe('binary');
  });

  it('uses text for rules, a user-defined type, a column typed otherwise on the target, another major version or SNAPSHOT_COPY_FORMAT=text', () => {
    expect(copier().formatFor(plan(150004), table('users', [column('id', 20, 'bigint')]), target(150004))).toBe('text');
    const withEnum = table('orders', [column('id', 20, 'bigint'), column('mood', 16390, 'public.mood')]);
    expect(copier().formatFor(plan(150004), withEnum, target(150004, { 'public.orders.mood': 'public.mood' }))).toBe('text');
    expect(copier().formatFor(plan(150004), orders, target(150004, { 'public.orders.amount': 'numeric' }))).toBe('text');
    expect(copier().formatFor(plan(150004), orders, TargetCatalog.of(150004, { 'public.orders.id': 'bigint' }))).toBe('text');
    expect(copier().formatFor(plan(150004), orders, target(160001))).toBe('text');
    expect(copier().formatFor(plan(0), orders, target(150004))).toBe('text');
    expect(copier('text').formatFor(plan(150004), orders, target(150004))).toBe('text');
  });
});
