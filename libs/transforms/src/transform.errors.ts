import type { Position } from '@kasho/contracts';

/**
 * A change that cannot be transformed. Names schema, table and column, never the value (I6): the
 * pipeline stops at this change, reports it and retries.
 */
export class TransformError extends Error {
  constructor(
    readonly schema: string,
    readonly table: string,
    readonly column: string,
    readonly reason: string,
    /** The change's position, once the caller knows it. */
    readonly position?: Position,
  ) {
    super(`${schema}.${table}.${column}${position ? ` at position ${position}` : ''}: ${reason}`);
    this.name = 'TransformError';
  }

  /** The same error, naming the position of the change it stopped at. */
  at(position: Position): TransformError {
    return new TransformError(this.schema, this.table, this.column, this.reason, position);
  }
}

/**
 * Thrown by a transform's `prepare()` or `apply()` to report a problem in its own terms; the engine
 * wraps it into a config issue (at boot) or a TransformError (per change), adding table.column.
 * Its message must never contain the input value.
 */
export class TransformOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransformOptionError';
  }
}
