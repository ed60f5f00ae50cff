import type { ColumnMeta } from '@kasho/contracts';

/**
 * Types without a (sane) equality operator: json, xml and the geometric types (`box =` compares
 * areas), and arrays of them. Under REPLICA IDENTITY FULL such columns are compared as text.
 */
const NO_EQUALITY_OIDS = new Set([
  114,
  199, // json, json[]
  142,
  143, // xml, xml[]
  600,
  1017, // point
  601,
  1018, // lseg
  602,
  1019, // path
  603,
  1020, // box
  604,
  1027, // polygon
  628,
  629, // line
  718,
  719, // circle
]);
const NO_EQUALITY_NAMES = new Set(['json', 'xml', 'point', 'lseg', 'path', 'box', 'polygon', 'line', 'circle']);

/** True when `column = value` cannot be used to find a row, so both sides are compared as text. */
export function lacksEquality(column: ColumnMeta): boolean {
  if (NO_EQUALITY_OIDS.has(column.typeOid)) return true;
  const base = column.type
    .trim()
    .toLowerCase()
    .replace(/(\[\d*\])+$/, '')
    .replace(/^pg_catalog\./, '');
  return NO_EQUALITY_NAMES.has(base);
}
