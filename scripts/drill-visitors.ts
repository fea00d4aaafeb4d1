// Simulated visitors for the rollback drill: each visit asks the flag server for the flags the way a
// LaunchDarkly client-side SDK does (GET /sdk/evalx/...), decides its families with the SDK's own
// `resolveAssignment`, and posts the page's contract events to the collector. A flag flip therefore reaches
// the next visit exactly as it reaches a page: no shortcut. `regress` breaks pages that render v2 (an
// uncaught error on half of them), the injected regression the gate must catch.
import {
  createEvent,
  FAMILIES,
  type Family,
  FLAG_KEY,
  hashUserKey,
  type MetricEvent,
  parseRolloutConfig,
  resolveAssignment,
} from 'token-rollout/core';
import { mulberry32 } from '../test-support/random.js';

/** One visit's outcome. */
export interface Visit {
  key: string;
  arm: 'v1' | 'v2' | 'mixed';
  group: string;
}

/** Options of `visit`. */
export interface VisitOptions {
  server: string;
  keys: readonly string[];
  regions: readonly string[];
  regress: boolean;
  seed: number;
  /** Visits at once. */
  concurrency?: number;
}

type Evaluated = Record<string, { value: unknown } | undefined>;

async function flagsFor(server: string, key: string, region: string): Promise<Evaluated> {
  const context = Buffer.from(JSON.stringify({ kind: 'user', key, region })).toString('base64url');
  const response = await fetch(`${server}/sdk/evalx/drill/contexts/${context}`);
  if (!response.ok) throw new Error(`GET /sdk/evalx failed: ${response.status}`);
  return (await response.json()) as Evaluated;
}

/** The page's families for one user, as the SDK would render them (family kill flags included). */
function decide(flags: Evaluated, key: string, region: string) {
  const parsed = parseRolloutConfig(flags[FLAG_KEY]?.value ?? null);
  const killed = FAMILIES.filter((f) => flags[`${FLAG_KEY}.${f}`]?.value === false);
  const config = parsed.ok
    ? { ...parsed.config, killed: [...new Set([...parsed.config.killed, ...killed])] }
    : null;
  return resolveAssignment(config, { key, region }, Date.now());
}

function eventsOf(
  key: string,
  region: string,
  flags: Evaluated,
  regress: boolean,
  random: () => number,
): { events: MetricEvent[]; visit: Visit } {
  const a = decide(flags, key, region);
  const versions = FAMILIES.map((f) => a.families[f].version);
  const arm = versions.every((v) => v === 'v1') ? 'v1' : versions.every((v) => v === 'v2') ? 'v2' : 'mixed';
  const context = {
    arm,
    stage: a.stage,
    configVersion: a.configVersion,
    region,
    assignment: a.group,
    bucket: a.bucket,
  } as const;
  const who = { user: hashUserKey(key), session: `drill-${key}-${Math.floor(random() * 1e9).toString(36)}` };
  const now = Date.now();
  const id = () => `${now.toString(36)}-${Math.floor(random() * 1e12).toString(36)}`;
  const e = (name: MetricEvent['name'], value: number | string, family?: Family, familyArm?: 'v1' | 'v2') =>
    createEvent(name, value, context, who, now, {
      id: id(),
      ...(family ? { family } : {}),
      ...(familyArm ? { arm: familyArm } : {}),
    });
  const events = [e('page-view', 1)];
  for (const f of FAMILIES) events.push(e('exposure', 1, f, a.families[f].version));
  events.push(e('fcp', Math.round(1000 * Math.exp(0.3 * (random() + random() + random() - 1.5)))));
  events.push(e('memory', Math.round(60 * Math.exp(0.2 * (random() - 0.5)))));
  const onV2 = arm !== 'v1';
  if (random() < (regress && onV2 ? 0.5 : 0.001)) events.push(e('js-error', 1));
  if (random() < 0.032) events.push(e('conversion', 1));
  return { events, visit: { key, arm, group: a.group } };
}

/** Makes one visit per key (regions drawn from `regions`); resolves with what each page rendered. */
export async function visit(options: VisitOptions): Promise<Visit[]> {
  const random = mulberry32(options.seed);
  const visits: Visit[] = [];
  const queue = options.keys.map((key, i) => ({
    key,
    region: options.regions[i % options.regions.length] ?? 'AU',
  }));
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const flags = await flagsFor(options.server, next.key, next.region);
      const { events, visit: v } = eventsOf(next.key, next.region, flags, options.regress, random);
      const response = await fetch(`${options.server}/collect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      if (!response.ok) throw new Error(`POST /collect failed: ${response.status} ${await response.text()}`);
      visits.push(v);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return visits;
}
