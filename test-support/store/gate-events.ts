// Stored events for the gate-in-SQL tests: users of one or more stages with every kind of event the
// per-user aggregation reads (gate/per-user.ts), and the corner cases it defines: users seen in both groups,
// ineligible users, refunds, opt-outs, fallbacks and errors tagged with a family, mixed pages, page loads
// beyond the plan's levels, receive times that tie (first-event ties broken by id), outliers to cap, and
// rows the screen leaves out. Deterministic for a seed.
import { type AssignmentGroup, FAMILIES, type MetricName } from 'token-rollout/core';
import type { StoredEvent } from '../../packages/tools/src/store/types.js';
import { mulberry32 } from '../random.js';

const REGIONS = ['AU', 'NZ', 'CA', 'US', 'DE', ''] as const;

/** One stage's population. */
export interface StageSpec {
  stage: string;
  treatment: number;
  control: number;
  /** Users seen only as ineligible. */
  ineligible?: number;
  /** Users seen in both groups (a config change): excluded by the gate. */
  switching?: number;
  /** Receive time of the stage's first event (ms). */
  t0: number;
}

/** Events for the stages, in no particular order (the store orders them). */
export function gateEvents(seed: number, stages: readonly StageSpec[]): StoredEvent[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const events: StoredEvent[] = [];
  let user = 0;
  let n = 0;
  for (const spec of stages) {
    const people: { group: AssignmentGroup; switching: boolean }[] = [
      ...Array.from({ length: spec.treatment }, () => ({ group: 'treatment' as const, switching: false })),
      ...Array.from({ length: spec.control }, () => ({ group: 'control' as const, switching: false })),
      ...Array.from({ length: spec.ineligible ?? 0 }, () => ({
        group: 'ineligible' as const,
        switching: false,
      })),
      ...Array.from({ length: spec.switching ?? 0 }, () => ({
        group: 'treatment' as const,
        switching: true,
      })),
    ];
    // Buckets as the SDK's hash spreads them: treated users below the stage's share, control users above.
    const share = spec.treatment / Math.max(1, spec.treatment + spec.control);
    for (const person of people) {
      user++;
      const spread = ((user * 7919) % 1000) / 1000;
      const bucket = person.group === 'treatment' ? share * spread : share + (1 - share) * spread;
      const hash = (0xa0000000 + user).toString(16);
      const region = pick(REGIONS);
      const treated = person.group === 'treatment';
      const pages = 1 + Math.floor(random() * 4);
      for (let page = 0; page < pages; page++) {
        const session = `s${user}-${page}`;
        // Coarse receive times (10 s steps) so that events tie and the id decides which is first.
        const at = spec.t0 + Math.floor(random() * 360) * 10_000;
        const arm = treated ? (random() < 0.1 ? 'mixed' : random() < 0.05 ? 'v1' : 'v2') : 'v1';
        const group: AssignmentGroup = person.switching && page > 0 ? 'control' : person.group;
        const add = (name: MetricName, value: number | string, extra: Partial<StoredEvent> = {}) => {
          n++;
          events.push({
            id: `g${seed}-${n.toString(36)}`,
            name,
            value,
            arm,
            stage: spec.stage,
            configVersion: 'c1',
            // A user's pages may report other regions (travel, VPN): the earliest event's region counts.
            region: random() < 0.1 ? pick(REGIONS) : region,
            user: hash,
            session,
            ts: at,
            receivedAt: at + Math.floor(random() * 2) * 10_000,
            assignment: group,
            bucket,
            ...extra,
          });
        };
        add('page-view', 1);
        const fcp = random() < 0.01 ? 1_000_000 : Math.round(400 + random() * 1400 * (treated ? 1.05 : 1));
        add('fcp', fcp);
        if (random() < 0.4) add('fcp', Math.round(700 + random() * 900));
        if (random() < 0.5) add('memory', Math.round(2e7 + random() * 3e7));
        if (random() < 0.3) add('theme-switch', Math.round(10 + random() * 140));
        const families = FAMILIES.slice(0, 1 + Math.floor(random() * 4));
        for (const family of families) {
          add('exposure', 1, { family, arm: treated && random() < 0.9 ? 'v2' : 'v1' });
        }
        if (random() < 0.06) add('js-error', 1, random() < 0.5 ? { family: pick(families) } : {});
        if (random() < 0.05) add('conversion', random() < 0.15 ? -20 : random() < 0.1 ? 0 : 30);
        if (random() < 0.03) add('fallback', 'budget:fcp', random() < 0.5 ? { family: pick(families) } : {});
        if (random() < 0.02) add('opt-out', random() < 0.7 ? 1 : 0);
      }
    }
  }
  // Rows the gate's screen leaves out: outside a stage, and (in a team's own table) without an assignment.
  for (let i = 0; i < 5; i++) {
    const base = events[Math.floor(random() * events.length)]!;
    n++;
    events.push({ ...base, id: `g${seed}-x${n.toString(36)}`, stage: null });
  }
  return events;
}

/** Splits events into batches of `size` (the order the store receives them in). */
export function inBatches<T>(events: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size));
  return out;
}
