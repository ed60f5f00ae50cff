import type { UniqueIndex, UniqueKeys } from '@kasho/contracts';
import type { ColumnRule } from './transforms-config';

/** Why a column's output is made unique-safe: `unique: true` in transforms.yml, or the unique index it is under. */
export type UniqueReason = { kind: 'config' } | { kind: 'index'; index: string } | { kind: 'foreignKey'; constraint: string; references: string };

/** The rule transforms.yml has for a column of another table (a referenced one), if any. */
export type RuleLookup = (schema: string, table: string, column: string) => ColumnRule | undefined;

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
 * data may never collide. A transformed column of a foreign key whose referenced column is unique-safe
 * (transformed by a type that supports unique, not opted out) gets the same unique-safe output, so
 * that it still matches its referenced row (the suffix is keyed on the type and the source value).
 * Pure: logging is the caller's.
 */
export function decideUniqueSafety(schema: string, table: string, rules: readonly ColumnRule[], keys: UniqueKeys, referenced: RuleLookup): UniqueSafety {
  const indexes = keys.uniqueIndexes;
  const columns = new Map<string, UniqueReason>();
  const byColumn = new Map(rules.map((r) => [r.column, r]));
  for (const rule of rules) if (rule.unique === true) columns.set(rule.column, { kind: 'config' });
  const warnings: string[] = [];
  const warned = new Set<string>();
  for (const index of indexes) {
    const what = `${index.primaryKey ? 'primary key' : 'unique index'} ${index.name}${index.partial ? ' (partial)' : ''}`;
    for (const column of index.columns) {
      const rule = byColumn.get(column);
      if (!rule || rule.transform.neverDuplicates || columns.has(column) || warned.has(column)) continue;
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
  for (const fk of keys.foreignKeys) {
    fk.columns.forEach((column, i) => {
      const rule = byColumn.get(column);
      const target = referenced(fk.referencedSchema, fk.referencedTable, fk.referencedColumns[i]);
      if (
        !rule ||
        rule.transform.neverDuplicates ||
        !target ||
        columns.has(column) ||
        warned.has(column) ||
        target.unique === false ||
        !target.transform.supportsUnique
      )
        return;
      const references = `${fk.referencedSchema}.${fk.referencedTable}.${fk.referencedColumns[i]}`;
      if (rule.unique === false || !rule.transform.supportsUnique) {
        warned.add(column);
        warnings.push(
          `${schema}.${table}.${column} references the unique-safe ${references} (foreign key ${fk.name}) but ` +
            (rule.unique === false ? 'transforms.yml says unique: false' : `${rule.typeName} cannot make its output unique`) +
            ': its values will not match the referenced ones',
        );
      } else {
        columns.set(column, { kind: 'foreignKey', constraint: fk.name, references });
      }
    });
  }
  const explained = [...columns].flatMap(([column, reason]) =>
    reason.kind === 'index'
      ? [`${column} (unique index ${reason.index})`]
      : reason.kind === 'foreignKey'
        ? [`${column} (foreign key ${reason.constraint} to the unique-safe ${reason.references})`]
        : [],
  );
  const summary = explained.length ? `${schema}.${table}: unique-safe output for ${explained.join(', ')}` : undefined;
  return { columns, summary, warnings };
}

/** A compact identity of a table's unique indexes and foreign keys, to tell whether they changed. */
export function uniqueKeysSignature(keys: UniqueKeys): string {
  const indexes = keys.uniqueIndexes.map((i: UniqueIndex) => `${i.name}\u0000${i.primaryKey ? 1 : 0}${i.partial ? 1 : 0}\u0000${i.columns.join('\u0000')}`);
  const fks = keys.foreignKeys.map(
    (f) => `${f.name}\u0000${f.columns.join('\u0000')}\u0000${f.referencedSchema}\u0000${f.referencedTable}\u0000${f.referencedColumns.join('\u0000')}`,
  );
  return `${indexes.join('\u0001')}\u0002${fks.join('\u0001')}`;
}
