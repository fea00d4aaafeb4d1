// Did the rollback take effect in users' pages? A pure function over events (the collector's or the event
// store's, by server receive time): the users whose pages showed v2 before the flip are the ones that must
// switch; after it, each one's latest page report says v1 or still v2. Recovered when 95 % of those seen
// again report v1 and the metric that triggered is back within its margin of the control; not recovered
// when the window (5 min by default) ends first. What "v1" means depends on the scope: the whole page for a
// flag rollback, the family's exposure (or a page wholly on v1 or v2) for a family kill.
import type { Arm } from 'token-rollout/core';

/** The event fields read (a `MetricEvent` or a row of the event store has them). */
export interface RecoveryEvent {
  name: string;
  user: string;
  arm: Arm;
  family?: string;
  ts: number;
  /** The collector's receive time; events without one are placed by their client `ts`. */
  receivedAt?: number;
  /** The page session: its reports are ordered by its own clock (`ts`), whatever order they arrived in. */
  session?: string;
  value?: number | string;
}

/** What was rolled back. */
export type RecoveryScope = { kind: 'flag' } | { kind: 'family'; family: string };

/** The triggering metric, treated users against the others, after the flip. */
export interface MetricCheck {
  metric: string;
  label: string;
  /** The difference in the metric's units (points for rates, a share for means); null when not computable. */
  estimate: number | null;
  margin: number;
  /**
   * False when the data show a harm beyond the margin (the regression persists), true otherwise (the plain
   * comparison allows for sampling noise: recovery-metric.ts); null when no comparison could be made.
   */
  withinMargin: boolean | null;
  detail: string;
}

/** Compares the metric on the events after the flip: the gate supplies its own; recovery-metric.ts has a plain one. */
export type MetricComparison = (input: {
  treated: ReadonlySet<string>;
  after: readonly RecoveryEvent[];
}) => MetricCheck | null;

/** Options of `verifyRecovery`. */
export interface RecoveryOptions {
  /** When the flag flipped (ms since epoch, server time). */
  rollbackAt: number;
  scope: RecoveryScope;
  /** The time to check at (ms since epoch). */
  now: number;
  /** How long pages get to switch; default 5 min (the plan's "verify metrics recovery (5 min)"). */
  windowMs?: number;
  /** How far before the flip a v2 page makes a user "treated"; default 24 h. */
  lookbackMs?: number;
  /** Share of returning treated users that must report v1; default 0.95. */
  share?: number;
  /** Fewest returning treated users that can show recovery; default 10. */
  minUsers?: number;
  metric?: MetricComparison;
}

/** The verdict and its numbers. */
export interface RecoveryResult {
  status: 'recovered' | 'not-recovered' | 'pending';
  /** True once the verdict cannot change (shown, or the window ended). */
  final: boolean;
  scope: RecoveryScope;
  rollbackAt: string;
  deadline: string;
  checkedAt: string;
  windowMs: number;
  /** Users whose pages showed v2 (in scope) before the flip. */
  treatedUsers: number;
  /** Of those, seen again after the flip; how many report v1 now, and how many still v2. */
  seenAfter: number;
  switched: number;
  stillV2: number;
  /** switched / seenAfter, or null when nobody came back. */
  share: number | null;
  /** Seconds from the flip until the target share had switched; null until it has. */
  secondsToTarget: number | null;
  targetShare: number;
  metric: MetricCheck | null;
  reasons: string[];
}

export const RECOVERY_DEFAULTS = {
  windowMs: 5 * 60_000,
  lookbackMs: 24 * 3_600_000,
  share: 0.95,
  minUsers: 10,
};

const timeOf = (e: RecoveryEvent) => e.receivedAt ?? e.ts;

/** What one event says about the scope: the page (or the family) on v1, on v2, or nothing. */
export function observe(e: RecoveryEvent, scope: RecoveryScope): 'v1' | 'v2' | null {
  if (scope.kind === 'flag') return e.arm === 'v1' ? 'v1' : 'v2';
  if (e.name === 'exposure') return e.family === scope.family ? (e.arm === 'v1' ? 'v1' : 'v2') : null;
  // A page wholly on one version says it for every family; a mixed page says nothing about this one.
  return e.arm === 'mixed' ? null : e.arm;
}

