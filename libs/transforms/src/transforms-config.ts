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
  unique: boolean;
  phase: 'value' | 'row';
  /** Row columns read by a row transform. */
  references: readonly string[];
  line?: number;
}

export interface TableRules {
  schema: string;
  table: string;
  /** Value transforms first, then row transforms in dependency order. */
  columns: readonly ColumnRule[];
  line?: number;
}

export interface TransformsConfig {
  file: string;
  /** Keyed by `schema.table`. */
  tables: ReadonlyMap<string, TableRules>;
}

export function tableKey(schema: string, table: string): string {
  return `${schema}.${table}`;
}
