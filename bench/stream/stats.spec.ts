import { fixed, percentile, perTenThousand, scaled, summarize, table } from './stats';

describe('stream benchmark stats', () => {
  it('scales a size down to a multiple, never below one multiple', () => {
    expect(scaled(300_000, 1, 1000)).toBe(300_000);
    expect(scaled(300_000, 0.0123, 1000)).toBe(3000);
    expect(scaled(20_000, 0.0001, 8)).toBe(8);
    expect(scaled(270_000, 0.5)).toBe(135_000);
  });

  it('takes nearest-rank percentiles of sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes unsorted latencies', () => {
    expect(summarize([30, 10, 20, 40])).toEqual({ samples: 4, p50: 20, p95: 40, p99: 40, max: 40 });
  });

  it('gives CPU seconds per 10,000 rows', () => {
    expect(perTenThousand(3, 300_000)).toBeCloseTo(0.1);
    expect(perTenThousand(1, 0)).toBeNaN();
  });

  it('formats a Markdown table and missing numbers', () => {
    expect(table(['a', 'b'], [[1, fixed(NaN)]])).toBe('| a | b |\n| --- | --- |\n| 1 | – |');
    expect(fixed(1.234, 1)).toBe('1.2');
  });
});
