import { didYouMean } from './nearest-name';
import { TransformError } from './transform.errors';
import { KASHO_SCHEMA, TableRules, tableKey, TransformsConfig } from './transforms-config';

/** A table as a catalog (the source's, in a snapshot plan, or the target's) lists it. */
export interface CatalogTable {
  schema: string;
  table: string;
  columns: readonly string[];
}

/** The rules that apply to rows of a table: by default its own entry; the engine resolves partitions to their ancestor's. */
export type RulesOf = (schema: string, table: string) => TableRules | undefined;

const byName =
  (config: TransformsConfig): RulesOf =>
  (schema, table) =>
    config.tables.get(tableKey(schema, table));

/** Every column of `rules` (transformed or kept); empty without rules. */
export function listedColumns(rules: TableRules | undefined): Set<string> {
  return new Set(rules ? [...rules.columns.map((c) => c.column), ...rules.kept] : []);
}

/**
 * `mode: strict`: the columns of this table that transforms.yml does not list, as `schema.table.column`
 * (none in permissive mode, and none for Kasho's own tables).
 */
export function unlistedColumns(
  config: TransformsConfig,
  schema: string,
  table: string,
  columns: readonly string[],
  rulesOf: RulesOf = byName(config),
): string[] {
  if (config.mode !== 'strict' || schema === KASHO_SCHEMA) return [];
  const listed = listedColumns(rulesOf(schema, table));
  return columns.filter((c) => !listed.has(c)).map((c) => `${schema}.${table}.${c}`);
}

/**
 * The refusal of strict mode for these tables, or undefined when every column is listed. Names the
 * first unlisted `schema.table.column` (and counts the others), never a value.
 */
export function strictRefusal(config: TransformsConfig, tables: readonly CatalogTable[], rulesOf: RulesOf = byName(config)): TransformError | undefined {
  const unlisted = tables.flatMap((t) => unlistedColumns(config, t.schema, t.table, t.columns, rulesOf));
  if (unlisted.length === 0) return undefined;
  const [first, ...others] = unlisted;
  const [schema, table, ...column] = first.split('.');
  const rules = rulesOf(schema, table);
  const notListed = !rules
    ? ` (table ${schema}.${table} is not listed at all)`
    : rules.schema !== schema || rules.table !== table
      ? ` (the partition takes the rules of ${rules.schema}.${rules.table}, which do not list it)`
      : '';
  const more = others.length ? `; also not listed: ${others.slice(0, 20).join(', ')}${others.length > 20 ? ` and ${others.length - 20} more` : ''}` : '';
  return new TransformError(
    schema,
    table,
    column.join('.'),
    `not listed in ${config.file}${notListed}; mode: strict replicates only listed columns: add it with a transform, or Keep to replicate it as it is, then restart${more}`,
  );
}

/**
 * What transforms.yml configures that `catalog` does not have: a table (with a suggestion when the
 * name looks misspelt), a column (its rule stays inactive until a change carries the column); and in
 * strict mode, what the catalog has that is not listed. Warnings, never a stop.
 */
export function coverageWarnings(config: TransformsConfig, catalog: readonly CatalogTable[], where: string, rulesOf: RulesOf = byName(config)): string[] {
  const warnings: string[] = [];
  const byKey = new Map(catalog.map((t) => [tableKey(t.schema, t.table), t]));
  // A partitioned table whose partitions take its rules is covered by them (its columns are theirs).
  for (const t of catalog) {
    const rules = rulesOf(t.schema, t.table);
    const key = rules && tableKey(rules.schema, rules.table);
    if (key && !byKey.has(key)) byKey.set(key, { schema: rules.schema, table: rules.table, columns: t.columns });
  }
  const at = (line?: number) => (line ? `${config.file}:${line}` : config.file);
  for (const [key, rules] of config.tables) {
    const table = byKey.get(key);
    if (!table) {
      warnings.push(`${at(rules.line)}: ${key} is configured but ${where} has no such table${didYouMean(key, byKey.keys())}; its rules apply if it appears`);
      continue;
    }
    const columns = new Set(table.columns);
    for (const column of listedColumns(rules)) {
      if (columns.has(column)) continue;
      warnings.push(
        `${at(rules.lines.get(column))}: ${key}.${column} is configured but ${where} has no such column (yet)${didYouMean(column, columns)}; ` +
          'the rule is inactive until a change carries the column',
      );
    }
  }
  const unlisted = catalog.flatMap((t) => unlistedColumns(config, t.schema, t.table, t.columns, rulesOf));
  if (unlisted.length) {
    warnings.push(
      `mode: strict: ${where} has columns ${config.file} does not list (${unlisted.slice(0, 20).join(', ')}${unlisted.length > 20 ? ', …' : ''}); ` +
        'replication stops at the first change that carries one',
    );
  }
  return warnings;
}
