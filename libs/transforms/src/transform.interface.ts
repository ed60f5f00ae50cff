import type { ColumnMeta, Datum } from '@kasho/contracts';
import type { KeyedRandom } from './keyed-random';
import type { TransformsMode } from './transforms-config';

/** A declared option of a transform; transforms.yml values are checked against it at boot. */
export type OptionSpec =
  | { type: 'string'; required?: boolean; default?: string; oneOf?: readonly string[]; description?: string }
  /** A YAML string, number or boolean, resolved to its text (`42` → `'42'`); a list or a mapping is refused. */
  | { type: 'scalar'; required?: boolean; default?: string; description?: string }
  | { type: 'integer'; required?: boolean; default?: number; min?: number; max?: number; description?: string }
  | { type: 'number'; required?: boolean; default?: number; min?: number; max?: number; description?: string }
  | { type: 'boolean'; required?: boolean; default?: boolean; description?: string };

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Options after validation, with defaults filled in. */
export type ResolvedOptions = Readonly<Record<string, string | number | boolean | undefined>>;

/** What `prepare()` may know of the whole config besides its own options. */
export interface PrepareContext {
  /** transforms.yml's `mode` (strict mode changes some defaults, e.g. Regex `on_no_match`). */
  readonly mode: TransformsMode;
}

/**
 * What is known of a column where a rule is checked against it: its type (always), and whether it is
 * NOT NULL (only where a catalog was read: the target's, at boot and after a snapshot's schema;
 * the replication stream does not say).
 */
export interface ColumnFacts {
  readonly name: string;
  /** As format_type prints it (`integer`, `character varying(20)`). */
  readonly type: string;
  readonly notNull?: boolean;
}

/** The other columns of the row, as already transformed (for `phase: 'row'` transforms). */
export interface RowView {
  /** Transformed value of `column`; `null` for SQL NULL; `undefined` if absent from the change. */
  get(column: string): Datum | undefined;
}

/** What `apply()` sees besides the value. Build nothing expensive from it unless needed: `random` is lazy. */
export interface TransformContext<P = ResolvedOptions> {
  /** What `prepare()` returned (or the resolved options when there is no `prepare`). */
  readonly options: P;
  /**
   * Randomness derived from HMAC-SHA256(secret, typeName 0x00 value): the same value gives the same
   * draws in every table, process and machine, and nobody without the secret can predict them.
   */
  readonly random: KeyedRandom;
  /** The row (transformed values of other columns). Only filled for `phase: 'row'` transforms. */
  readonly row: RowView;
  readonly column: ColumnMeta;
  readonly schema: string;
  readonly table: string;
}

/**
 * A transform: a Nest provider marked with `@RegisterTransform('Name')`.
 *
 * `apply()` receives a non-NULL value in PostgreSQL text form (NULL stays NULL without calling it)
 * and returns the replacement text, or `null` to write SQL NULL. It must be a pure function of `value`, `options` and
 * `ctx.random` (and `ctx.row` for row transforms) so outputs are deterministic. The engine then
 * checks that the output fits the column type and fails the change if it does not.
 */
export interface Transform<P = ResolvedOptions> {
  /** `value` (default): sees only the value, runs first. `row`: sees the row after the value transforms (Template, Password*). */
  readonly phase?: 'value' | 'row';
  /** Options accepted in transforms.yml besides `type` (and `unique` when `supportsUnique`). */
  readonly options?: OptionSpecs;
  /** Accept `unique: true`: the engine appends a keyed-hash suffix to make outputs injective in practice. */
  readonly supportsUnique?: boolean;
  /** Its output never repeats a non-NULL value (SetNull): nothing to make unique under a unique index, no warning. */
  readonly neverDuplicates?: boolean;
  /** Turn resolved options into what `apply` needs (compile a pattern...). Throw `TransformOptionError` for a bad option. Runs at boot. */
  prepare?(options: ResolvedOptions, context: PrepareContext): P;
  /**
   * Why this rule cannot write `column` (a constant that is not an integer for an `int` column, NULL
   * for a NOT NULL column), or undefined. Runs when the table's columns are first known (before any
   * value of it is written) and at boot against the target's catalog; the caller adds the file, line
   * and table.column. Never include a source value.
   */
  checkColumn?(prepared: P, column: ColumnFacts): string | undefined;
  /** Columns of the row this transform reads (row transforms); checked against the table when it is first seen. */
  references?(prepared: P): readonly string[];
  apply(value: string, ctx: TransformContext<P>): string | null | Promise<string | null>;
}
