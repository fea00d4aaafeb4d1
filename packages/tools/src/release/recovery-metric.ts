// A plain comparison for the recovery check when the gate does not supply its own: after the flip, the
// users who had been treated against everyone else seen, on the metric that triggered the rollback, with
// the gate's margin (gate/thresholds.ts). It asks whether the regression persists: the metric is "back
// within its margin" unless the data show a harm beyond the margin (the one-sided 95 % lower bound of the
// harm above it). A bare point estimate cannot be held to a margin that small: one JS error at the v1 base
// rate among 80 formerly treated users is 1.2 points against a 0.1-point margin. The bound is Newcombe's
// score interval for a difference of rates, and the delta method for a relative difference of per-user
// means (gate/stats/effect.ts); the gate's sequential comparison is the rigorous one.
import { effectOf } from '../gate/stats/effect.js';
import { normalQuantile } from '../gate/stats/normal.js';
import { summarize } from '../gate/stats/summary.js';
import { METRIC_RULES, type PageMetric } from '../gate/thresholds.js';
import type { MetricCheck, MetricComparison, RecoveryEvent } from './recovery.js';

/** The event each gate metric is read from. */
const EVENT_OF: Readonly<Record<PageMetric, string>> = {
  'error-rate': 'js-error',
  fcp: 'fcp',
  conversion: 'conversion',
  memory: 'memory',
  'theme-switch': 'theme-switch',
};

/** True when `name` is one of the gate's page metrics. */
export function isPageMetric(name: string): name is PageMetric {
  return Object.hasOwn(METRIC_RULES, name);
}

/** The one-sided confidence with which a harm beyond the margin must be shown to say it persists. */
const CONFIDENCE = 0.95;
const Z = normalQuantile(CONFIDENCE);

/** Users of `users` in `hit`. */
function countIn(users: ReadonlySet<string>, hit: ReadonlySet<string>): number {
  let n = 0;
  for (const u of users) if (hit.has(u)) n++;
  return n;
}

/** Each user's mean of their values (users without one are left out). */
function userMeans(users: ReadonlySet<string>, values: ReadonlyMap<string, number[]>): number[] {
  const means: number[] = [];
  for (const u of users) {
    const list = values.get(u);
    if (list && list.length > 0) means.push(list.reduce((a, b) => a + b, 0) / list.length);
  }
  return means;
}

/** A harm (positive = worse), its lower bound, and the words for the two sides. */
interface Harm {
  estimate: number;
  lower: number;
  text: string;
}

/** Wilson's score interval of a share x / n at `Z` (each bound one-sided at CONFIDENCE). */
function wilson(x: number, n: number): { lower: number; upper: number } {
  const p = x / n;
  const z2 = Z * Z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { lower: Math.max(0, center - half), upper: Math.min(1, center + half) };
}

/**
 * A rate: the share of users with the event, formerly treated minus others, signed so that harm is positive.
 * The bound is Newcombe's hybrid score interval of a difference of shares (Wilson's interval on each side):
 * it stays honest at rates near zero (0 of n claims no certainty) without the wide intervals of a normal
 * approximation with pseudo-counts.
 */
function rateHarm(
  seen: { treated: ReadonlySet<string>; others: ReadonlySet<string> },
  hit: ReadonlySet<string>,
  sign: number,
): Harm {
  const nt = seen.treated.size;
  const no = seen.others.size;
  const xt = countIn(seen.treated, hit);
  const xo = countIn(seen.others, hit);
  const [pt, po] = [xt / nt, xo / no];
  const t = wilson(xt, nt);
  const o = wilson(xo, no);
  const lower =
    sign > 0
      ? pt - po - Math.hypot(pt - t.lower, o.upper - po)
      : po - pt - Math.hypot(t.upper - pt, po - o.lower);
  return {
    estimate: sign * (pt - po),
    lower,
    text: `formerly treated ${(pt * 100).toFixed(2)} % vs others ${(po * 100).toFixed(2)} % (${nt} / ${no} users)`,
  };
}

/** A mean: the relative difference of per-user means, formerly treated against others; null when not computable. */
function meanHarm(treated: readonly number[], others: readonly number[], sign: number): Harm | null {
  const t = summarize(treated);
  const o = summarize(others);
  const effect = effectOf(o, t, 'relative');
  if (effect === null) return null;
  return {
    estimate: sign * effect.estimate,
    lower: sign * effect.estimate - Z * effect.se,
    text: `formerly treated ${t.mean.toFixed(1)} vs others ${o.mean.toFixed(1)} (user means, ${t.n} / ${o.n} users)`,
  };
}

/** The comparison for one of the gate's metrics (`error-rate`, `fcp`, `conversion`, `memory`, `theme-switch`). */
export function plainMetricComparison(metric: PageMetric): MetricComparison {
  const rule = METRIC_RULES[metric];
  const eventName = EVENT_OF[metric];
  return ({ treated, after }): MetricCheck => {
    const seen = { treated: new Set<string>(), others: new Set<string>() };
    const hit = new Set<string>();
    const values = new Map<string, number[]>();
    for (const e of after as readonly RecoveryEvent[]) {
      (treated.has(e.user) ? seen.treated : seen.others).add(e.user);
      if (e.name !== eventName) continue;
      const v = typeof e.value === 'number' ? e.value : 1;
      if (rule.binary ? v > 0 : Number.isFinite(v)) hit.add(e.user);
      if (!rule.binary) values.set(e.user, [...(values.get(e.user) ?? []), v]);
    }
    const base = { metric, label: rule.label, margin: rule.margin };
    if (seen.treated.size === 0 || seen.others.size === 0) {
      return {
        ...base,
        estimate: null,
        withinMargin: null,
        detail: 'no users on one side after the flip: not compared',
      };
    }
    const sign = rule.worse === 'higher' ? 1 : -1;
    const harm = rule.binary
      ? rateHarm(seen, hit, sign)
      : meanHarm(userMeans(seen.treated, values), userMeans(seen.others, values), sign);
    if (harm === null) {
      return { ...base, estimate: null, withinMargin: null, detail: 'no values on one side: not compared' };
    }
    const unit =
      rule.scale === 'absolute'
        ? (x: number) => `${(x * 100).toFixed(2)} pt`
        : (x: number) => `${(x * 100).toFixed(1)} %`;
    // Within unless a harm beyond the margin is shown: the regression no longer shows in the pages.
    const within = harm.lower <= rule.margin;
    return {
      ...base,
      estimate: harm.estimate,
      withinMargin: within,
      detail: `${harm.text}: harm ${unit(harm.estimate)}, ${CONFIDENCE * 100} % lower bound ${unit(harm.lower)} ${within ? '≤' : '>'} margin ${unit(rule.margin)}`,
    };
  };
}
