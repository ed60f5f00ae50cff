import type { ColumnMeta } from '@kasho/contracts';
import { fitCheckFor, FitCheck } from './column-fit';
import { didYouMean } from './nearest-name';
import { TransformError } from './transform.errors';
import type { ColumnRule, TableRules } from './transforms-config';

export interface ColumnStep {
  rule: ColumnRule;
  meta: ColumnMeta;
  fit: FitCheck;
}

/**
 * The rules of one table checked against its columns as the stream first reports them: every
 * configured column exists, every column a row transform reads exists, and a transformed key
 * column can be recomputed from the old key alone. Rebuilt when the table's columns change.
 */
export class TablePlan {
  readonly steps: readonly ColumnStep[];

  constructor(
    readonly rules: TableRules,
    readonly columns: readonly ColumnMeta[],
    readonly signature: string,
  ) {
    const byName = new Map(columns.map((c) => [c.name, c]));
    const fail = (column: string, reason: string): never => {
      throw new TransformError(rules.schema, rules.table, column, reason);
    };
    this.steps = rules.columns.map((rule) => {
      const meta = byName.get(rule.column);
      if (!meta) {
        return fail(
          rule.column,
          `configured in transforms.yml but the table has no such column${didYouMean(rule.column, byName.keys())}; ` +
            'fix or remove the rule (columns: ' + columns.map((c) => c.name).join(', ') + ')',
        );
      }
      for (const ref of rule.references) {
        const refMeta = byName.get(ref);
        if (!refMeta) {
          fail(rule.column, `${rule.typeName} references column '${ref}', which the table does not have${didYouMean(ref, byName.keys())}`);
        } else if (meta.key && !refMeta.key) {
          fail(
            rule.column,
            `${rule.typeName} on a replica-identity column reads non-key column '${ref}', which the old key of ` +
              'updates and deletes does not carry, so the transformed key could not be matched; ' +
              'read only key columns or set REPLICA IDENTITY FULL',
          );
        }
      }
      return { rule, meta, fit: fitCheckFor(meta) };
    });
  }

  static signatureOf(columns: readonly ColumnMeta[]): string {
    let s = '';
    for (const c of columns) s += `${c.name}\u0000${c.type}\u0000${c.key ? 1 : 0}\u0001`;
    return s;
  }
}
