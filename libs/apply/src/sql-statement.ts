import type { Datum } from '@kasho/contracts';

/** One statement for the target: SQL text with `$n` placeholders and its text-form parameters. */
export interface SqlStatement {
  text: string;
  /** Parameters in PostgreSQL text form; never interpolated into `text`. */
  values: Datum[];
  /** How many rows the statement must affect; any other count means the replica diverged. */
  expectedRows?: number;
}

/** PostgreSQL's wire protocol counts bind parameters in an unsigned 16-bit field. */
export const MAX_BIND_PARAMETERS = 65535;
