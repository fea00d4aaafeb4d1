// How much more data a hold needs: the total sample at which the confidence sequence would be narrow enough
// to decide, if the estimate and the per-unit variance stayed what they are now.
import { sequentialHalfwidth } from './confidence-sequence.js';

const CEILING = 1e12;

/**
 * The smallest total sample n' >= n at which the half-width drops below `distance` (the gap between the
 * estimate and the bound to be shown), assuming se shrinks like 1/sqrt(n'). Null when `distance` <= 0
 * (the current estimate itself is on the wrong side, so more data alone is not expected to help) or the
 * answer exceeds 10^12 units.
 */
export function usersNeeded(
  se: number,
  n: number,
  alpha: number,
  rho: number,
  distance: number,
): number | null {
  if (!(distance > 0) || n <= 0) return null;
  const perUnit = se * Math.sqrt(n);
  const width = (m: number) => sequentialHalfwidth(perUnit / Math.sqrt(m), m, alpha, rho);
  if (width(n) < distance) return n;
  let high = n;
  while (width(high) >= distance) {
    high *= 2;
    if (high > CEILING) return null;
  }
  let low = high / 2;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (width(mid) < distance) high = mid;
    else low = mid;
  }
  return Math.ceil(high);
}
