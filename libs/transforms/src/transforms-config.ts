import type { Transform } from './transform.interface';

/** One configured column, resolved and prepared at boot. */
export interface ColumnRule {
  schema: string;
  table: string;
  column: string;
  /** The transform's type name (`FakeName`), also the HMAC domain of its randomness. */
  typeName: string;
  transform: Transform<unknown>;
  /** What the transform's `prepare()` returned. */
  prepared: unknown;
  /**
   * `unique:` as written in transforms.yml. `true`: unique-safe output always; `false`: never (an
   * explicit opt-out, even under a unique index); undefined (not written): unique-safe when the
   * column is under a unique index of the table (see UniqueSafety).
   */
  unique: boolean | undefined;
  phase: 'value' | 'row';
  /** Row columns read by a row transform. */
  references: readonly string[];
  line?: number;
}

export interface TableRules {
  schema: string;
  table: string;
  /** Value transforms first, then row transforms in dependency order. `Keep` columns are not here. */
  columns: readonly ColumnRule[];
  /** Columns listed as `Keep`: replicated as they are, listed so that strict mode accepts them. */
  kept: readonly string[];
  /** 1-based line of each listed column (transform or Keep), for messages. */
  lines: ReadonlyMap<string, number | undefined>;
  line?: number;
}

/** `strict`: every column of every replicated table must be listed (default deny). `permissive`: unlisted columns replicate as they are. */
export type TransformsMode = 'strict' | 'permissive';
export const TRANSFORMS_MODES: readonly TransformsMode[] = ['strict', 'permissive'];

/** Schemas whose tables are Kasho's own bookkeeping: never subject to strict mode. */
export const KASHO_SCHEMA = 'kasho';

export interface TransformsConfig {
  file: string;
  mode: TransformsMode;
  /** Keyed by `schema.table`. */
  tables: ReadonlyMap<string, TableRules>;
}

export function tableKey(schema: string, table: string): string {
  return `${schema}.${table}`;
}
