// A stand-in for web-vitals in unit tests: records each on* callback so a test can fire a vital by name.
import type { VitalReport, VitalSubscribe, WebVitalsApi } from '../src/metrics/web-vitals.js';

/** The fake `WebVitalsApi` and `fire(name, value)`, which reports a vital to whoever subscribed. */
export function fakeVitals(): {
  api: WebVitalsApi;
  fire(name: VitalReport['name'], value: number, id?: string): void;
} {
  const callbacks = new Map<string, (m: VitalReport) => void>();
  const sub =
    (name: string): VitalSubscribe =>
    (cb) => {
      callbacks.set(name, cb);
    };
  const api: WebVitalsApi = {
    onFCP: sub('FCP'),
    onLCP: sub('LCP'),
    onINP: sub('INP'),
    onCLS: sub('CLS'),
    onTTFB: sub('TTFB'),
  };
  const fire = (name: VitalReport['name'], value: number, id = `${name}-1`) =>
    callbacks.get(name)?.({ name, value, id });
  return { api, fire };
}
