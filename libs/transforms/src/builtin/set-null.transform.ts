import { RegisterTransform } from '../transform.decorator';
import type { ColumnFacts, Transform } from '../transform.interface';

/**
 * `column: SetNull`: the column is written as SQL NULL, whatever the source holds (NULL stays NULL).
 * A NOT NULL column would refuse every row: where the target's catalog is read (at boot, and after
 * a snapshot's schema) such a rule stops the start, naming the file, line and table.column.
 */
@RegisterTransform('SetNull')
export class SetNullTransform implements Transform<unknown> {
  /** NULLs never collide under a unique index. */
  readonly neverDuplicates = true;

  checkColumn(_prepared: unknown, column: ColumnFacts): string | undefined {
    return column.notNull ? 'writes NULL, but the column is NOT NULL on the target; use Constant (or a fake) instead' : undefined;
  }

  apply(): null {
    return null;
  }
}
