import { ChangeEnvelope, ChangePayload, Datum, Position, RowChange } from '@kasho/contracts';
import { deleteKey, insertRowCap, presentColumns, renderDdl, renderDelete, renderDeleteBatch, renderInsert, renderTruncate, renderUpdate } from './sql-renderer';
import { SqlStatement } from './sql-statement';

/** A statement plus what it applies, for error reports. */
export interface PlannedStatement extends SqlStatement {
  kind: ChangePayload['kind'];
  schema?: string;
  table?: string;
  /** Positions of the first and last change the statement applies (equal unless a batch). */
  firstPosition: string;
  lastPosition: string;
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

/** Rows waiting to go out as one statement: inserts with one column set, or deletes by one key. */
interface PendingBatch {
  kind: 'insert' | 'delete';
  change: RowChange;
  /** Inserted columns, or key columns. */
  columns: string[];
  signature: string;
  rows: Datum[][];
  cap: number;
  firstPosition: string;
  lastPosition: string;
}

/**
 * Turns changes into target statements, in order. Consecutive inserts into the same table with the
 * same column set become one multi-row INSERT, and consecutive deletes from the same table by its
 * key one `DELETE … WHERE key IN (…)`, each of at most `maxRowsPerStatement` rows and 65535
 * parameters, across source commits; anything else flushes the pending batch first, so updates,
 * DDL and truncates keep their place. A batch expects every one of its rows to be affected.
 * Positions must increase strictly and lie after `after` (the applied or last written position).
 */
export function planStatements(changes: ChangeEnvelope[], after: Position, maxRowsPerStatement: number): PlannedStatement[] {
  const planned: PlannedStatement[] = [];
  let pending: PendingBatch | undefined;
  let last = after;

  const flush = (): void => {
    if (!pending) return;
    const { kind, change, columns, rows, firstPosition, lastPosition } = pending;
    const statement = kind === 'insert' ? renderInsert(change, columns, rows) : renderDeleteBatch(change, columns, rows);
    planned.push({ ...statement, kind, schema: change.schema, table: change.table, firstPosition, lastPosition });
    pending = undefined;
  };
  /** Adds a row to the pending batch, or flushes it and starts one, when kind, signature or room differ. */
  const batch = (kind: PendingBatch['kind'], change: RowChange, columns: string[], signature: string, values: Datum[], position: string): void => {
    if (pending && (pending.kind !== kind || pending.signature !== signature || pending.rows.length >= pending.cap)) flush();
    if (pending) {
      pending.rows.push(values);
      pending.lastPosition = position;
      return;
    }
    const cap = insertRowCap(columns.length, maxRowsPerStatement);
    pending = { kind, change, columns, signature, rows: [values], cap, firstPosition: position, lastPosition: position };
  };

  for (const envelope of changes) {
    const position = parsePosition(envelope);
    if (!position.isAfter(last)) {
      throw new PlanError(envelope, `change at position ${envelope.position} is not after ${last.toString()} (already applied or out of order)`);
    }
    last = position;
    const change = envelope.change;
    try {
      if (change.kind === 'insert') {
        const row = insertRow(change);
        batch('insert', change, row.columns, row.signature, row.values, envelope.position);
        continue;
      }
      const key = change.kind === 'delete' ? deleteKey(change) : undefined;
      if (key && change.kind === 'delete') {
        batch('delete', change, key.columns, [change.schema, change.table, ...key.columns].join('\u0000'), key.values, envelope.position);
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

function parsePosition(envelope: ChangeEnvelope): Position {
  try {
    return Position.parse(envelope.position);
  } catch (err) {
    throw new PlanError(envelope, err instanceof Error ? err.message : String(err));
  }
}

/** The insert's column list (table order), a signature for batching, and its values. */
function insertRow(change: RowChange): { columns: string[]; signature: string; values: Datum[] } {
  if (!change.new) throw new Error(`insert on ${change.schema}.${change.table} carries no new row`);
  const columns = presentColumns(change, change.new).map((c) => c.name);
  const signature = [change.schema, change.table, ...columns].join('\u0000');
  return { columns, signature, values: columns.map((name) => change.new![name]) };
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
