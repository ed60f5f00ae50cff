import type { ColumnMeta } from '@kasho/contracts';

/** Returns undefined when `value` fits the column, else why not (never including the value). */
export type FitCheck = (value: string) => string | undefined;

const INT_RANGES: Record<string, [bigint, bigint]> = {
  smallint: [-32768n, 32767n],
  int2: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  int: [-2147483648n, 2147483647n],
  int4: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
  int8: [-9223372036854775808n, 9223372036854775807n],
};
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?([+-]\d{2}(:?\d{2})?|Z)?$/;
const BOOLEAN = /^(t|f|true|false|yes|no|on|off|1|0|y|n)$/i;
const TEXT_TYPES = new Set(['text', 'citext', 'name', 'varchar', 'character varying', 'bpchar', 'character', 'char']);

/**
 * A check that an output fits the column type, so a wrong output fails the change here (fail
 * closed, naming table.column) instead of being written. Types it does not know (uuid, json,
 * enums, arrays...) are left to the target's input function, which also rejects the change.
 */
export function fitCheckFor(column: ColumnMeta): FitCheck {
  const type = column.type.toLowerCase().replace(/^pg_catalog\./, '');
  const base = type
    .replace(/\(.*\)/, '')
    .replace(/\[\]$/, '')
    .trim();
  const mods = /\(([^)]*)\)/.exec(type)?.[1];
  if (type.endsWith('[]')) return () => undefined;
  const range = INT_RANGES[base];
  if (range) {
    return (v) => {
      if (!INTEGER.test(v)) return `output is not an integer, column type is ${column.type}`;
      const n = BigInt(v);
      return n < range[0] || n > range[1] ? `output is out of range for ${column.type}` : undefined;
    };
  }
  if (base === 'numeric' || base === 'decimal') {
    const [precision, scale] = (mods ?? '').split(',').map((s) => Number(s.trim()));
    return (v) => {
      if (!DECIMAL.test(v) || /e/i.test(v)) return `output is not a decimal number, column type is ${column.type}`;
      if (precision) {
        const intDigits = v.replace(/^[+-]/, '').split('.')[0].replace(/^0+/, '').length;
        if (intDigits > precision - (scale || 0)) return `output overflows ${column.type}`;
      }
      return undefined;
    };
  }
  if (base === 'real' || base === 'double precision' || base === 'float4' || base === 'float8') {
    return (v) => (DECIMAL.test(v) ? undefined : `output is not a number, column type is ${column.type}`);
  }
  if (base === 'date') return (v) => (DATE.test(v) && validDate(v) ? undefined : `output is not a date (YYYY-MM-DD), column type is ${column.type}`);
  if (base.startsWith('timestamp')) {
    return (v) => (TIMESTAMP.test(v) && validDate(v.slice(0, 10)) ? undefined : `output is not a timestamp, column type is ${column.type}`);
  }
  if (base === 'boolean' || base === 'bool') return (v) => (BOOLEAN.test(v.trim()) ? undefined : `output is not a boolean, column type is ${column.type}`);
  if (TEXT_TYPES.has(base)) {
    const max = mods ? Number(mods) : NaN;
    if (!Number.isFinite(max)) return () => undefined;
    return (v) => (v.length > max && [...v].length > max ? `output is longer than ${column.type} allows (${[...v].length} > ${max})` : undefined);
  }
  return () => undefined;
}

function validDate(v: string): boolean {
  const [y, m, d] = v.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
