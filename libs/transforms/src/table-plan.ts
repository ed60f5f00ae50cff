import type { ColumnMeta, UniqueKeys } from '@kasho/contracts';
import { ruleLocation, ruleMisfit } from './column-check';
import { fitCheckFor, FitCheck } from './column-fit';
import { didYouMean } from './nearest-name';
import { TransformError } from './transform.errors';
import type { ColumnRule, TableRules } from './transforms-config';
import { decideUniqueSafety, RuleLookup, UniqueSafety } from './unique-safety';

export interface ColumnStep {
  rule: ColumnRule;
  meta: ColumnMeta;
  fit: FitCheck;
  /** Unique-safe output: `unique: true`, or the column is under a unique index (see decideUniqueSafety). */
  unique: boolean;
}

/**
 * The rules of one table checked against its columns as the stream reports them with a change: every
 * column a row transform reads exists, and a transformed key column can be recomputed from the old
 * key alone, and each transform accepts its column (its `checkColumn`: a Constant of the column's
 * type...), so a misfit stops the change before any value of the table is written. A rule whose
 * column the table does not have (yet: a later migration adds it) is inactive, not an error; it
 * applies from the first change whose relation carries the column. Which columns get unique-safe
 * output follows from the table's unique indexes and foreign keys (`keys`, and `referenced` for the
 * rules of referenced columns). Rebuilt when the table's columns or its keys change.
 */
export class TablePlan {
  readonly steps: readonly ColumnStep[];
  /** Rules of columns the table does not have (yet). */
  readonly inactive: readonly ColumnRule[];
  readonly uniqueSafety: UniqueSafety;

  constructor(
    readonly rules: TableRules,
    readonly columns: readonly ColumnMeta[],
    readonly signature: string,
    /** transforms.yml's path, for messages naming a rule's line. */
    file = 'transforms.yml',
    keys: UniqueKeys = { uniqueIndexes: [], foreignKeys: [] },
    referenced: RuleLookup = () => undefined,
  ) {
    const byName = new Map(columns.map((c) => [c.name, c]));
    const fail = (column: string, reason: string): never => {
      throw new TransformError(rules.schema, rules.table, column, reason);
    };
    const steps: ColumnStep[] = [];
    const inactive: ColumnRule[] = [];
    for (const rule of rules.columns) {
      const meta = byName.get(rule.column);
      if (!meta) {
        inactive.push(rule);
        continue;
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
      const misfit = ruleMisfit(rule, { name: meta.name, type: meta.type });
      if (misfit) fail(rule.column, `${misfit} (${ruleLocation(file, rule)})`);
      steps.push({ rule, meta, fit: fitCheckFor(meta), unique: false });
    }
    this.uniqueSafety = decideUniqueSafety(
      rules.schema,
      rules.table,
      steps.map((s) => s.rule),
      keys,
      referenced,
    );
    for (const step of steps) step.unique = this.uniqueSafety.columns.has(step.rule.column);
    this.steps = steps;
    this.inactive = inactive;
  }

  /** One line per inactive rule, for a warning: the column, a suggestion when it looks misspelt. */
  describeInactive(): string[] {
    const names = this.columns.map((c) => c.name);
    return this.inactive.map(
      (rule) =>
        `${rule.schema}.${rule.table}.${rule.column}: the table has no such column (yet)${didYouMean(rule.column, names)}; ` +
        `its ${rule.typeName} rule is inactive until a change carries the column (columns: ${names.join(', ')})`,
    );
  }

  static signatureOf(columns: readonly ColumnMeta[]): string {
    let s = '';
    for (const c of columns) s += `${c.name}\u0000${c.type}\u0000${c.key ? 1 : 0}\u0001`;
    return s;
  }
}
