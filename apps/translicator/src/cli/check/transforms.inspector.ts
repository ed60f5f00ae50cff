import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import type { ColumnMeta } from '@kasho/contracts';
import { KEEP_TYPE, TransformEngine, TransformError, TransformRegistry, TransformsConfigLoader } from '@kasho/transforms';
import type { ConfiguredTable, TableFacts, TransformsFacts } from './check-facts';
import { sampleValue } from './sample-value';

/** Fit problems come from column-fit.ts and all say what the output is not. */
const FIT_PROBLEM = /: output (is|overflows)/;

/**
 * transforms.yml as pg-translicator loads it (the same registry and loader), for `kasho check`: its
 * tables and columns with their lines, and a probe that runs a column's transform on a sample input
 * of the column's type and reports whether the output fits.
 */
@Injectable()
export class TransformsInspector {
  constructor(
    private readonly engine: TransformEngine,
    private readonly registry: TransformRegistry,
  ) {}

  inspect(file: string, sourceTables: readonly TableFacts[]): TransformsFacts {
    const config = new TransformsConfigLoader(this.registry).load(file);
    const uniqueOptions = readUniqueOptions(file);
    const tables: ConfiguredTable[] = [...config.tables.values()].map((rules) => ({
      schema: rules.schema,
      table: rules.table,
      line: rules.line,
      columns: [
        ...rules.columns.map((rule) => ({
          column: rule.column,
          line: rule.line,
          transform: rule.typeName,
          unique: uniqueOptions.get(`${rules.schema}.${rules.table}.${rule.column}`),
          supportsUnique: rule.transform.supportsUnique === true,
        })),
        ...rules.kept.map((column) => ({ column, line: rules.lines.get(column), transform: KEEP_TYPE, supportsUnique: false })),
      ],
    }));
    const fit = async (schema: string, table: string, column: string): Promise<string | undefined> => {
      const facts = sourceTables.find((t) => t.schema === schema && t.table === table);
      const meta = facts?.columns.find((c) => c.name === column);
      if (!facts || !meta) return undefined;
      // mode: strict refuses a row with an unlisted column before any transform runs (reported on its own).
      const listed = new Set(tables.find((t) => t.schema === schema && t.table === table)?.columns.map((c) => c.column));
      const columns = config.mode === 'strict' ? facts.columns.filter((c) => listed.has(c.name)) : facts.columns;
      return this.fitProblem(schema, table, columns, column);
    };
    return { file, strict: config.mode === 'strict', tables, fit };
  }

  private async fitProblem(schema: string, table: string, columns: ColumnMeta[], column: string): Promise<string | undefined> {
    // Every column gets a sample (row transforms read others); only this column's fit is reported.
    const tuple = Object.fromEntries(columns.map((c) => [c.name, sampleValue(c)]));
    try {
      await this.engine.transformTuple(schema, table, columns, tuple);
      return undefined;
    } catch (err) {
      if (!(err instanceof TransformError) || err.column !== column || !FIT_PROBLEM.test(err.reason)) {
        return err instanceof TransformError && err.column !== column ? this.alone(schema, table, columns, column) : undefined;
      }
      return err.reason;
    }
  }

  /** Another column failed first: this one with only itself in the row. */
  private async alone(schema: string, table: string, columns: ColumnMeta[], column: string): Promise<string | undefined> {
    const meta = columns.find((c) => c.name === column)!;
    try {
      await this.engine.transformTuple(schema, table, columns, { [column]: sampleValue(meta) });
      return undefined;
    } catch (err) {
      return err instanceof TransformError && err.column === column && FIT_PROBLEM.test(err.reason) ? err.reason : undefined;
    }
  }
}

/** `schema.table.column` → the `unique:` it is given in the file, read from the YAML itself (the loaded rule has no "not said"). */
function readUniqueOptions(file: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const doc = loadYaml(readFileSync(file, 'utf8')) as { tables?: Record<string, Record<string, unknown> | null> } | null;
  for (const [table, columns] of Object.entries(doc?.tables ?? {})) {
    for (const [column, spec] of Object.entries(columns ?? {})) {
      const unique = spec && typeof spec === 'object' ? (spec as { unique?: unknown }).unique : undefined;
      if (typeof unique === 'boolean') out.set(`${table}.${column}`, unique);
    }
  }
  return out;
}
