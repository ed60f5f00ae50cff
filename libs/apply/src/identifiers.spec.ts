import { qualifiedName, quoteIdent } from './identifiers';

describe('identifiers', () => {
  it('always quotes, doubling embedded double quotes', () => {
    expect(quoteIdent('users')).toBe('"users"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('Select')).toBe('"Select"');
    expect(quoteIdent('x"; DROP TABLE t; --')).toBe('"x""; DROP TABLE t; --"');
    expect(qualifiedName({ schema: 'My Schema', table: 't"1' })).toBe('"My Schema"."t""1"');
  });

  it('refuses empty names and NUL characters', () => {
    expect(() => quoteIdent('')).toThrow('empty');
    expect(() => quoteIdent('a\u0000b')).toThrow('NUL');
  });
});
