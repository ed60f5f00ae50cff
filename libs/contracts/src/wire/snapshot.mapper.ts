import type { ColumnMeta } from '../change';
import type { CopyFormat, SequenceValue, SnapshotPlan, SnapshotTable } from '../snapshot';
import type { WireColumn } from './change-stream.wire';
import type { WireCopyFormat, WireSequenceValue, WireSnapshotPlan, WireSnapshotTable } from './snapshot.wire';

/** Domain ↔ wire for the Snapshot service; used only by its gRPC controller and client. */
export function toWireSnapshotPlan(plan: SnapshotPlan): WireSnapshotPlan {
  return {
    snapshot_id: plan.snapshotId,
    consistent_lsn: plan.consistentLsn.toString(),
    pre_data_sql: plan.preDataSql,
    post_data_sql: plan.postDataSql,
    tables: plan.tables.map(toWireTable),
    sequences: plan.sequences.map(toWireSequence),
    resumed: plan.resumed,
    source_version_num: plan.sourceVersionNum,
  };
}

export function fromWireSnapshotPlan(wire: WireSnapshotPlan): SnapshotPlan {
  if (!/^\d{1,20}$/.test(wire.consistent_lsn)) throw new Error(`snapshot plan: consistent_lsn "${wire.consistent_lsn}" is not a decimal LSN`);
  return {
    snapshotId: wire.snapshot_id,
    consistentLsn: BigInt(wire.consistent_lsn),
    preDataSql: wire.pre_data_sql,
    postDataSql: wire.post_data_sql,
    tables: (wire.tables ?? []).map(fromWireTable),
    sequences: (wire.sequences ?? []).map(fromWireSequence),
    resumed: wire.resumed,
    sourceVersionNum: wire.source_version_num ?? 0,
  };
}

export function toWireCopyFormat(format: CopyFormat): WireCopyFormat {
  return format === 'binary' ? 'COPY_FORMAT_BINARY' : 'COPY_FORMAT_TEXT';
}

/** An unknown value (a newer client) is refused by the caller, not read as text. */
export function fromWireCopyFormat(wire: string | undefined): CopyFormat | undefined {
  if (wire === undefined || wire === '' || wire === 'COPY_FORMAT_TEXT') return 'text';
  return wire === 'COPY_FORMAT_BINARY' ? 'binary' : undefined;
}

export function toWireSequence(s: SequenceValue): WireSequenceValue {
  return { schema: s.schema, name: s.name, last_value: s.lastValue, is_called: s.isCalled, increment: s.increment };
}

export function fromWireSequence(w: WireSequenceValue): SequenceValue {
  return { schema: w.schema, name: w.name, lastValue: w.last_value, isCalled: w.is_called, increment: w.increment };
}

function toWireTable(t: SnapshotTable): WireSnapshotTable {
  return {
    schema: t.schema,
    table: t.table,
    columns: t.columns.map(toWireColumnMeta),
    estimated_rows: String(t.estimatedRows),
    estimated_bytes: String(t.estimatedBytes),
    ranges: t.ranges.map((r) => ({ start_block: r.startBlock.toString(), end_block: r.endBlock.toString() })),
    post_data_sql: t.postDataSql,
    unique_indexes: t.uniqueIndexes.map((u) => ({ name: u.name, columns: u.columns, primary_key: u.primaryKey, partial: u.partial })),
    foreign_keys: t.foreignKeys.map((f) => ({
      name: f.name,
      columns: f.columns,
      referenced_schema: f.referencedSchema,
      referenced_table: f.referencedTable,
      referenced_columns: f.referencedColumns,
    })),
  };
}

function fromWireTable(w: WireSnapshotTable): SnapshotTable {
  return {
    schema: w.schema,
    table: w.table,
    columns: (w.columns ?? []).map(fromWireColumnMeta),
    estimatedRows: Number(w.estimated_rows),
    estimatedBytes: Number(w.estimated_bytes),
    ranges: (w.ranges ?? []).map((r) => ({ startBlock: BigInt(r.start_block), endBlock: BigInt(r.end_block) })),
    postDataSql: w.post_data_sql ?? '',
    uniqueIndexes: (w.unique_indexes ?? []).map((u) => ({ name: u.name, columns: u.columns ?? [], primaryKey: u.primary_key, partial: u.partial })),
    foreignKeys: (w.foreign_keys ?? []).map((f) => ({
      name: f.name,
      columns: f.columns ?? [],
      referencedSchema: f.referenced_schema,
      referencedTable: f.referenced_table,
      referencedColumns: f.referenced_columns ?? [],
    })),
  };
}

function toWireColumnMeta(c: ColumnMeta): WireColumn {
  return { name: c.name, type: c.type, type_oid: c.typeOid, type_mod: c.typeMod, key: c.key };
}

function fromWireColumnMeta(c: WireColumn): ColumnMeta {
  return { name: c.name, type: c.type, typeOid: c.type_oid, typeMod: c.type_mod, key: c.key };
}
