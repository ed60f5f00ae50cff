import type { BlockRange } from '@kasho/contracts';

/** Smallest range worth splitting off (8 MB of 8 kB blocks) and the largest one (1 GB). */
export const MIN_RANGE_BLOCKS = 1024;
export const MAX_RANGE_BLOCKS = 131_072;

/**
 * Block ranges per table so that `workers` copy workers stay busy: about four ranges per worker over
 * the whole database, each between MIN and MAX_RANGE_BLOCKS. A small table is one range. The first
 * range starts at block 0 and the last has no upper bound, so rows past the size measured at plan
 * time are still copied. Needs TID range scans (PostgreSQL 14+); without them every table is one range.
 */
export function planRanges(tableBlocks: readonly number[], workers: number, tidRangeScan: boolean): BlockRange[][] {
  const total = tableBlocks.reduce((a, b) => a + b, 0);
  const size = Math.min(MAX_RANGE_BLOCKS, Math.max(MIN_RANGE_BLOCKS, Math.ceil(total / (Math.max(1, workers) * 4))));
  return tableBlocks.map((blocks) => {
    if (!tidRangeScan || blocks < size * 1.5) return [{ startBlock: 0n, endBlock: 0n }];
    const count = Math.round(blocks / size);
    const step = Math.ceil(blocks / count);
    const ranges: BlockRange[] = [];
    for (let i = 0; i < count; i++) {
      ranges.push({ startBlock: BigInt(i * step), endBlock: i === count - 1 ? 0n : BigInt((i + 1) * step) });
    }
    return ranges;
  });
}

/** The WHERE clause of a range (empty for a whole table). Block numbers are integers, so this is injection-free. */
export function rangePredicate(range: BlockRange): string {
  const parts: string[] = [];
  if (range.startBlock > 0n) parts.push(`ctid >= '(${range.startBlock},0)'::pg_catalog.tid`);
  if (range.endBlock > 0n) parts.push(`ctid < '(${range.endBlock},0)'::pg_catalog.tid`);
  return parts.join(' AND ');
}
