import { Readable, Writable } from 'node:stream';
import type { Client } from 'pg';
import type { ColumnMeta, SnapshotPlan, SnapshotTable } from '@kasho/contracts';
import type { SnapshotGrpcClient } from '../ingest/snapshot.client';
import type { CopyTransformers } from '../copy-transform/copy-transformers';
import { RangeCopier } from './range-copier';
import { TargetCatalog } from './target-catalog';

const column = (name: string, typeOid: number, type: string): ColumnMeta => ({ name, type, typeOid, typeMod: -1, key: false });
const table = (name: string, columns: ColumnMeta[]): SnapshotTable => ({
  schema: 'public',
  table: name,
  columns,
  estimatedRows: 0,
  estimatedBytes: 0,
  ranges: [],
  postDataSql: '',
  uniqueIndexes: [],
  foreignKeys: [],
});
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

/** Rules on users: `email` (text) by default, or the columns given. */
function copier(format: 'auto' | 'text' = 'auto', ruled: string[] = ['email']): RangeCopier {
  const transformers = {
    hasRules: (t: SnapshotTable) => t.table === 'users',
    ruleColumns: (t: SnapshotTable) => (t.table === 'users' ? ruled : []),
  } as unknown as CopyTransformers;
  return new RangeCopier({} as SnapshotGrpcClient, transformers, { copyFormat: format });
}

describe('RangeCopier.formatFor', () => {
  const orders = table('orders', [column('id', 20, 'bigint'), column('amount', 1700, 'numeric(12,2)'), column('tags', 1009, 'text[]')]);
  const types = { 'public.orders.id': 'bigint', 'public.orders.amount': 'numeric(12,2)', 'public.orders.tags': 'text[]', 'public.users.id': 'bigint' };
  const target = (versionNum: number, changed: Record<string, string> = {}) => TargetCatalog.of(versionNum, { ...types, ...changed });

  it('copies a rule-free table of built-in types as binary when the target has the same types and major version', () => {
    expect(copier().formatFor(plan(150004), orders, target(150019))).toBe('binary');
  });

  const users = table('users', [
    column('id', 20, 'bigint'),
    column('email', 25, 'text'),
    column('name', 1043, 'character varying(80)'),
    column('plan', 16400, 'public.plan'),
  ]);
  const userTypes = { 'public.users.email': 'text', 'public.users.name': 'character varying(80)', 'public.users.plan': 'public.plan' };

  it('copies a table with rules as binary when the transforms read and write text-typed columns only, enums included', () => {
    const catalog = TargetCatalog.of(150004, { ...types, ...userTypes }, ['public.users.plan']);
    expect(copier().formatFor(plan(150004), users, catalog)).toBe('binary');
    expect(copier('auto', ['email', 'name']).formatFor(plan(150004), users, catalog)).toBe('binary');
  });

  it('uses text when a transform reads a column that is not text-typed (its binary value is not its text)', () => {
    const catalog = TargetCatalog.of(150004, { ...types, ...userTypes }, ['public.users.plan']);
    expect(copier('auto', ['email', 'id']).formatFor(plan(150004), users, catalog)).toBe('text');
    expect(copier('auto', ['plan']).formatFor(plan(150004), users, catalog)).toBe('text');
  });

  it('uses text for a user-defined type other than an enum or a domain over a built-in type, a column typed otherwise on the target, another major version or SNAPSHOT_COPY_FORMAT=text', () => {
    const withEnum = table('orders', [column('id', 20, 'bigint'), column('mood', 16390, 'public.mood')]);
    expect(copier().formatFor(plan(150004), withEnum, target(150004, { 'public.orders.mood': 'public.mood' }))).toBe('text');
    expect(
      copier().formatFor(plan(150004), withEnum, TargetCatalog.of(150004, { ...types, 'public.orders.mood': 'public.mood' }, ['public.orders.mood'])),
    ).toBe('binary');
    const withDomain = table('orders', [column('id', 20, 'bigint'), column('qty', 16395, 'public.qty')]);
    expect(copier().formatFor(plan(150004), withDomain, TargetCatalog.of(150004, { ...types, 'public.orders.qty': 'public.qty' }, ['public.orders.qty']))).toBe(
      'binary',
    );
    const enumArray = table('orders', [column('id', 20, 'bigint'), column('moods', 16389, 'public.mood[]')]);
    expect(copier().formatFor(plan(150004), enumArray, target(150004, { 'public.orders.moods': 'public.mood[]' }))).toBe('text');
    expect(copier().formatFor(plan(150004), orders, target(150004, { 'public.orders.amount': 'numeric' }))).toBe('text');
    expect(copier().formatFor(plan(150004), orders, TargetCatalog.of(150004, { 'public.orders.id': 'bigint' }))).toBe('text');
    expect(copier().formatFor(plan(150004), orders, target(160001))).toBe('text');
    expect(copier().formatFor(plan(0), orders, target(150004))).toBe('text');
    expect(copier('text').formatFor(plan(150004), orders, target(150004))).toBe('text');
    expect(copier('text').formatFor(plan(150004), users, TargetCatalog.of(150004, { ...types, ...userTypes }, ['public.users.plan']))).toBe('text');
  });
});

describe('RangeCopier.copy', () => {
  /** A target whose COPY … FROM STDIN swallows the bytes and reports `rowCount` rows written. */
  function target(rowCount: number): { client: Client; received: Buffer[] } {
    const received: Buffer[] = [];
    const client = {
      escapeIdentifier: (name: string) => `"${name}"`,
      query: () => Object.assign(new Writable({ write: (c: Buffer, _e, cb) => (received.push(c), cb()) }), { rowCount }),
    } as unknown as Client;
    return { client, received };
  }

  /** pg-change-stream sending `chunks`, each with the row count it announces. */
  function changeStream(chunks: [string, number][]): SnapshotGrpcClient {
    return {
      copyRange: (_id: string, _s: string, _t: string, _r: unknown, _f: unknown, onRows: (n: number) => void) =>
        Readable.from(chunks.map(([data, rows]) => (onRows(rows), Buffer.from(data)))),
    } as unknown as SnapshotGrpcClient;
  }

  const orders = table('orders', [column('id', 20, 'bigint')]);
  const noRules = { for: async () => null } as unknown as CopyTransformers;
  const env = { copyFormat: 'auto' as const };

  it('resolves with the rows PostgreSQL wrote when they are the rows pg-change-stream sent', async () => {
    const { client, received } = target(3);
    const copier = new RangeCopier(
      changeStream([
        ['1\n2\n', 2],
        ['3\n', 1],
      ]),
      noRules,
      env,
    );
    let progress = 0;
    const rows = await copier.copy(client, plan(150004), orders, { startBlock: 0n, endBlock: 0n }, 'text', (r) => (progress += r));
    expect(rows).toBe(3);
    expect(progress).toBe(3);
    expect(Buffer.concat(received).toString()).toBe('1\n2\n3\n');
  });

  it("fails the range when PostgreSQL's COPY count differs from the rows sent, and takes its progress back", async () => {
    const { client } = target(2);
    const copier = new RangeCopier(
      changeStream([
        ['1\n2\n', 2],
        ['3\n', 1],
      ]),
      noRules,
      env,
    );
    let rows = 0;
    await expect(copier.copy(client, plan(150004), orders, { startBlock: 0n, endBlock: 0n }, 'text', (r) => (rows += r))).rejects.toThrow(
      'COPY into public.orders wrote 2 rows where pg-change-stream sent 3',
    );
    expect(rows).toBe(0);
  });
});
