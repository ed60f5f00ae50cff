import { ChangeEnvelope, ChangePayload, ColumnMeta, RowChange, Tuple } from '../change';
import { Position } from '../position';
import { WireChange, WireChangeBatch, WireColumn, WireDatum, WireRelation, WireRowChange, WireRowKind } from './change-stream.wire';

/**
 * Domain → wire for a batch: each relation's columns travel once per batch, not once per row; rows
 * reference them by relation index (the `relation_id` field: the entry's place in `relations`,
 * meaningful within this batch only; not the buffer's relation digest).
 */
export function toWireBatch(envelopes: readonly ChangeEnvelope[]): WireChangeBatch {
  const indexes = new Map<readonly ColumnMeta[], string>();
  const relations: WireRelation[] = [];
  const relationIndex = (columns: readonly ColumnMeta[]) => {
    let index = indexes.get(columns);
    if (index === undefined) {
      index = String(relations.length);
      indexes.set(columns, index);
      relations.push({ id: index, columns: columns.map(toWireColumn) });
    }
    return index;
  };
  return { changes: envelopes.map((e) => toWireChange(e, relationIndex)), relations };
}

/** Wire → domain for a batch; rows of one relation share one columns array. `relations` is keyed by relation index. */
export function fromWireBatch(batch: WireChangeBatch): ChangeEnvelope[] {
  const relations = new Map<string, ColumnMeta[]>();
  for (const relation of batch.relations ?? []) relations.set(relation.id, relation.columns.map(fromWireColumn));
  return (batch.changes ?? []).map((change) => fromWireChange(change, relations));
}

/** Domain → wire for one change; with `relationIndex`, row columns are referenced instead of inlined. */
export function toWireChange(envelope: ChangeEnvelope, relationIndex?: (columns: readonly ColumnMeta[]) => string): WireChange {
  const { change } = envelope;
  const position = envelope.position.toString();
  switch (change.kind) {
    case 'insert':
    case 'update':
    case 'delete':
      return { position, row: toWireRow(change, relationIndex) };
    case 'truncate':
      return {
        position,
        truncate: { relations: change.relations, cascade: change.cascade, restart_identity: change.restartIdentity },
      };
    case 'ddl':
      return { position, ddl: { sql: change.sql, search_path: change.searchPath, tag: change.tag, object: change.object } };
    case 'commit':
      return {
        position,
        commit: {
          xid: change.xid,
          commit_end_lsn: change.commitEndLsn,
          commit_time_micros: change.commitTimeMicros,
          change_count: change.changeCount,
        },
      };
  }
}

/** Wire → domain for one change. Throws on a message with an invalid position, no payload or an unknown relation. */
export function fromWireChange(wire: WireChange, relations: ReadonlyMap<string, ColumnMeta[]> = new Map()): ChangeEnvelope {
  const position = Position.parse(wire.position);
  let change: ChangePayload;
  if (wire.row) change = fromWireRow(wire.row, relations, position);
  else if (wire.truncate)
    change = {
      kind: 'truncate',
      relations: wire.truncate.relations.map((r) => ({ schema: r.schema, table: r.table })),
      cascade: wire.truncate.cascade,
      restartIdentity: wire.truncate.restart_identity,
    };
  else if (wire.ddl) change = { kind: 'ddl', sql: wire.ddl.sql, searchPath: wire.ddl.search_path, tag: wire.ddl.tag, object: wire.ddl.object };
  else if (wire.commit)
    change = {
      kind: 'commit',
      xid: Number(wire.commit.xid),
      commitEndLsn: wire.commit.commit_end_lsn,
      commitTimeMicros: wire.commit.commit_time_micros,
      changeCount: Number(wire.commit.change_count),
    };
  else throw new Error(`change at position ${position} has no payload`);
  return { position, change };
}

const KIND_TO_WIRE: Record<RowChange['kind'], WireRowKind> = { insert: 'INSERT', update: 'UPDATE', delete: 'DELETE' };
const KIND_FROM_WIRE: Partial<Record<WireRowKind, RowChange['kind']>> = { INSERT: 'insert', UPDATE: 'update', DELETE: 'delete' };

function toWireColumn(c: ColumnMeta): WireColumn {
  return { name: c.name, type: c.type, type_oid: c.typeOid, type_mod: c.typeMod, key: c.key };
}

function fromWireColumn(c: WireColumn): ColumnMeta {
  return { name: c.name, type: c.type, typeOid: c.type_oid, typeMod: c.type_mod, key: c.key };
}

function toWireRow(change: RowChange, relationIndex?: (columns: readonly ColumnMeta[]) => string): WireRowChange {
  return {
    kind: KIND_TO_WIRE[change.kind],
    schema: change.schema,
    table: change.table,
    columns: relationIndex ? [] : change.columns.map(toWireColumn),
    relation_id: relationIndex ? relationIndex(change.columns) : '',
    new_values: change.new ? toWireTuple(change.new) : {},
    old_values: change.old ? toWireTuple(change.old) : {},
    unchanged_toast: change.unchangedToast ?? [],
    replica_identity: change.replicaIdentity,
    has_new: change.new !== undefined,
    has_old: change.old !== undefined,
  };
}

function fromWireRow(wire: WireRowChange, relations: ReadonlyMap<string, ColumnMeta[]>, position: Position): RowChange {
  const kind = KIND_FROM_WIRE[wire.kind];
  if (!kind) throw new Error(`row change on ${wire.schema}.${wire.table} has unknown kind ${wire.kind}`);
  let columns: ColumnMeta[];
  if (wire.relation_id) {
    const shared = relations.get(wire.relation_id);
    if (!shared) throw new Error(`change at position ${position} references unknown relation ${wire.relation_id}`);
    columns = shared;
  } else {
    columns = wire.columns.map(fromWireColumn);
  }
  const change: RowChange = {
    kind,
    schema: wire.schema,
    table: wire.table,
    columns,
    replicaIdentity: wire.replica_identity,
  };
  if (wire.has_new) change.new = fromWireTuple(wire.new_values);
  if (wire.has_old) change.old = fromWireTuple(wire.old_values);
  if (wire.unchanged_toast.length > 0) change.unchangedToast = [...wire.unchanged_toast];
  return change;
}

function toWireTuple(tuple: Tuple): Record<string, WireDatum> {
  const out: Record<string, WireDatum> = {};
  for (const [name, value] of Object.entries(tuple)) out[name] = value === null ? { null: true } : { text: value };
  return out;
}

function fromWireTuple(wire: Record<string, WireDatum>): Tuple {
  const out: Tuple = {};
  for (const [name, datum] of Object.entries(wire)) {
    const isNull = datum.value ? datum.value === 'null' : datum.null === true;
    out[name] = isNull ? null : (datum.text ?? '');
  }
  return out;
}
