// Stored events for the store tests and the store benchmark: valid contract events with ids, assignment
// and a server receive time, deterministic for a seed.
import type { StoredEvent } from '../../packages/tools/src/store/types.js';
import { mulberry32 } from '../random.js';

const NAMES = ['fcp', 'lcp', 'ttfb', 'theme-switch', 'page-view', 'js-error', 'conversion'] as const;
const REGIONS = ['AU', 'NZ', 'CA', 'US', 'DE'] as const;

/** `n` events for one batch; `seed` picks users, metrics and values (same seed, same events). */
export function storedEvents(
  n: number,
  seed: number,
  options: { users?: number; t0?: number } = {},
): StoredEvent[] {
  const random = mulberry32(seed);
  const users = options.users ?? 10_000;
  const t0 = options.t0 ?? 1_767_225_600_000;
  return Array.from({ length: n }, (_, i): StoredEvent => {
    const u = Math.floor(random() * users);
    const bucket = (u % 1000) / 1000;
    const treated = bucket < 0.05;
    const name = NAMES[Math.floor(random() * NAMES.length)]!;
    return {
      id: `e${seed.toString(36)}-${i}`,
      name,
      value: name === 'page-view' || name === 'js-error' ? 1 : Math.round(random() * 2000),
      arm: treated ? 'v2' : 'v1',
      assignment: treated ? 'treatment' : 'control',
      bucket,
      stage: 'week1',
      configVersion: 'c1',
      region: REGIONS[u % REGIONS.length]!,
      user: u.toString(16).padStart(8, '0'),
      session: `s${u}`,
      ts: t0 + seed * 1000 + i,
      receivedAt: t0 + seed * 1000 + i,
    };
  });
}
