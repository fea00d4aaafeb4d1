// One quantile for every benchmark, so "p95" means the same in every table: linear interpolation
// between the closest ranks (R-7, numpy's and Excel's default). Input need not be sorted.

/** The q-quantile (0..1) of `values`; NaN when there are none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = sorted[Math.floor(pos)] as number;
  const hi = sorted[Math.ceil(pos)] as number;
  return lo + (hi - lo) * (pos - Math.floor(pos));
}