/**
 * The order in which reports tell what a user's pages show. A page sends its reports in batches that can
 * reach the collector out of order (several sendBeacon requests on the way out, a slow interval flush), so
 * receive time alone can put a report made on v2 before the flip after the v1 one made since. Within one
 * page session its own clock orders them; sessions by when the collector first heard from them; reports
 * without a session by receive time, then their clock.
 */
function pageOrder(events: readonly RecoveryEvent[]): (a: RecoveryEvent, b: RecoveryEvent) => number {
  const keyOf = (e: RecoveryEvent) => (e.session === undefined ? '' : `${e.user} ${e.session}`);
  const firstHeard = new Map<string, number>();
  for (const e of events) {
    const key = keyOf(e);
    if (key !== '') firstHeard.set(key, Math.min(firstHeard.get(key) ?? Number.POSITIVE_INFINITY, timeOf(e)));
  }
  const startOf = (e: RecoveryEvent) => firstHeard.get(keyOf(e)) ?? timeOf(e);
  return (a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return startOf(a) - startOf(b) || (ka < kb ? -1 : ka > kb ? 1 : 0) || a.ts - b.ts;
  };
}

/** Verifies a rollback over `events` (any order). Pure. */
export function verifyRecovery(events: Iterable<RecoveryEvent>, options: RecoveryOptions): RecoveryResult {
  const at = options.rollbackAt;
  const windowMs = options.windowMs ?? RECOVERY_DEFAULTS.windowMs;
  const target = options.share ?? RECOVERY_DEFAULTS.share;
  const minUsers = options.minUsers ?? RECOVERY_DEFAULTS.minUsers;
  const from = at - (options.lookbackMs ?? RECOVERY_DEFAULTS.lookbackMs);
  const end = Math.min(options.now, at + windowMs);
  const treated = new Set<string>();
  const after: RecoveryEvent[] = [];
  for (const e of events) {
    const t = timeOf(e);
    if (t >= from && t < at && observe(e, options.scope) === 'v2') treated.add(e.user);
    else if (t >= at && t <= end) after.push(e);
  }
  after.sort(pageOrder(after));
  const last = new Map<string, { state: 'v1' | 'v2'; since: number }>();
  for (const e of after) {
    if (!treated.has(e.user)) continue;
    const state = observe(e, options.scope);
    if (state === null) continue;
    const previous = last.get(e.user);
    if (previous?.state !== state) last.set(e.user, { state, since: timeOf(e) });
  }
  const switchedAt = [...last.values()].filter((s) => s.state === 'v1').map((s) => s.since);
  const seenAfter = last.size;
  const switched = switchedAt.length;
  const share = seenAfter > 0 ? switched / seenAfter : null;
  const needed = Math.ceil(target * seenAfter);
  switchedAt.sort((a, b) => a - b);
  const reached = seenAfter > 0 && switched >= needed ? switchedAt[Math.max(0, needed - 1)]! : null;
  const metric = options.metric ? options.metric({ treated, after }) : null;
  const windowEnded = options.now >= at + windowMs;
  const reasons: string[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  if (seenAfter < minUsers) {
    reasons.push(
      `${seenAfter} of ${treated.size} treated users came back after the flip (at least ${minUsers} are needed to show it)`,
    );
  } else if (share !== null && share < target) {
    reasons.push(
      `${switched} of ${seenAfter} returning treated users (${pct(share)}) report v1; ${seenAfter - switched} still render v2 (target ${pct(target)})`,
    );
  } else if (share !== null) {
    reasons.push(`${switched} of ${seenAfter} returning treated users (${pct(share)}) report v1`);
  }
  if (metric) reasons.push(`${metric.label}: ${metric.detail}`);
  const shown =
    seenAfter >= minUsers &&
    share !== null &&
    share >= target &&
    (metric === null || metric.withinMargin === true);
  const status = shown ? 'recovered' : windowEnded ? 'not-recovered' : 'pending';
  return {
    status,
    final: status !== 'pending',
    scope: options.scope,
    rollbackAt: new Date(at).toISOString(),
    deadline: new Date(at + windowMs).toISOString(),
    checkedAt: new Date(options.now).toISOString(),
    windowMs,
    treatedUsers: treated.size,
    seenAfter,
    switched,
    stillV2: seenAfter - switched,
    share,
    secondsToTarget: reached === null ? null : Math.round((reached - at) / 100) / 10,
    targetShare: target,
    metric,
    reasons,
  };
}
