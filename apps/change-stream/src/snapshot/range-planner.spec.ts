import { MIN_RANGE_BLOCKS, planRanges, rangePredicate } from './range-planner';

describe('planRanges', () => {
  it('keeps small tables whole and splits large ones into contiguous ranges that cover everything', () => {
    const [small, large] = planRanges([10, 20_000], 4, true);
    expect(small).toEqual([{ startBlock: 0n, endBlock: 0n }]);
    expect(large.length).toBeGreaterThan(1);
    expect(large[0].startBlock).toBe(0n);
    expect(large[large.length - 1].endBlock).toBe(0n);
    for (let i = 1; i < large.length; i++) expect(large[i].startBlock).toBe(large[i - 1].endBlock);
    for (const r of large.slice(0, -1)) expect(Number(r.endBlock - r.startBlock)).toBeGreaterThanOrEqual(MIN_RANGE_BLOCKS);
  });

  it('does not split without TID range scans (PostgreSQL < 14)', () => {
    expect(planRanges([1_000_000], 4, false)).toEqual([[{ startBlock: 0n, endBlock: 0n }]]);
  });

  it('renders predicates; a whole table has none', () => {
    expect(rangePredicate({ startBlock: 0n, endBlock: 0n })).toBe('');
    expect(rangePredicate({ startBlock: 0n, endBlock: 5n })).toBe("ctid < '(5,0)'::pg_catalog.tid");
    expect(rangePredicate({ startBlock: 5n, endBlock: 0n })).toBe("ctid >= '(5,0)'::pg_catalog.tid");
  });
});
