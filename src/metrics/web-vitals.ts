// Core Web Vitals through Google's `web-vitals` library, injected so tests can drive it by hand.
import type { MetricName } from './event.js';

/** What a web-vitals callback receives (the fields monitoring uses). */
export interface VitalReport {
  name: 'CLS' | 'FCP' | 'INP' | 'LCP' | 'TTFB';
  value: number;
  id: string;
}

/** The shape of `onFCP`, `onLCP`, … from `web-vitals`. */
export type VitalSubscribe = (
  callback: (metric: VitalReport) => void,
  opts?: { reportAllChanges?: boolean },
) => void;

/** The web-vitals functions monitoring subscribes to. */
export interface WebVitalsApi {
  onFCP: VitalSubscribe;
  onLCP: VitalSubscribe;
  onINP: VitalSubscribe;
  onCLS: VitalSubscribe;
  onTTFB: VitalSubscribe;
}

/**
 * Reports each vital as it becomes final (web-vitals' default: LCP/CLS/INP on input or when the page is
 * hidden). A metric reported again with an unchanged value (e.g. CLS on every hide) is not repeated.
 * web-vitals has no unsubscribe, so the returned stop function mutes the callbacks instead.
 */
export function observeWebVitals(
  vitals: WebVitalsApi,
  emit: (name: MetricName, value: number) => void,
): () => void {
  let active = true;
  const last = new Map<string, number>();
  const report = (metric: VitalReport) => {
    if (!active || !Number.isFinite(metric.value)) return;
    const key = `${metric.name}:${metric.id}`;
    if (last.get(key) === metric.value) return;
    last.set(key, metric.value);
    // Event names are the vitals' names in lower case ('FCP' -> 'fcp').
    emit(metric.name.toLowerCase() as Lowercase<VitalReport['name']>, metric.value);
  };
  vitals.onTTFB(report);
  vitals.onFCP(report);
  vitals.onLCP(report);
  vitals.onCLS(report);
  vitals.onINP(report);
  return () => {
    active = false;
  };
}
