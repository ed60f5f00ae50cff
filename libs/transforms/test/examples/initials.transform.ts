import { Module } from '@nestjs/common';
import { OptionSpecs, RegisterTransform, ResolvedOptions, Transform, TransformContext, TransformOptionError } from '@kasho/transforms';

/** `{type: Initials, separator: '.'}`: "Ada Lovelace" → "A.L.". */
@RegisterTransform('Initials')
export class InitialsTransform implements Transform<string> {
  // Declared options are checked at boot: unknown keys, types, ranges, required.
  readonly options: OptionSpecs = { separator: { type: 'string', default: '.' } };

  // Runs once per configured column at boot; its result is ctx.options.
  prepare(options: ResolvedOptions): string {
    const separator = options.separator as string;
    if (separator.length > 3) throw new TransformOptionError("option 'separator' is at most 3 characters");
    return separator;
  }

  // Never called with NULL. Must be deterministic; use ctx.random (keyed) for any randomness.
  apply(value: string, ctx: TransformContext<string>): string {
    return value
      .split(/\s+/)
      .filter(Boolean)
      .map((word) => word[0].toUpperCase() + ctx.options)
      .join('');
  }
}

@Module({ providers: [InitialsTransform] })
export class MyTransformsModule {}
