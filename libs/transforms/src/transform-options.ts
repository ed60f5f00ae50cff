import type { OptionSpec, OptionSpecs, ResolvedOptions } from './transform.interface';
import { didYouMean } from './nearest-name';

/** Keys every column rule may have besides the transform's own options. */
export const RESERVED_KEYS = ['type', 'unique'] as const;

/**
 * Checks the raw options of one column rule against the transform's spec: unknown keys, missing
 * required ones, wrong types, out-of-range integers. Returns every problem, and the options with
 * defaults filled in.
 */
export function resolveOptions(specs: OptionSpecs, raw: Record<string, unknown>): { options: ResolvedOptions; problems: string[] } {
  const problems: string[] = [];
  const options: Record<string, string | number | boolean | undefined> = {};
  for (const key of Object.keys(raw)) {
    if ((RESERVED_KEYS as readonly string[]).includes(key)) continue;
    if (!(key in specs)) {
      const known = Object.keys(specs);
      problems.push(`unknown option '${key}'${didYouMean(key, known)}; ` + (known.length ? `accepted: ${known.join(', ')}` : 'this type takes no options'));
    }
  }
  for (const [key, spec] of Object.entries(specs)) {
    let value = raw[key];
    // `on_no_match: null` is YAML's null: a string option that accepts 'null' reads it as that word.
    if (value === null && key in raw && spec.type === 'string' && spec.oneOf?.includes('null')) value = 'null';
    if (value === undefined || value === null) {
      if (spec.required) problems.push(`option '${key}' is required (${describe(spec)})`);
      options[key] = spec.default;
      continue;
    }
    const problem = check(spec, value);
    if (problem) problems.push(`option '${key}' ${problem}`);
    else options[key] = spec.type === 'scalar' ? String(value) : (value as string | number | boolean);
  }
  return { options, problems };
}

function check(spec: OptionSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') return `must be a string, got ${typeof value}`;
      if (spec.oneOf && !spec.oneOf.includes(value)) return `must be one of ${spec.oneOf.join(', ')}, got '${value}'`;
      return undefined;
    case 'scalar':
      if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return undefined;
      return `must be a string, a number or true/false, got ${Array.isArray(value) ? 'a list' : typeof value}`;
    case 'boolean':
      // Explicit: YAML `'false'` (a string) must not silently become true.
      return typeof value === 'boolean' ? undefined : `must be true or false, got ${JSON.stringify(value)}`;
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number, got ${JSON.stringify(value)}`;
      if (spec.type === 'integer' && !Number.isInteger(value)) return `must be an integer, got ${value}`;
      if (spec.min !== undefined && value < spec.min) return `must be at least ${spec.min}, got ${value}`;
      if (spec.max !== undefined && value > spec.max) return `must be at most ${spec.max}, got ${value}`;
      return undefined;
    }
  }
}

function describe(spec: OptionSpec): string {
  if ((spec.type === 'integer' || spec.type === 'number') && (spec.min !== undefined || spec.max !== undefined)) {
    return `${spec.type} ${spec.min ?? '-∞'}..${spec.max ?? '∞'}`;
  }
  return spec.description ?? spec.type;
}
