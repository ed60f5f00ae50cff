import { RE2JS } from 're2js';
import { RegisterTransform } from '../transform.decorator';
import { TransformOptionError } from '../transform.errors';
import type { OptionSpecs, PrepareContext, ResolvedOptions, Transform, TransformContext } from '../transform.interface';
import { parseReplacement, ReplacementPart } from './regex-replacement';

/** What a value the pattern does not match becomes: itself, SQL NULL, or a stop of the pipeline at that change. */
export type OnNoMatch = 'keep' | 'null' | 'fail';
const ON_NO_MATCH: readonly OnNoMatch[] = ['keep', 'null', 'fail'];

interface CompiledRegex {
  pattern: RE2JS;
  replace: (...args: unknown[]) => string;
  onNoMatch: OnNoMatch;
}

/**
 * `{type: Regex, pattern: '^(\w)\w*@(.*)$', replacement: '$1***@$2'}`: every non-overlapping match
 * replaced, as Go's `ReplaceAllString`. Patterns run on re2js, a pure-JavaScript port of RE2:
 * matching is linear in the input, so no pattern can backtrack catastrophically, and RE2 syntax
 * (the original's) is accepted: no backreferences, no lookaround.
 * A value the pattern does not match: `on_no_match: keep` leaves it as is (the default in permissive
 * mode, and the only behaviour before the option existed), `null` writes NULL, `fail` stops the
 * pipeline at that change naming the column, never the value (the default in `mode: strict`, where
 * an unmasked value must not pass by accident).
 */
@RegisterTransform('Regex')
export class RegexTransform implements Transform<CompiledRegex> {
  readonly options: OptionSpecs = {
    pattern: { type: 'string', required: true, description: 'an RE2 pattern' },
    replacement: { type: 'string', required: true, description: 'replacement with $1 / ${name} groups' },
    on_no_match: { type: 'string', oneOf: ON_NO_MATCH, description: 'keep | null | fail (default: fail in mode: strict, keep otherwise)' },
  };

  prepare(options: ResolvedOptions, context?: PrepareContext): CompiledRegex {
    let pattern: RE2JS;
    try {
      pattern = RE2JS.compile(options.pattern as string);
    } catch (e) {
      throw new TransformOptionError(`invalid pattern (RE2 syntax, no backreferences or lookaround): ${(e as Error).message}`);
    }
    const parts = parseReplacement(options.replacement as string, pattern.groupCount(), pattern.namedGroups());
    const onNoMatch = (options.on_no_match as OnNoMatch | undefined) ?? (context?.mode === 'strict' ? 'fail' : 'keep');
    return { pattern, replace: replacer(parts), onNoMatch };
  }

  apply(value: string, ctx: TransformContext<CompiledRegex>): string | null {
    const { pattern, replace, onNoMatch } = ctx.options;
    if (onNoMatch !== 'keep' && !pattern.test(value)) {
      if (onNoMatch === 'null') return null;
      throw new TransformOptionError('the value does not match the pattern (on_no_match: fail)');
    }
    return pattern.matcher(value).replaceAll(replace);
  }
}

/** A replaceAll callback: arguments are (match, group1, …, groupN, …), unmatched groups undefined. */
function replacer(parts: ReplacementPart[]): (...args: unknown[]) => string {
  if (parts.every((p) => typeof p === 'string')) {
    const constant = parts.join('');
    return () => constant;
  }
  return (...args: unknown[]) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : ((args[p] as string | undefined) ?? '');
    return out;
  };
}
