import { RE2JS } from 're2js';
import { RegisterTransform } from '../transform.decorator';
import { TransformOptionError } from '../transform.errors';
import type { OptionSpecs, ResolvedOptions, Transform, TransformContext } from '../transform.interface';
import { parseReplacement, ReplacementPart } from './regex-replacement';

interface CompiledRegex {
  pattern: RE2JS;
  replace: (...args: unknown[]) => string;
  constant?: string;
}

/**
 * `{type: Regex, pattern: '^(\w)\w*@(.*)$', replacement: '$1***@$2'}`: every non-overlapping match
 * replaced, as Go's `ReplaceAllString`. Patterns run on re2js, a pure-JavaScript port of RE2:
 * matching is linear in the input, so no pattern can backtrack catastrophically, and RE2 syntax
 * (the original's) is accepted: no backreferences, no lookaround. No match leaves the value as is.
 */
@RegisterTransform('Regex')
export class RegexTransform implements Transform<CompiledRegex> {
  readonly options: OptionSpecs = {
    pattern: { type: 'string', required: true, description: 'an RE2 pattern' },
    replacement: { type: 'string', required: true, description: 'replacement with $1 / ${name} groups' },
  };

  prepare(options: ResolvedOptions): CompiledRegex {
    let pattern: RE2JS;
    try {
      pattern = RE2JS.compile(options.pattern as string);
    } catch (e) {
      throw new TransformOptionError(`invalid pattern (RE2 syntax, no backreferences or lookaround): ${(e as Error).message}`);
    }
    const parts = parseReplacement(options.replacement as string, pattern.groupCount(), pattern.namedGroups());
    return { pattern, replace: replacer(parts) };
  }

  apply(value: string, ctx: TransformContext<CompiledRegex>): string {
    const { pattern, replace } = ctx.options;
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
