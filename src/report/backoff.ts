// Retry delays while the collector is down: exponential, capped, with jitter so that many pages that
// lost the collector at once do not all come back at the same instant.

/** Backoff settings, ms. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** The default: 1 s, 2 s, 4 s … capped at 60 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };

/**
 * The delay before retry number `attempt` (1 for the first retry): `min(max, base·2^(attempt-1))`,
 * scaled by a random factor in [0.5, 1) ("equal jitter"), so it never exceeds the cap.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return exp * (0.5 + random() / 2);
}
