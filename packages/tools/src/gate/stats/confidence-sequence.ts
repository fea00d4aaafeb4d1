// Always-valid confidence sequences: Howard, Ramdas, McAuliffe & Sekhon (2021), "Time-uniform, nonparametric,
// nonasymptotic confidence sequences", Annals of Statistics 49(2), with the asymptotic normal-mixture
// boundary of Waudby-Smith et al. (arXiv 2103.06476, eq. 161 for rho). The parameterisation is GrowthBook's
// sequential testing (growthbook/growthbook, packages/stats/gbstats/frequentist/tests.py: `sequential_rho`
// and `SequentialTwoSidedTTest.halfwidth`; TS port `sequentialRho` / `sequentialIntervalHalfwidth`):
//   rho = sqrt((-2 ln a + ln(-2 ln a + 1)) / N)       N = the tuning parameter, a target total sample size
//   halfwidth = sqrt(s2) * sqrt(2 (n rho^2 + 1) / (n rho)^2 * ln(sqrt(n rho^2 + 1) / a)),  s2 = se^2 * n
// where n counts units in both arms. The sequence is tightest near n = N and valid at every n at once, so
// checking it every 15 minutes does not inflate the error rate the way repeated fixed-horizon tests do.

/** The mixing parameter rho that makes the two-sided sequence tightest at `targetN` total units. */
export function sequentialRho(alpha: number, targetN: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(targetN > 0)) throw new RangeError(`the target sample size must be positive, got ${targetN}`);
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / targetN);
}

/**
 * Half-width of the two-sided (1 - alpha) confidence sequence at `n` total units for an estimate with
 * standard error `se`. Infinite when n is zero (nothing is known yet).
 */
export function sequentialHalfwidth(se: number, n: number, alpha: number, rho: number): number {
  if (n <= 0) return Number.POSITIVE_INFINITY;
  const nr2 = n * rho * rho;
  const s2 = se * se * n;
  return Math.sqrt((s2 * 2 * (nr2 + 1) * Math.log(Math.sqrt(nr2 + 1) / alpha)) / (nr2 * n));
}

/** A closed interval. */
export interface Interval {
  lower: number;
  upper: number;
}

/** The (1 - alpha) confidence sequence around `estimate` at `n` total units. */
export function confidenceSequence(
  estimate: number,
  se: number,
  n: number,
  alpha: number,
  rho: number,
): Interval {
  const h = sequentialHalfwidth(se, n, alpha, rho);
  return { lower: estimate - h, upper: estimate + h };
}
