// Realistic beacon batches for tests and the load bench: one page session's events, from a seeded RNG
// so that runs repeat.

import type { Arm, MetricEvent } from 'token-rollout/core';
import { FAMILIES } from 'token-rollout/core';

const REGIONS = ['AU', 'NZ', 'CA', 'GB', 'DE', 'US'] as const;

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/**
 * The events one page session sends: page-view, web vitals, exposures for 2-8 families, sometimes a
 * theme switch, memory, a js-error (~0.3 %) or a conversion (~3 %). `id` makes user and session unique.
 */
export function sampleSession(random: () => number, id: string, now: number): MetricEvent[] {
  const arm: Arm = random() < 0.5 ? 'v1' : 'v2';
  const region = pick(random, REGIONS);
  const userIndex = Math.floor(random() * 5000);
  const base = {
    arm,
    stage: 'week2',
    configVersion: 'cfg-7',
    region,
    // The SDK sends a salted hash of the user key: 16 hex digits here, from a pool of 5,000 users.
    user: (0x5eed000000000000n + BigInt(userIndex)).toString(16),
    session: `s-${id}`,
    // Week 2 is 25 %: a v2 page is a treated user (bucket under 0.25), a v1 page a control user.
    assignment: arm === 'v2' ? ('treatment' as const) : ('control' as const),
    bucket: arm === 'v2' ? (userIndex % 250) / 1000 : 0.25 + (userIndex % 750) / 1000,
  };
  let ts = now;
  const at = () => (ts += Math.floor(random() * 200));
  const events: MetricEvent[] = [
    { ...base, name: 'page-view', value: 1, ts: at() },
    { ...base, name: 'ttfb', value: Math.round(80 + random() * 300), ts: at() },
    { ...base, name: 'fcp', value: Math.round(700 + random() * 800), ts: at() },
    { ...base, name: 'lcp', value: Math.round(900 + random() * 1500), ts: at() },
    { ...base, name: 'cls', value: Math.round(random() * 20) / 100, ts: at() },
    { ...base, name: 'inp', value: Math.round(40 + random() * 250), ts: at() },
  ];
  const families = FAMILIES.slice(0, 2 + Math.floor(random() * 7));
  for (const family of families) events.push({ ...base, name: 'exposure', value: 1, family, ts: at() });
  if (random() < 0.2)
    events.push({ ...base, name: 'theme-switch', value: Math.round(10 + random() * 80), ts: at() });
  if (random() < 0.5)
    events.push({ ...base, name: 'memory', value: Math.round(2e7 + random() * 3e7), ts: at() });
  if (random() < 0.003) {
    events.push({ ...base, name: 'js-error', value: 1, detail: 'TypeError: x is undefined', ts: at() });
  }
  if (random() < 0.03) {
    events.push({ ...base, name: 'conversion', value: 1, family: 'checkout', detail: 'purchase', ts: at() });
  }
  if (arm === 'v2' && random() < 0.01) {
    events.push({ ...base, name: 'fallback', value: 'fcp-budget', family: pick(random, families), ts: at() });
  }
  return events;
}
