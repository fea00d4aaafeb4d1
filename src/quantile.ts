// The one quantile definition of the product (the guard's p75, the collector's and the gate's figures, the
// benchmarks): linear interpolation between the closest ranks, R-7, numpy's and Excel's default. A median
// is its q = 0.5 (the mean of the two middle values for an even count).

/** The q-quantile (0..1) of `values` (any order); NaN when there are none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  return sortedQuantile(
    [...values].sort((a, b) => a - b),
    q,
  );
}

/** The same for values already sorted ascending (no copy): for callers that keep a sorted list. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const low = Math.floor(pos);
  const lo = sorted[low] as number;
  const hi = sorted[Math.min(low + 1, sorted.length - 1)] as number;
  return lo + (hi - lo) * (pos - low);
}
