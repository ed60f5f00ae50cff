import { Position, bigIntToLsn, lsnToBigInt } from '@kasho/contracts';

describe('Position', () => {
  it('orders by commit LSN, then index, as exact 64-bit integers', () => {
    const big = Position.parse('18446744073709551615-3');
    expect(big.commitLsn).toBe(18446744073709551615n);
    expect(Position.parse('10-2').compare(Position.parse('10-10'))).toBe(-1);
    expect(Position.parse('9-99').compare(Position.parse('10-0'))).toBe(-1);
    expect(Position.parse('9007199254740993-1').isAfter(Position.parse('9007199254740992-1'))).toBe(true);
    expect(Position.parse('5-1').toString()).toBe('5-1');
  });

  it('rejects malformed positions and out-of-range values', () => {
    expect(() => Position.parse('1.5-2')).toThrow('invalid position');
    expect(() => Position.parse('18446744073709551616-0')).toThrow('out of range');
    expect(Position.parseOrZero('')).toBe(Position.ZERO);
  });

  it('shows its text form in JSON, exact past 2^53', () => {
    expect(JSON.stringify({ position: Position.parse('18446744073709551615-3') })).toBe('{"position":"18446744073709551615-3"}');
  });
});

describe('LSN', () => {
  it('converts between text and bigint without precision loss', () => {
    expect(lsnToBigInt('16/B374D848')).toBe(0x16b374d848n);
    expect(bigIntToLsn(0x16b374d848n)).toBe('16/B374D848');
    expect(bigIntToLsn(lsnToBigInt('FFFFFFFF/FFFFFFFF'))).toBe('FFFFFFFF/FFFFFFFF');
    expect(() => lsnToBigInt('nope')).toThrow('invalid LSN');
  });
});
