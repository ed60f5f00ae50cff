import { TransformOptionError } from '../transform.errors';

/** A replacement template split into literal text and group references. */
export type ReplacementPart = string | number;

/**
 * Parses a replacement with Go's `Regexp.Expand` syntax: `$1`, `${1}`, `$name`, `${name}`, `$$`
 * for a literal `$`. As in Go, `$name` takes the longest run of letters, digits and `_`, so `$1x`
 * names a group `1x`: unlike Go (which silently inserts nothing), a reference to a group the
 * pattern does not have is rejected at boot, with a hint to write `${1}x`.
 */
export function parseReplacement(replacement: string, groupCount: number, namedGroups: Record<string, number>): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let literal = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i];
    if (ch !== '$') {
      literal += ch;
      continue;
    }
    let name: string | undefined;
    let end = i;
    if (replacement[i + 1] === '$') {
      literal += '$';
      i++;
      continue;
    }
    if (replacement[i + 1] === '{') {
      const close = replacement.indexOf('}', i + 2);
      const inner = close < 0 ? '' : replacement.slice(i + 2, close);
      if (/^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        end = close;
      }
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(replacement.slice(i + 1));
      if (m) {
        name = m[0];
        end = i + m[0].length;
      }
    }
    if (name === undefined) {
      literal += '$'; // Go treats a malformed reference as raw text
      continue;
    }
    let group: number | undefined;
    if (/^\d+$/.test(name)) group = Number(name);
    else group = namedGroups[name];
    if (group === undefined || group > groupCount) {
      const hint = /^\d+[A-Za-z_]/.test(name)
        ? ` (to follow group ${parseInt(name, 10)} with text, write \${${parseInt(name, 10)}}${name.replace(/^\d+/, '')})`
        : '';
      throw new TransformOptionError(
        `replacement references group '${name}' but the pattern has ${groupCount} group${groupCount === 1 ? '' : 's'}` +
          `${Object.keys(namedGroups).length ? ` (named: ${Object.keys(namedGroups).join(', ')})` : ''}${hint}`,
      );
    }
    if (literal) parts.push(literal);
    literal = '';
    parts.push(group);
    i = end;
  }
  if (literal) parts.push(literal);
  return parts;
}
