// The user's v1 memory baseline: recorded while the page is all-v1, compared against on v2.
import { parseJson } from '../json.js';
import { quantile } from '../quantile.js';

/** Storage key of the v1 memory samples. */
export const MEMORY_BASELINE_KEY = 'token-rollout:memory-v1';

/** Number of v1 samples kept; the baseline is their median, so one odd page does not move it. */
export const BASELINE_SAMPLES = 9;

/** Reads the stored v1 samples (bytes); malformed entries are ignored. */
export function parseBaselineSamples(raw: string | null): number[] {
  const value = parseJson(raw);
  if (!Array.isArray(value)) return [];
  return value.filter((n): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0);
}

/** The samples with `bytes` added, keeping the latest BASELINE_SAMPLES. */
export function addBaselineSample(samples: readonly number[], bytes: number): number[] {
  return [...samples, bytes].slice(-BASELINE_SAMPLES);
}

/** The baseline (median of the samples), or undefined when nothing was recorded yet. */
export function baselineOf(samples: readonly number[]): number | undefined {
  if (samples.length === 0) return undefined;
  return quantile(samples, 0.5);
}
