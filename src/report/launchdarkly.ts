// Sends metric events to LaunchDarkly as custom events, so guarded rollouts and experiments can use them.
import type { FlagSource } from '../flags/source.js';
import type { MetricEvent } from '../metrics/event.js';
import { optOutFilter, type Reporter } from './reporter.js';

/** LaunchDarkly's `client.track(key, data, metricValue)` (both the v3 and v4 JS SDKs). */
export type LaunchDarklyTrack = (key: string, data?: unknown, metricValue?: number) => void;

/** The metric key prefix (see src/report/README.md for the table of keys). */
export const METRIC_KEY_PREFIX = 'token-rollout.';

/**
 * The LaunchDarkly metric key of an event: `token-rollout.<name>`, and for a named conversion
 * `token-rollout.conversion.<name>` (one key per goal, as LaunchDarkly metrics select events by key).
 */
export function metricKeyOf(event: MetricEvent, prefix = METRIC_KEY_PREFIX): string {
  if (event.name === 'conversion' && event.detail) {
    const goal = event.detail
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '');
    if (goal) return `${prefix}conversion.${goal}`;
  }
  return `${prefix}${event.name}`;
}

/** The `data` LaunchDarkly gets: the rollout context of the event, never the user (the context has it). */
export function trackDataOf(event: MetricEvent): Record<string, string | null> {
  const data: Record<string, string | null> = {
    arm: event.arm,
    stage: event.stage,
    configVersion: event.configVersion,
    session: event.session,
  };
  if (event.family) data.family = event.family;
  if (typeof event.value === 'string') data.reason = event.value;
  if (event.detail) data.detail = event.detail;
  return data;
}

/**
 * A reporter that calls LaunchDarkly `track` for each event: numeric events pass their value as the
 * metric value, `fallback` passes its reason in `data`. Accepts a flag source with `track` (the SDK's
 * LaunchDarkly source) or the client's own `track` function, e.g. `client.track.bind(client)`.
 * Opted-out users send nothing but the opt-out itself.
 */
export function launchDarklyReporter(
  target: Pick<FlagSource, 'track'> | LaunchDarklyTrack,
  options: { prefix?: string } = {},
): Reporter {
  const track: LaunchDarklyTrack =
    typeof target === 'function'
      ? target
      : (key, data, value) => {
          // FlagSource.track takes (key, value, data): LaunchDarkly's order differs.
          target.track?.(key, value, data);
        };
  const allowed = optOutFilter();
  return {
    report(event) {
      if (!allowed(event)) return;
      try {
        const value = typeof event.value === 'number' ? event.value : undefined;
        track(metricKeyOf(event, options.prefix), trackDataOf(event), value);
      } catch {
        // A failing analytics call must never break the page.
      }
    },
    close() {},
  };
}
