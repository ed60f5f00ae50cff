import { ChangeEnvelope, ChangePayload, Datum, Position, RowChange } from '@kasho/contracts';
import {
  deleteKey,
  insertRowCap,
  presentColumns,
  renderDdl,
  renderDelete,
  renderDeleteBatch,
  renderInsert,
  renderTruncate,
  renderUpdate,
  renderUpdateBatch,
  updateShape,
} from './sql-renderer';
import { SqlStatement } from './sql-statement';

/** A statement plus what it applies, for error reports. */
export interface PlannedStatement extends SqlStatement {
  kind: ChangePayload['kind'];
  schema?: string;
  table?: string;
  /** Positions of the first and last change the statement applies (equal unless a batch). */
  firstPosition: Position;
  lastPosition: Position;
  /** Rows of a batched UPDATE: their order inside it is not the source's. */
  batchedUpdateRows?: number;
}

/** Where planning stopped: the change that could not be rendered, and why. */
export class PlanError extends Error {
  constructor(
    readonly envelope: ChangeEnvelope,
    reason: string,
  ) {
    super(reason);
    this.name = 'PlanError';
  }
}

/** Rows waiting to go out as one statement: inserts with one column set, deletes by one key, or updates of one shape. */
interface PendingBatch {
  kind: 'insert' | 'delete' | 'update';
  change: RowChange;
  /** Inserted columns, or key columns (then, for updates, the columns set). */
  columns: string[];
  /** Updates: how many of `columns` are key columns; the keys already in the batch. */
  keyCount: number;
  keys: Set<string>;
  signature: string;
  rows: Datum[][];
  cap: number;
  firstPosition: Position;
  lastPosition: Position;
}

/**
 * Turns changes into target statements, in order. Consecutive inserts into the same table with the
 * same column set become one multi-row INSERT, consecutive deletes from the same table by its key one
 * `DELETE … WHERE key IN (…)`, and consecutive updates by key of the same columns one
 * `UPDATE … FROM (VALUES …)` (a key seen again starts a new one), each of at most
 * `maxRowsPerStatement` rows and 65535 parameters, across source commits; anything else flushes the
 * pending batch first, so DDL, truncates and the changes that go alone keep their place. A batch
 * expects every one of its rows to be affected. Updates of the tables in `updatesOneByOne`
 * ("schema.table") are not batched (TargetApplier: a batch tripped a constraint the source order avoids).
 * Positions must increase strictly and lie after `after` (the applied or last written position).
 */
export function planStatements(
  changes: ChangeEnvelope[],
  after: Position,
  maxRowsPerStatement: number,
  updatesOneByOne: ReadonlySet<string> = new Set(),
): PlannedStatement[] {
  const planned: PlannedStatement[] = [];
  let pending: PendingBatch | undefined;
  let last = after;

  const flush = (): void => {
    if (!pending) return;
    const { kind, change, columns, keyCount, rows, firstPosition, lastPosition } = pending;
    const statement =
      kind === 'insert'
        ? renderInsert(change, columns, rows)
        : kind === 'delete'
          ? renderDeleteBatch(change, columns, rows)
          : renderUpdateBatch(change, columns.slice(0, keyCount), columns.slice(keyCount), rows);
    const batchedUpdateRows = kind === 'update' ? rows.length : undefined;
    planned.push({ ...statement, kind, schema: change.schema, table: change.table, firstPosition, lastPosition, batchedUpdateRows });
    pending = undefined;
  };
  /**
   * Adds a row to the pending batch, or flushes it and starts one when kind, signature or room differ,
   * or when `key` (updates) is already in it.
   */
  const batch = (kind: PendingBatch['kind'], change: RowChange, columns: string[], keyCount: number, values: Datum[], position: Position, key = ''): void => {
    const signature = [kind, change.schema, change.table, keyCount, ...columns].join('\u0000');
    if (pending && (pending.signature !== signature || pending.rows.length >= pending.cap || pending.keys.has(key))) flush();
    if (pending) {
      pending.rows.push(values);
      pending.lastPosition = position;
    } else {
      const cap = insertRowCap(columns.length, maxRowsPerStatement);
      pending = { kind, change, columns, keyCount, keys: new Set(), signature, rows: [values], cap, firstPosition: position, lastPosition: position };
    }
    if (key) pending.keys.add(key);
  };

  for (const envelope of changes) {
    const { position } = envelope;
    if (!position.isAfter(last)) {
      throw new PlanError(envelope, `change at position ${envelope.position} is not after ${last.toString()} (already applied or out of order)`);
    }
    last = position;
    const change = envelope.change;
    try {
      if (change.kind === 'insert') {
        const row = insertRow(change);
        batch('insert', change, row.columns, 0, row.values, envelope.position);
        continue;
      }
      const key = change.kind === 'delete' ? deleteKey(change) : undefined;
      if (key && change.kind === 'delete') {
        batch('delete', change, key.columns, key.columns.length, key.values, envelope.position);
        continue;
      }
      const shape = change.kind === 'update' && !updatesOneByOne.has(`${change.schema}.${change.table}`) ? updateShape(change) : undefined;
      if (shape && change.kind === 'update') {
        batch('update', change, [...shape.keys, ...shape.assigned], shape.keys.length, shape.values, envelope.position, shape.key);
        continue;
      }
      // A commit entry ends a source transaction, not the target one: inserts batch across it.
      if (change.kind === 'commit') continue;
      flush();
      for (const statement of renderOther(change)) {
        const relation = 'schema' in change ? { schema: change.schema, table: change.table } : firstRelation(change);
        planned.push({ ...statement, kind: change.kind, ...relation, firstPosition: envelope.position, lastPosition: envelope.position });
      }
    } catch (err) {
      if (err instanceof PlanError) throw err;
      throw new PlanError(envelope, err instanceof Error ? err.message : String(err));
    }
  }
  flush();
  return planned;
}

/** The insert's column list (table order) and its values. */
function insertRow(change: RowChange): { columns: string[]; values: Datum[] } {
  if (!change.new) throw new Error(`insert on ${change.schema}.${change.table} carries no new row`);
  const columns = presentColumns(change, change.new).map((c) => c.name);
  return { columns, values: columns.map((name) => change.new![name]) };
}

function renderOther(change: ChangePayload): SqlStatement[] {
  switch (change.kind) {
    case 'insert':
      throw new Error('inserts are batched, not rendered one by one');
    case 'update':
      return [renderUpdate(change)];
    case 'delete':
      return [renderDelete(change)];
    case 'truncate':
      return [renderTruncate(change)];
    case 'ddl':
      return renderDdl(change);
    case 'commit':
      return [];
  }
}

function firstRelation(change: ChangePayload): { schema?: string; table?: string } {
  if (change.kind === 'truncate' && change.relations.length > 0) {
    return { schema: change.relations[0].schema, table: change.relations.map((r) => r.table).join(', ') };
  }
  return {};
}
