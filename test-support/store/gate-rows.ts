// Gate-realistic events in bulk, for loads of millions: `events / users` events per user in one stage,
// 25 % treatment, 2 % ineligible, five regions, every metric the per-user aggregation reads (page loads
// beyond the plan's levels, memory, theme switches, family exposures, errors, conversions and refunds).
// Event i is a pure function of i, so a load can be cut into batches anywhere and resumed.
import { type Arm, type AssignmentGroup, FAMILIES, type MetricName } from 'token-rollout/core';
import type { StoredEvent } from '../../packages/tools/src/store/types.js';

const NAMES: readonly MetricName[] = [
  'page-view',
  'fcp',
  'lcp',
  'ttfb',
  'exposure',
  'memory',
  'theme-switch',
  'cls',
  'js-error',
  'conversion',
];
const REGIONS = ['AU', 'NZ', 'CA', 'US', 'DE'] as const;

/** A 32-bit hash of an integer (a few multiply-xorshift rounds): cheap, deterministic, well spread. */
function hash(x: number): number {
  let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Event `i` of a load of `users` users (its receive time `t0 + i`, unless `receivedAt` is given). */
export function gateRow(i: number, users: number, t0: number, receivedAt?: number): StoredEvent {
  const u = i % users;
  const k = Math.floor(i / users) % 10;
  const bucket = (u * 2654435761) % 1000;
  const group: AssignmentGroup = u % 50 === 0 ? 'ineligible' : bucket < 250 ? 'treatment' : 'control';
  let name = NAMES[k]!;
  if (name === 'js-error' && hash(i + 1) % 100 >= 1) name = 'page-view';
  if (name === 'conversion' && hash(i + 2) % 100 >= 3) name = 'fcp';
  const noise = hash(i * 7 + 3);
  const value =
    name === 'fcp'
      ? 500 + (noise % 1100) + (group === 'treatment' ? 40 : 0)
      : name === 'lcp'
        ? 900 + (noise % 1500)
        : name === 'ttfb'
          ? 80 + (noise % 300)
          : name === 'memory'
            ? 20_000_000 + (noise % 30_000_000)
            : name === 'theme-switch'
              ? 10 + (noise % 140)
              : name === 'cls'
                ? (noise % 30) / 100
                : name === 'conversion'
                  ? noise % 10 === 0
                    ? -20
                    : 35
                  : 1;
  const arm: Arm = group === 'treatment' ? (noise % 20 === 0 ? 'mixed' : 'v2') : 'v1';
  const event: StoredEvent = {
    id: `g${i.toString(36)}`,
    name,
    value,
    arm,
    assignment: group,
    bucket: bucket / 1000,
    stage: 'week2',
    configVersion: 'c1',
    region: REGIONS[u % 5]!,
    user: (u + 0x10000000).toString(16),
    session: `s${u}-${Math.floor(k / 5)}`,
    ts: t0 + i,
    receivedAt: receivedAt ?? t0 + i,
  };
  if (name === 'exposure') event.family = FAMILIES[u % FAMILIES.length]!;
  return event;
}
