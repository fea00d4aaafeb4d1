// A reporter sends metric events somewhere (LaunchDarkly, a collector). Monitoring fans events out to them.
import type { MetricEvent } from '../metrics/event.js';

/** Receives every event monitoring emits. `report` must never throw into the page. */
export interface Reporter {
  report(event: MetricEvent): void;
  /** Sends anything queued now (e.g. before the page goes away). */
  flush?(): void;
  /** Removes the reporter's listeners and timers. */
  close(): void;
}

/**
 * Tracks a user's opt-out from the stream of events: after an `opt-out` event with value 1 only a
 * later `opt-out` with value 0 (opted back in) passes; the opt-out event itself always passes.
 */
export function optOutFilter(): (event: MetricEvent) => boolean {
  let optedOut = false;
  return (event) => {
    if (event.name === 'opt-out') {
      optedOut = event.value === 1;
      return true;
    }
    return !optedOut;
  };
}
