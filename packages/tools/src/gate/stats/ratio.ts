// A ratio of per-user sums, Σa / Σb, with its delta-method variance: the share of v2 page loads above a
// level, where users (not page loads) are the independent units. GrowthBook analyses its ratio metrics
// the same way (gbstats `RatioStatistic`: var = (s_a² - 2 R s_ab + R² s_b²) / (n μ_b²)).

/** Sufficient statistics of per-user pairs (a, b): n users, Σa, Σb, Σa², Σb², Σab. */
export interface RatioMoments {
  n: number;
  sumA: number;
  sumB: number;
  sumAA: number;
  sumBB: number;
  sumAB: number;
}

/** Empty ratio moments. */
export function emptyRatioMoments(): RatioMoments {
  return { n: 0, sumA: 0, sumB: 0, sumAA: 0, sumBB: 0, sumAB: 0 };
}

/** Adds one user's pair (a, b), in place. */
export function addPair(m: RatioMoments, a: number, b: number): void {
  m.n += 1;
  m.sumA += a;
  m.sumB += b;
  m.sumAA += a * a;
  m.sumBB += b * b;
  m.sumAB += a * b;
}

/** The ratio and the variance of its estimate; null without any b. */
export function ratioOf(m: RatioMoments): { ratio: number; variance: number } | null {
  if (m.n === 0 || m.sumB <= 0) return null;
  const n = m.n;
  const ratio = m.sumA / m.sumB;
  const meanA = m.sumA / n;
  const meanB = m.sumB / n;
  const d = n > 1 ? n - 1 : 1;
  const varA = (m.sumAA - n * meanA * meanA) / d;
  const varB = (m.sumBB - n * meanB * meanB) / d;
  const covAB = (m.sumAB - n * meanA * meanB) / d;
  const delta = (varA - 2 * ratio * covAB + ratio * ratio * varB) / (n * meanB * meanB);
  // Floor: the binomial variance of the pooled share with one pseudo-count each side (Agresti-Caffo), so
  // a share of 0 % or 100 % so far does not claim certainty (clustering only ever adds to it).
  const p = (m.sumA + 1) / (m.sumB + 2);
  const floor = (p * (1 - p)) / m.sumB;
  return { ratio, variance: Math.max(delta, floor) };
}
