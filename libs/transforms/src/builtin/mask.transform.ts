import { fitCheckFor } from '../column-fit';
import { RegisterTransform } from '../transform.decorator';
import { TransformOptionError } from '../transform.errors';
import type { ColumnFacts, OptionSpecs, ResolvedOptions, Transform, TransformContext } from '../transform.interface';

const SURROGATE = /[\uD800-\uDFFF]/;

interface MaskOptions {
  keepStart: number;
  keepEnd: number;
  char: string;
}

/**
 * `{type: Mask, keep_start: 0, keep_end: 4, char: '*'}`: the first `keep_start` and last `keep_end`
 * characters are kept, every other one replaced by `char`, so the output has as many characters as
 * the input. Counted in Unicode code points (an emoji or an accented letter is one character). A
 * value of `keep_start + keep_end` characters or fewer is masked whole, so a short value is never
 * kept whole. NULL stays NULL; an empty string stays empty.
 */
@RegisterTransform('Mask')
export class MaskTransform implements Transform<MaskOptions> {
  readonly options: OptionSpecs = {
    keep_start: { type: 'integer', min: 0, max: 1000, default: 0, description: 'characters kept at the start' },
    keep_end: { type: 'integer', min: 0, max: 1000, default: 4, description: 'characters kept at the end' },
    char: { type: 'string', default: '*', description: 'the one character masked characters become' },
  };

  prepare(options: ResolvedOptions): MaskOptions {
    const char = options.char as string;
    if ([...char].length !== 1) throw new TransformOptionError(`option 'char' must be exactly one character, got ${[...char].length}`);
    return { keepStart: options.keep_start as number, keepEnd: options.keep_end as number, char };
  }

  checkColumn(prepared: MaskOptions, column: ColumnFacts): string | undefined {
    // A value masked whole is `char` repeated: a column that refuses it (an int and '*') refuses most outputs.
    const problem = fitCheckFor({ name: column.name, type: column.type, typeOid: 0, typeMod: -1, key: false })(prepared.char);
    return problem && `masked values do not fit the column (${problem}); use a text column or a char it accepts`;
  }

  apply(value: string, ctx: TransformContext<MaskOptions>): string {
    const { keepStart, keepEnd, char } = ctx.options;
    if (!SURROGATE.test(value)) {
      // No character outside the BMP: code units are code points, so slice the string itself.
      const n = value.length;
      if (n <= keepStart + keepEnd) return char.repeat(n);
      return value.slice(0, keepStart) + char.repeat(n - keepStart - keepEnd) + value.slice(n - keepEnd);
    }
    const chars = Array.from(value);
    const n = chars.length;
    if (n <= keepStart + keepEnd) return char.repeat(n);
    return chars.slice(0, keepStart).join('') + char.repeat(n - keepStart - keepEnd) + (keepEnd ? chars.slice(n - keepEnd).join('') : '');
  }
}
