/**
 * Column type names as `format_type(oid, typmod)` prints them, for `ColumnMeta.type`.
 * Built-in types (no Type message from pgoutput) come from a static table of common OIDs, with
 * their typmod (numeric(10,2), character varying(20), timestamp(3) with time zone...); other built-ins
 * from names loaded from pg_type at start. User types (enums, domains, composites) carry their
 * schema and name in pgoutput's Type message.
 */
const BUILTIN: Record<number, string> = {
  16: 'boolean',
  17: 'bytea',
  18: '"char"',
  19: 'name',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  24: 'regproc',
  25: 'text',
  26: 'oid',
  114: 'json',
  142: 'xml',
  600: 'point',
  601: 'lseg',
  602: 'path',
  603: 'box',
  604: 'polygon',
  628: 'line',
  650: 'cidr',
  700: 'real',
  701: 'double precision',
  718: 'circle',
  774: 'macaddr8',
  790: 'money',
  829: 'macaddr',
  869: 'inet',
  1042: 'bpchar',
  1043: 'character varying',
  1082: 'date',
  1083: 'time without time zone',
  1114: 'timestamp without time zone',
  1184: 'timestamp with time zone',
  1186: 'interval',
  1266: 'time with time zone',
  1560: 'bit',
  1562: 'bit varying',
  1700: 'numeric',
  2205: 'regclass',
  2950: 'uuid',
  3220: 'pg_lsn',
  3614: 'tsvector',
  3615: 'tsquery',
  3802: 'jsonb',
  3904: 'int4range',
  3906: 'numrange',
  3908: 'tsrange',
  3910: 'tstzrange',
  3912: 'daterange',
  3926: 'int8range',
  4072: 'jsonpath',
  4451: 'int4multirange',
  4532: 'nummultirange',
  4533: 'tsmultirange',
  4534: 'tstzmultirange',
  4535: 'datemultirange',
  4536: 'int8multirange',
};

/** Array type OID → element type OID. */
const ARRAY_OF: Record<number, number> = {
  1000: 16,
  1001: 17,
  1002: 18,
  1003: 19,
  1016: 20,
  1005: 21,
  1007: 23,
  1009: 25,
  1028: 26,
  199: 114,
  143: 142,
  1017: 600,
  651: 650,
  1021: 700,
  1022: 701,
  775: 774,
  791: 790,
  1040: 829,
  1041: 869,
  1014: 1042,
  1015: 1043,
  1182: 1082,
  1183: 1083,
  1115: 1114,
  1185: 1184,
  1187: 1186,
  1270: 1266,
  1561: 1560,
  1563: 1562,
  1231: 1700,
  2951: 2950,
  3221: 3220,
  3643: 3614,
  3645: 3615,
  3807: 3802,
  3905: 3904,
  3907: 3906,
  3909: 3908,
  3911: 3910,
  3913: 3912,
  3927: 3926,
  4073: 4072,
};

const INTERVAL_FIELDS: Record<number, string> = {
  [1 << 2]: ' year',
  [1 << 1]: ' month',
  [1 << 3]: ' day',
  [1 << 10]: ' hour',
  [1 << 11]: ' minute',
  [1 << 12]: ' second',
  [(1 << 2) | (1 << 1)]: ' year to month',
  [(1 << 3) | (1 << 10)]: ' day to hour',
  [(1 << 3) | (1 << 10) | (1 << 11)]: ' day to minute',
  [(1 << 3) | (1 << 10) | (1 << 11) | (1 << 12)]: ' day to second',
  [(1 << 10) | (1 << 11)]: ' hour to minute',
  [(1 << 10) | (1 << 11) | (1 << 12)]: ' hour to second',
  [(1 << 11) | (1 << 12)]: ' minute to second',
};

export interface TypedColumn {
  typeOid: number;
  typeMod: number;
  /** From pgoutput's Type message; set for non-built-in types only. */
  typeSchema?: string | null;
  typeName?: string | null;
}

export class TypeNames {
  /** @param loaded `oid → format_type(oid, NULL)` from pg_type, for built-ins the static table lacks. */
  constructor(private readonly loaded: ReadonlyMap<number, string> = new Map()) {}

  format(column: TypedColumn): string {
    if (column.typeName) return userTypeName(column.typeSchema ?? null, column.typeName);
    const element = ARRAY_OF[column.typeOid];
    if (element !== undefined) return `${withTypmod(element, column.typeMod) ?? this.loaded.get(element) ?? `oid:${element}`}[]`;
    return withTypmod(column.typeOid, column.typeMod) ?? this.loaded.get(column.typeOid) ?? `oid:${column.typeOid}`;
  }
}

function withTypmod(oid: number, typmod: number): string | undefined {
  const base = BUILTIN[oid];
  if (base === undefined || typmod < 0) return base;
  switch (oid) {
    case 1700: {
      if (typmod < 4) return base;
      const tm = typmod - 4;
      return `numeric(${(tm >> 16) & 0xffff},${((tm & 0x7ff) ^ 1024) - 1024})`;
    }
    case 1042:
      return typmod >= 4 ? `character(${typmod - 4})` : base;
    case 1043:
      return typmod >= 4 ? `character varying(${typmod - 4})` : base;
    case 1083:
    case 1114:
    case 1184:
    case 1266:
      return base.replace(/^(timestamp|time)\b/, `$1(${typmod})`);
    case 1560:
    case 1562:
      return `${base}(${typmod})`;
    case 1186: {
      const precision = typmod & 0xffff;
      const fields = INTERVAL_FIELDS[(typmod >> 16) & 0x7fff] ?? '';
      return `interval${fields}${precision === 0xffff ? '' : `(${precision})`}`;
    }
    default:
      return base;
  }
}

function userTypeName(schema: string | null, name: string): string {
  const isArray = name.startsWith('_');
  const base = isArray ? name.slice(1) : name;
  const qualified = !schema || schema === 'pg_catalog' ? quoteIdent(base) : `${quoteIdent(schema)}.${quoteIdent(base)}`;
  return isArray ? `${qualified}[]` : qualified;
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
