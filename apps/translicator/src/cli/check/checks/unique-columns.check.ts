import { reachable, type CheckFacts, type ConfiguredColumn, type TableFacts } from '../check-facts';
import { ok, warn, type Finding } from '../finding';
import type { PreflightCheck } from '../preflight-check';
import { at } from './transforms-coverage.check';

/**
 * Transformed columns under a unique index or primary key on the source: alone in it, or with only
 * transformed columns beside them. Kasho makes their output unique-safe automatically; `unique: false`
 * opts out, and then two source values that get the same fake stop the pipeline on the target's index.
 */
export class UniqueColumnsCheck implements PreflightCheck {
  readonly concern = 'transformed columns under unique indexes';

  run({ transforms, source }: CheckFacts): Finding[] {
    if (!transforms || 'error' in transforms || !reachable(source)) return [];
    const findings: Finding[] = [];
    for (const configured of transforms.tables) {
      const table = source.tables.find((t) => t.schema === configured.schema && t.table === configured.table);
      if (!table) continue;
      const transformed = new Map(configured.columns.filter((c) => c.transform !== 'Keep').map((c) => [c.column, c]));
      for (const column of transformed.values()) {
        const index = this.uniqueIndexOf(table, column.column, transformed);
        if (!index) continue;
        const place = `${at(transforms.file, column.line)} ${table.schema}.${table.table}.${column.column}`;
        const under = `under unique index ${index}`;
        if (column.unique === false) {
          findings.push(
            warn(
              'transforms',
              place,
              `${column.transform} ${under} with unique: false: two source values with the same output stop the snapshot or the stream at the target's index`,
              'remove unique: false (the output is then unique-safe)',
            ),
          );
        } else if (!column.supportsUnique) {
          findings.push(
            warn(
              'transforms',
              place,
              `${column.transform} ${under} cannot make its output unique: a collision stops the snapshot or the stream at the target's index`,
              'use a transform that supports unique output (docs/transforms.md)',
            ),
          );
        } else {
          findings.push(ok('transforms', place, `${column.transform} ${under}: its output is made unique-safe automatically`));
        }
      }
    }
    return findings;
  }

  /** The name of a unique index that keeps this column's outputs distinct, if any. */
  private uniqueIndexOf(table: TableFacts, column: string, transformed: Map<string, ConfiguredColumn>): string | undefined {
    return table.uniqueIndexes.find((i) => i.columns.includes(column) && i.columns.every((c) => transformed.has(c)))?.name;
  }
}
