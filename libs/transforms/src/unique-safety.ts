import type { UniqueIndex } from '@kasho/contracts';
import type { ColumnRule } from './transforms-config';

/** Why a column's output is made unique-safe: `unique: true` in transforms.yml, or the unique index it is under. */
export type UniqueReason = { kind: 'config' } | { kind: 'index'; index: string };

/** Which transformed columns of a table get unique-safe output, and what to tell the operator about it. */
export interface UniqueSafety {
  /** Column → why it is unique-safe. */
  readonly columns: ReadonlyMap<string, UniqueReason>;
  /** One line naming the columns made unique-safe by an index (and the index), or undefined when none. */
  readonly summary?: string;
  /** Columns under a unique index whose output cannot (or, by `unique: false`, will not) be made unique. */
  readonly warnings: readonly string[];
}

/**
 * Decides unique safety for the active rules of one table from its unique indexes. A transformed
 * column under a unique index (primary key, unique constraint, plain or partial unique index) would
 * let two source values map to one fake and the target refuse the second: it gets unique-safe output
 * unless transforms.yml says `unique: false`. In a multi-column index every transformed column is made
 * unique-safe: the key tuple then stays distinct whatever its untransformed columns hold. A transform
 * without `supportsUnique` (fixed formats, Bool) cannot be; that is a warning, not an error, since the
 * data may never collide. Pure: logging is the caller's.
 */
export function decideUniqueSafety(schema: string, table: string, rules: readonly ColumnRule[], indexes: readonly UniqueIndex[]): UniqueSafety {
  const columns = new Map<string, UniqueReason>();
  const byColumn = new Map(rules.map((r) => [r.column, r]));
  for (const rule of rules) if (rule.unique === true) columns.set(rule.column, { kind: 'config' });
  const warnings: string[] = [];
  const warned = new Set<string>();
  for (const index of indexes) {
    const what = `${index.primaryKey ? 'primary key' : 'unique index'} ${index.name}${index.partial ? ' (partial)' : ''}`;
    for (const column of index.columns) {
      const rule = byColumn.get(column);
      if (!rule || columns.has(column) || warned.has(column)) continue;
      const name = `${schema}.${table}.${column}`;
      if (rule.unique === false) {
        warned.add(column);
        warnings.push(
          `${name} is under ${what} but transforms.yml says unique: false: its ${rule.typeName} output is not made unique, ` +
            'so two source values that get the same output stop the snapshot or the stream at the target index',
        );
      } else if (!rule.transform.supportsUnique) {
        warned.add(column);
        warnings.push(
          `${name} is under ${what} but ${rule.typeName} cannot make its output unique (a fixed format or a few values): ` +
            'two source values that get the same output stop the snapshot or the stream at the target index; ' +
            'use a transform that supports unique (FakeEmail, FakeName, Template…) or Keep',
        );
      } else {
        columns.set(column, { kind: 'index', index: index.name });
      }
    }
  }
  const byIndex = [...columns].filter(([, reason]) => reason.kind === 'index');
  const summary = byIndex.length
    ? `${schema}.${table}: unique-safe output for ${byIndex.map(([column, reason]) => `${column} (unique index ${(reason as { index: string }).index})`).join(', ')}`
    : undefined;
  return { columns, summary, warnings };
}

/** A compact identity of a list of unique indexes, to tell whether a table's indexes changed. */
export function uniqueIndexesSignature(indexes: readonly UniqueIndex[]): string {
  return indexes.map((i) => `${i.name}\u0000${i.primaryKey ? 1 : 0}${i.partial ? 1 : 0}\u0000${i.columns.join('\u0000')}`).join('\u0001');
}
