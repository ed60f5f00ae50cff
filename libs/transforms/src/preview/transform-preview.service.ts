import { Injectable } from '@nestjs/common';
import type { ColumnMeta, Datum, Tuple, UniqueKeys } from '@kasho/contracts';
import { TransformEngine } from '../transform-engine.service';

export interface PreviewRow {
  before: Tuple;
  after: Tuple;
}

export interface PreviewResult {
  schema: string;
  table: string;
  columns: readonly ColumnMeta[];
  /** Columns that have a rule. */
  transformed: readonly string[];
  rows: PreviewRow[];
}

/** Runs sample rows through the engine and renders them before/after, writing nothing anywhere. */
@Injectable()
export class TransformPreviewService {
  constructor(private readonly engine: TransformEngine) {}

  /** `keys`: the table's unique indexes and foreign keys, so unique-safe columns show as they will replicate. */
  async preview(schema: string, table: string, columns: ColumnMeta[], rows: Tuple[], keys?: UniqueKeys): Promise<PreviewResult> {
    if (keys) this.engine.useUniqueKeys(schema, table, keys);
    const transformed = this.engine.configuredColumns(schema, table);
    const out: PreviewRow[] = [];
    for (const before of rows) out.push({ before, after: await this.engine.transformTuple(schema, table, columns, before) });
    return { schema, table, columns, transformed, rows: out };
  }

  /** One block per row: `column | before | after`, transformed columns marked with `*`. */
  render(result: PreviewResult, maxWidth = 40): string {
    const names = result.columns.map((c) => (result.transformed.includes(c.name) ? `* ${c.name}` : `  ${c.name}`));
    const nameWidth = Math.max(8, ...names.map((n) => n.length));
    const lines: string[] = [
      `${result.schema}.${result.table}: ${result.rows.length} row(s); * = transformed` +
        (result.transformed.length ? '' : ' (no rules for this table: rows are replicated unchanged)'),
    ];
    result.rows.forEach((row, i) => {
      lines.push('', `-- row ${i + 1} ${'-'.repeat(Math.max(0, nameWidth + 2 * maxWidth))}`);
      lines.push(`${'column'.padEnd(nameWidth)} | ${'before'.padEnd(maxWidth)} | after`);
      result.columns.forEach((c, j) => {
        lines.push(`${names[j].padEnd(nameWidth)} | ${cell(row.before[c.name], maxWidth).padEnd(maxWidth)} | ${cell(row.after[c.name], 2 * maxWidth)}`);
      });
    });
    return lines.join('\n');
  }
}

function cell(v: Datum | undefined, width: number): string {
  if (v === undefined) return '(absent)';
  if (v === null) return 'NULL';
  const flat = v.replace(/\s+/g, ' ');
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}
