import type { ColumnMeta } from '@kasho/contracts';

const SAMPLES: [RegExp, string][] = [
  [/^(smallint|integer|bigint|int[248]?)$/, '42'],
  [/^(numeric|decimal)$/, '4.2'],
  [/^(real|double precision|float[48])$/, '4.2'],
  [/^bool(ean)?$/, 't'],
  [/^date$/, '2024-01-31'],
  [/^timestamp.*with time zone$|^timestamptz$/, '2024-01-31 12:34:56+00'],
  [/^timestamp/, '2024-01-31 12:34:56'],
  [/^time/, '12:34:56'],
  [/^uuid$/, '00000000-0000-4000-8000-000000000000'],
  [/^jsonb?$/, '{"k": "v"}'],
  [/^bytea$/, '\\x00'],
  [/^(inet|cidr)$/, '192.0.2.1'],
];

/**
 * A made-up input of the column's type, in PostgreSQL text form, for `kasho check` to run a
 * transform on (never a row of the source): what each transform outputs for it is checked against
 * the column type. Text-like and unknown types get a short word that fits any length limit.
 */
export function sampleValue(column: ColumnMeta): string {
  const type = column.type.toLowerCase().replace(/^pg_catalog\./, '');
  if (type.endsWith('[]')) return '{}';
  const base = type.replace(/\(.*\)/, '').trim();
  for (const [pattern, sample] of SAMPLES) if (pattern.test(base)) return sample;
  return 'a';
}
