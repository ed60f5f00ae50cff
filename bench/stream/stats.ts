/** The pure arithmetic of the stream benchmark: sizes, percentiles, rates and the Markdown tables. */

/** `base × scale`, rounded down to a multiple of `multiple`, never below one multiple. */
export function scaled(base: number, scale: number, multiple = 1): number {
  return Math.max(multiple, Math.floor((base * scale) / multiple) * multiple);
}

/** The nearest-rank percentile (0 < p ≤ 100) of ascending-sorted values; NaN when there are none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** CPU seconds per 10,000 rows. */
export function perTenThousand(cpuSeconds: number, rows: number): number {
  return rows > 0 ? (cpuSeconds * 10_000) / rows : NaN;
}

/** A Markdown table; numbers are printed as given (format them first). */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A number with `digits` decimals, or "–" when it is not a number. */
export function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}
