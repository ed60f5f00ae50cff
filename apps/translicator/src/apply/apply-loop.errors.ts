import { ApplyError } from '@kasho/apply';
import { Position } from '@kasho/contracts';
import { TransformError } from '@kasho/transforms';

/** A change that cannot be transformed or applied, as opposed to a connection (stream or target) that failed. */
export function isChangeError(err: unknown): boolean {
  return err instanceof TransformError || (err instanceof ApplyError && err.position !== undefined);
}

/** The position of the change an error stopped at, when it is about one change. */
export function changePosition(err: unknown): Position | undefined {
  return err instanceof TransformError || err instanceof ApplyError ? err.position : undefined;
}

/** An error as a log line: table, column, position and cause — never a row value. */
export function describe(err: unknown): string {
  if (err instanceof ApplyError) return err.message;
  if (err instanceof Error) return `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`;
  return String(err);
}

/** The apply loop used its target transaction out of order (a bug, never a data problem): e.g. commit() before any source commit was added. */
export class TargetTransactionError extends Error {
  override readonly name = 'TargetTransactionError';
}
