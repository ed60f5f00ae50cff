import type { SnapshotPlan } from '../snapshot';
import { fromWireSnapshotPlan, toWireSnapshotPlan } from './snapshot.mapper';
import type { WireSnapshotPlan } from './snapshot.wire';

describe('snapshot plan mapper', () => {
  it("carries each table's unique indexes and foreign keys both ways", () => {
    const plan: SnapshotPlan = {
      snapshotId: '00000003-00000002-1',
      consistentLsn: 123n,
      preDataSql: '',
      postDataSql: '',
      tables: [
        {
          schema: 'public',
          table: 'invites',
          columns: [{ name: 'email', type: 'text', typeOid: 25, typeMod: -1, key: false }],
          estimatedRows: 1,
          estimatedBytes: 8192,
          ranges: [{ startBlock: 0n, endBlock: 0n }],
          postDataSql: '',
          uniqueIndexes: [{ name: 'invites_pkey', columns: ['id', 'email'], primaryKey: true, partial: false }],
          foreignKeys: [
            { name: 'invites_email_fkey', columns: ['email'], referencedSchema: 'public', referencedTable: 'accounts', referencedColumns: ['email'] },
          ],
        },
      ],
      sequences: [],
      resumed: false,
      sourceVersionNum: 170000,
    };
    expect(fromWireSnapshotPlan(toWireSnapshotPlan(plan) as WireSnapshotPlan)).toEqual(plan);
  });

  it('reads a plan from an older pg-change-stream (no keys) as tables without any', () => {
    const wire = toWireSnapshotPlan({
      snapshotId: 's',
      consistentLsn: 1n,
      preDataSql: '',
      postDataSql: '',
      tables: [
        { schema: 'public', table: 't', columns: [], estimatedRows: 0, estimatedBytes: 0, ranges: [], postDataSql: '', uniqueIndexes: [], foreignKeys: [] },
      ],
      sequences: [],
      resumed: false,
      sourceVersionNum: 0,
    }) as WireSnapshotPlan;
    const old = { ...wire, tables: wire.tables.map(({ unique_indexes: _u, foreign_keys: _f, ...t }) => t) } as unknown as WireSnapshotPlan;
    expect(fromWireSnapshotPlan(old).tables[0]).toMatchObject({ uniqueIndexes: [], foreignKeys: [] });
  });
});
