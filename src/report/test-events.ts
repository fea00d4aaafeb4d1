// Test helper: contract events for reporter tests.
import type { MetricEvent, MetricName } from '../metrics/event.js';

/** A valid event named `name` (ts increases with `n` so events can be told apart). */
export function testEvent(name: MetricName, value: number | string = 1, n = 0): MetricEvent {
  return {
    name,
    value,
    arm: 'v2',
    stage: 'week1',
    configVersion: 'c1',
    region: 'AU',
    user: '0123456789abcdef',
    session: 'session-1',
    ts: 1_770_000_000_000 + n,
    assignment: 'treatment',
    bucket: 0.01,
  };
}
