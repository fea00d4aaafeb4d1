// The metric event: the contract between the SDK's reporters, the collector and the gate.
import type { Family } from '../families.js';

/** Every metric name the SDK emits. */
export const METRIC_NAMES = [
  'page-view',
  'fcp',
  'lcp',
  'inp',
  'cls',
  'ttfb',
  'theme-switch',
  'js-error',
  'memory',
  'conversion',
  'fallback',
  'exposure',
  'opt-out',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** The page's token version: `mixed` when its families differ. */
export type Arm = 'v1' | 'v2' | 'mixed';

/**
 * One event. `user` is a salted hash of the user key (the key never leaves the browser);
 * `session` a random id per page session; `ts` ms since epoch. `value` is a number, except for
 * `fallback` (the reason) and `conversion`/`js-error` which may carry a label in `detail`.
 */
export interface MetricEvent {
  name: MetricName;
  value: number | string;
  arm: Arm;
  family?: Family;
  stage: string | null;
  configVersion: string;
  region: string;
  user: string;
  session: string;
  ts: number;
  detail?: string;
}
