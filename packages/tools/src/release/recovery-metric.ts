// A plain comparison for the recovery check when the gate does not supply its own: after the flip, the
// users who had been treated against everyone else seen, on the metric that triggered the rollback, with
// the gate's margin (gate/thresholds.ts). It compares point estimates (a share of users for rates, a
// relative difference of per-user means otherwise): good enough to see a regression persist in pages that
// still render v2; the gate's sequential comparison is the rigorous one.
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

function rateOf(users: ReadonlySet<string>, hit: ReadonlySet<string>): number {
  let n = 0;
  for (const u of users) if (hit.has(u)) n++;
  return n / users.size;
}

function meanOf(users: ReadonlySet<string>, values: ReadonlyMap<string, number[]>): number | null {
  const means: number[] = [];
  for (const u of users) {
    const list = values.get(u);
    if (list && list.length > 0) means.push(list.reduce((a, b) => a + b, 0) / list.length);
  }
  return means.length === 0 ? null : means.reduce((a, b) => a + b, 0) / means.length;
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
    let harm: number | null;
    let text: string;
    if (rule.binary) {
      const t = rateOf(seen.treated, hit);
      const o = rateOf(seen.others, hit);
      harm = sign * (t - o);
      text = `formerly treated ${(t * 100).toFixed(2)} % vs others ${(o * 100).toFixed(2)} % (${seen.treated.size} / ${seen.others.size} users)`;
    } else {
      const t = meanOf(seen.treated, values);
      const o = meanOf(seen.others, values);
      harm = t === null || o === null || o === 0 ? null : sign * (t / o - 1);
      text =
        t === null || o === null
          ? 'no values on one side'
          : `formerly treated ${t.toFixed(1)} vs others ${o.toFixed(1)} (user means)`;
    }
    const unit =
      rule.scale === 'absolute'
        ? (x: number) => `${(x * 100).toFixed(2)} pt`
        : (x: number) => `${(x * 100).toFixed(1)} %`;
    if (harm === null)
      return { ...base, estimate: null, withinMargin: null, detail: `${text}: not compared` };
    const within = harm <= rule.margin;
    return {
      ...base,
      estimate: harm,
      withinMargin: within,
      detail: `${text}: harm ${unit(harm)} ${within ? '≤' : '>'} margin ${unit(rule.margin)}`,
    };
  };
}
