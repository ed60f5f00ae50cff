import { fitCheckFor } from '../column-fit';
import { RegisterTransform } from '../transform.decorator';
import type { ColumnFacts, OptionSpecs, ResolvedOptions, Transform, TransformContext } from '../transform.interface';

interface ConstantOptions {
  value: string;
}

/**
 * `{type: Constant, value: 'redacted'}`: every non-NULL value becomes `value` (NULL stays NULL). A YAML
 * number or boolean is written as its text (`value: 0`). The value is checked
 * against the column's type where Kasho knows the type (integers and their range, numeric, dates,
 * timestamps, booleans, varchar length): text into an `int` column is refused before any row of the
 * table is written. For NULL, use SetNull.
 */
@RegisterTransform('Constant')
export class ConstantTransform implements Transform<ConstantOptions> {
  readonly options: OptionSpecs = {
    value: { type: 'scalar', required: true, description: 'the text written in place of every non-NULL value (for NULL, use SetNull)' },
  };

  prepare(options: ResolvedOptions): ConstantOptions {
    return { value: options.value as string };
  }

  checkColumn(prepared: ConstantOptions, column: ColumnFacts): string | undefined {
    const problem = fitCheckFor({ name: column.name, type: column.type, typeOid: 0, typeMod: -1, key: false })(prepared.value);
    return problem && `value does not fit the column (${problem})`;
  }

  apply(_value: string, ctx: TransformContext<ConstantOptions>): string {
    return ctx.options.value;
  }
}
