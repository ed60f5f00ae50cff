import type { Datum, Position } from '@kasho/contracts';

/** Where an apply failure happened; never carries row values. */
export interface ApplyErrorContext {
  /** Position of the change being applied (the first of a batch), or of the commit. */
  position?: Position;
  /** The last position of a multi-row batch, when it differs from `position`. */
  lastPosition?: Position;
  schema?: string;
  table?: string;
  /** Change kind, or the applier step (`open`, `begin`, `commit`, ...). */
  kind?: string;
}

/**
 * A change (or an applier step) that could not be applied. The message names the table, the
 * position and PostgreSQL's error, and never row values: PostgreSQL's `detail` and `where` (which
 * quote keys and rows) are dropped, quoted values are scrubbed from the message, and the driver's
 * error is deliberately not kept as `cause` so no logger can print it.
 */
export class ApplyError extends Error {
  readonly position?: Position;
  readonly schema?: string;
  readonly table?: string;
  readonly kind?: string;
  /** PostgreSQL's SQLSTATE when the target reported one. */
  readonly sqlstate?: string;

  constructor(context: ApplyErrorContext, reason: string, sqlstate?: string) {
    super(composeMessage(context, reason, sqlstate));
    this.name = 'ApplyError';
    this.position = context.position;
    this.schema = context.schema;
    this.table = context.table;
    this.kind = context.kind;
    this.sqlstate = sqlstate;
  }

  /** Wraps a driver or PostgreSQL error, keeping only value-free parts. `values` are scrubbed. */
  static from(err: unknown, context: ApplyErrorContext, values: readonly Datum[] = []): ApplyError {
    if (err instanceof ApplyError) return err;
    const sqlstate = sqlstateOf(err);
    const raw = err instanceof Error ? err.message : String(err);
    return new ApplyError(context, scrubValues(raw, values), sqlstate);
  }
}

function composeMessage(context: ApplyErrorContext, reason: string, sqlstate?: string): string {
  const what = context.kind ?? 'apply';
  const on = context.table ? ` on ${context.schema ? `${context.schema}.` : ''}${context.table}` : '';
  const at = context.position
    ? context.lastPosition && !context.lastPosition.equals(context.position)
      ? ` at positions ${context.position}..${context.lastPosition}`
      : ` at position ${context.position}`
    : '';
  const code = sqlstate ? ` (SQLSTATE ${sqlstate})` : '';
  return `cannot apply ${what}${on}${at}: ${reason}${code}`;
}

function sqlstateOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

const REDACTED = '<redacted>';

/**
 * Removes values from a PostgreSQL primary message. Input errors end with the value
 * (`invalid input syntax for type integer: "abc"`, `malformed array literal: "..."`), range errors
 * quote it inside (`value "99999999999" is out of range for type integer`); and any parameter value
 * of the failed statement that still appears is replaced.
 */
export function scrubValues(message: string, values: readonly Datum[] = []): string {
  let scrubbed = message.replace(/: ".*"\s*$/s, `: ${REDACTED}`).replace(/\bvalue ".*?" is out of range/gs, `value ${REDACTED} is out of range`);
  const distinct = [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= 3))];
  distinct.sort((a, b) => b.length - a.length);
  for (const value of distinct) scrubbed = scrubbed.split(value).join(REDACTED);
  return scrubbed;
}
