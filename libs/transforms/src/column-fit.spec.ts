import { col } from '@kasho/testing/transforms';
import { fitCheckFor } from './column-fit';

const fits = (type: string, value: string) => fitCheckFor(col('c', type))(value) === undefined;

describe('fitCheckFor', () => {
  it('integers, with ranges', () => {
    expect(fits('int4', '1987')).toBe(true);
    expect(fits('integer', '2147483648')).toBe(false);
    expect(fits('smallint', '40000')).toBe(false);
    expect(fits('bigint', '-9223372036854775808')).toBe(true);
    expect(fits('int8', '12.5')).toBe(false);
  });
  it('numeric precision and floats', () => {
    expect(fits('numeric(8,6)', '-12.345678')).toBe(true);
    expect(fits('numeric(8,6)', '123.456789')).toBe(false);
    expect(fits('numeric', '1e5')).toBe(false);
    expect(fits('double precision', '1e5')).toBe(true);
    expect(fits('float8', 'Lucy')).toBe(false);
  });
  it('dates, timestamps, booleans', () => {
    expect(fits('date', '1990-02-28')).toBe(true);
    expect(fits('date', '1990-02-30')).toBe(false);
    expect(fits('timestamp without time zone', '1990-02-28')).toBe(true);
    expect(fits('bool', 't')).toBe(true);
    expect(fits('boolean', 'maybe')).toBe(false);
  });
  it('text lengths', () => {
    expect(fits('character varying(5)', 'abcde')).toBe(true);
    expect(fits('varchar(5)', 'abcdef')).toBe(false);
    expect(fits('character(2)', 'GA')).toBe(true);
    expect(fits('text', 'x'.repeat(10000))).toBe(true);
  });
  it('leaves unknown types to the target', () => {
    expect(fits('uuid', 'x')).toBe(true);
    expect(fits('public.mood', 'x')).toBe(true);
  });
});
