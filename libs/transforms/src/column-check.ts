import type { ColumnFacts } from './transform.interface';
import type { ColumnRule, TableRules, TransformsConfig } from './transforms-config';
import { tableKey } from './transforms-config';
import type { ConfigIssue } from './transforms-config.errors';

/** A table's columns as a catalog (the target's) describes them. */
export interface CatalogColumns {
  schema: string;
  table: string;
  columns: readonly ColumnFacts[];
}

/** Why `rule` cannot write `column` (its transform's `checkColumn`), or undefined. */
export function ruleMisfit(rule: ColumnRule, column: ColumnFacts): string | undefined {
  const reason = rule.transform.checkColumn?.(rule.prepared, column);
  return reason === undefined ? undefined : `${rule.typeName}: ${reason}`;
}

/** `file:line` of a rule, for messages. */
export function ruleLocation(file: string, rule: ColumnRule): string {
  return rule.line ? `${file}:${rule.line}` : file;
}

export interface ColumnMisfit {
  rule: ColumnRule;
  reason: string;
}

/**
 * Every configured rule of `tables` that cannot write its column as the catalog describes it (SetNull
 * on a NOT NULL column, a Constant of the wrong type...). Columns the catalog does not have are not
 * checked here (coverage warns about them).
 */
export function columnMisfits(config: TransformsConfig, tables: readonly CatalogColumns[]): ColumnMisfit[] {
  const misfits: ColumnMisfit[] = [];
  for (const table of tables) {
    const rules: TableRules | undefined = config.tables.get(tableKey(table.schema, table.table));
    if (!rules) continue;
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    for (const rule of rules.columns) {
      const column = byName.get(rule.column);
      const reason = column && ruleMisfit(rule, column);
      if (reason) misfits.push({ rule, reason });
    }
  }
  return misfits;
}

/** A misfit as a config issue naming the file, the line and schema.table.column. */
export function misfitIssue(file: string, { rule, reason }: ColumnMisfit): ConfigIssue {
  return { file, line: rule.line, path: `${rule.schema}.${rule.table}.${rule.column}`, message: reason };
}
