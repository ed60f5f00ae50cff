import { ChangeEnvelope, ChangePayload, RowChange, Tuple } from '../change';
import { WireChange, WireDatum, WireRowChange, WireRowKind } from './change-stream.wire';

/** Domain → wire (server side). */
export function toWireChange(envelope: ChangeEnvelope): WireChange {
  const { position, change } = envelope;
  switch (change.kind) {
    case 'insert':
    case 'update':
    case 'delete':
      return { position, row: toWireRow(change) };
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

/** Wire → domain (client side). Throws on a message that carries no payload. */
export function fromWireChange(wire: WireChange): ChangeEnvelope {
  const { position } = wire;
  let change: ChangePayload;
  if (wire.row) change = fromWireRow(wire.row);
  else if (wire.truncate)
    change = {
      kind: 'truncate',
      relations: wire.truncate.relations.map((r) => ({ schema: r.schema, table: r.table })),
      cascade: wire.truncate.cascade,
      restartIdentity: wire.truncate.restart_identity,
    };
  else if (wire.ddl)
    change = { kind: 'ddl', sql: wire.ddl.sql, searchPath: wire.ddl.search_path, tag: wire.ddl.tag, object: wire.ddl.object };
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

function toWireRow(change: RowChange): WireRowChange {
  return {
    kind: KIND_TO_WIRE[change.kind],
    schema: change.schema,
    table: change.table,
    columns: change.columns.map((c) => ({ name: c.name, type: c.type, type_oid: c.typeOid, type_mod: c.typeMod, key: c.key })),
    new_values: change.new ? toWireTuple(change.new) : {},
    old_values: change.old ? toWireTuple(change.old) : {},
    unchanged_toast: change.unchangedToast ?? [],
    replica_identity: change.replicaIdentity,
    has_new: change.new !== undefined,
    has_old: change.old !== undefined,
  };
}

function fromWireRow(wire: WireRowChange): RowChange {
  const kind = KIND_FROM_WIRE[wire.kind];
  if (!kind) throw new Error(`row change on ${wire.schema}.${wire.table} has unknown kind ${wire.kind}`);
  const change: RowChange = {
    kind,
    schema: wire.schema,
    table: wire.table,
    columns: wire.columns.map((c) => ({ name: c.name, type: c.type, typeOid: c.type_oid, typeMod: c.type_mod, key: c.key })),
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
