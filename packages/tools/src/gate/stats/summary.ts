// Per-arm summary statistics: what the comparisons need from the per-user values (n, mean, sample variance).

/** The n, mean and sample variance (n - 1 denominator) of one arm's per-user values. */
export interface Summary {
  n: number;
  mean: number;
  variance: number;
}

/** Running sums that can be updated one value at a time (the simulator adds users as they arrive). */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

/** An empty running sum. */
export function emptyMoments(): Moments {
  return { n: 0, sum: 0, sumSquares: 0 };
}

/** Adds one value to the running sums, in place (the simulator's hot loop). */
export function addValue(m: Moments, value: number): void {
  m.n += 1;
  m.sum += value;
  m.sumSquares += value * value;
}

/** Summary of running sums. Variance is 0 below two values, and never negative from rounding. */
export function summaryOfMoments(m: Moments): Summary {
  if (m.n === 0) return { n: 0, mean: 0, variance: 0 };
  const mean = m.sum / m.n;
  const variance = m.n < 2 ? 0 : Math.max(0, (m.sumSquares - m.n * mean * mean) / (m.n - 1));
  return { n: m.n, mean, variance };
}

/** Summary of a list of values (two passes, so it stays exact for large means such as memory bytes). */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { n: 0, mean: 0, variance: 0 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return { n, mean, variance: n < 2 ? 0 : squares / (n - 1) };
}
