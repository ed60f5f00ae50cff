import { TypeNames } from './type-names';

describe('TypeNames', () => {
  const names = new TypeNames(new Map([[3769, 'regdictionary']]));
  const f = (typeOid: number, typeMod = -1, typeSchema: string | null = null, typeName: string | null = null) =>
    names.format({ typeOid, typeMod, typeSchema, typeName });

  it('prints built-ins as format_type does, with their typmod', () => {
    expect(f(23)).toBe('integer');
    expect(f(1700, ((30 << 16) | 10) + 4)).toBe('numeric(30,10)');
    expect(f(1700)).toBe('numeric');
    expect(f(1043, 24)).toBe('character varying(20)');
    expect(f(1042, 5)).toBe('character(1)');
    expect(f(1184, 3)).toBe('timestamp(3) with time zone');
    expect(f(1114)).toBe('timestamp without time zone');
    expect(f(1186, (((1 << 2) | (1 << 1)) << 16) | 0xffff)).toBe('interval year to month');
    expect(f(1231, ((10 << 16) | 2) + 4)).toBe('numeric(10,2)[]');
    expect(f(1007)).toBe('integer[]');
    expect(f(3769)).toBe('regdictionary');
    expect(f(99999)).toBe('oid:99999');
  });

  it('qualifies user types from the Type message, quoting where needed', () => {
    expect(f(16390, -1, 'public', 'mood')).toBe('public.mood');
    expect(f(16391, -1, 'app', '_mood')).toBe('app.mood[]');
    expect(f(16392, -1, 'My Schema', 'Weird"Type')).toBe('"My Schema"."Weird""Type"');
  });
});
