import { RegisterTransform } from '../transform.decorator';
import type { Transform, TransformContext } from '../transform.interface';

const BOOL_TYPES = new Set(['bool', 'boolean']);

/**
 * A keyed, deterministic boolean of the input value (the original returned its input unchanged).
 * Writes `t`/`f` into boolean columns (PostgreSQL's text form) and `true`/`false` elsewhere.
 * On a boolean column there are only two inputs, so the mapping is one of: constant, identity or
 * negation, fixed by the secret; use it on columns whose values should not be inferred per row.
 */
@RegisterTransform('Bool')
export class BoolTransform implements Transform {
  apply(_value: string, ctx: TransformContext): string {
    const b = ctx.random.bool();
    return BOOL_TYPES.has(ctx.column.type.toLowerCase()) ? (b ? 't' : 'f') : b ? 'true' : 'false';
  }
}
