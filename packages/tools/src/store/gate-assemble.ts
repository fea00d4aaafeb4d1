// From the rows of the gate's SQL (gate-sql.ts) to a `StageAggregate` (gate/aggregate.ts), in the order
// and shape `aggregateStage` gives: strata in the order of the compared users' regions (sorted), regions
// with nobody left out, families sorted, moments of 0/1 values with Σx² = Σx.
import type { Family } from 'token-rollout/core';
import type { MetricStatistics, StageAggregate } from '../gate/aggregate.js';
import type { ControlSource } from '../gate/control.js';
import { CONTINUOUS, type ContinuousMetric } from '../gate/per-user.js';
import type { RatioMoments } from '../gate/stats/ratio.js';
import type { StratumMoments } from '../gate/stats/stratify.js';
import type { Moments } from '../gate/stats/summary.js';
import { PAGE_METRICS } from '../gate/thresholds.js';
import * as sql from './gate-sql.js';
import type { Rows } from './types.js';

/** A stage's p75 of the treatment group's v2 page loads (null without any). */
export interface PageP75 {
  fcp: number | null;
  theme: number | null;
}

/** The query results an aggregate is made of. */
export interface Parts {
  stage: string;
  tagged: boolean;
  source: ControlSource;
  caps: Partial<Record<ContinuousMetric, number>>;
  continuous: Rows;
  binary: Rows;
  levels: Rows[number];
  p75: PageP75;
  families: Rows;
  groups: Rows;
}

/** A number from a row (0 for NULL). */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const side = (row: Rows[number]): 'treatment' | 'control' =>
  row.side === 'treatment' ? 'treatment' : 'control';
const moments = (n: number, sum: number, sumSquares = sum): Moments => ({ n, sum, sumSquares });

/** Moments per region (in `regions` order, regions with nobody left out) from rows of side × region. */
function strata(
  rows: Rows,
  regions: readonly string[],
  pick: (row: Rows[number]) => Moments,
): StratumMoments[] {
  const out = regions.map((stratum) => ({
    stratum,
    control: moments(0, 0, 0),
    treatment: moments(0, 0, 0),
  }));
  for (const row of rows) {
    const at = regions.indexOf(String(row.region ?? ''));
    if (at >= 0) out[at]![side(row)] = pick(row);
  }
  return out.filter((s) => s.control.n + s.treatment.n > 0);
}

function ratio(levels: Rows[number], c: 'fcp' | 'theme', k: 0 | 1): RatioMoments {
  const a = `l_${c}_over${k}`;
  return {
    n: num(levels[`l_${c}_users`]),
    sumA: num(levels[a]),
    sumB: num(levels[`l_${c}_loads`]),
    sumAA: num(levels[`${a}_sq`]),
    sumBB: num(levels[`l_${c}_loads_sq`]),
    sumAB: num(levels[`${a}_x`]),
  };
}

/** The stage's aggregate (its span, `firstAt` and `lastAt`, is the caller's to set). */
export function assemble(p: Parts): StageAggregate {
  const regions = [...new Set(p.binary.map((r) => String(r.region ?? '')))].sort();
  const metrics = {} as StageAggregate['metrics'];
  for (const m of PAGE_METRICS) {
    if ((CONTINUOUS as readonly string[]).includes(m)) {
      const cap = p.caps[m as ContinuousMetric];
      const rows = p.continuous.filter((r) => r.metric === m);
      metrics[m] = (
        cap === undefined
          ? { cap: null, strata: [] }
          : { cap, strata: strata(rows, regions, (r) => moments(num(r.n), num(r.s), num(r.ss))) }
      ) satisfies MetricStatistics;
    } else {
      const column = m === 'error-rate' ? 'errored' : 'converted';
      metrics[m] = { cap: null, strata: strata(p.binary, regions, (r) => moments(num(r.n), num(r[column]))) };
    }
  }
  const bySide = (s: 'treatment' | 'control', column: string) =>
    p.binary.filter((r) => side(r) === s).reduce((n, r) => n + num(r[column]), 0);
  const treatment = bySide('treatment', 'n');
  const names = [...new Set(p.families.filter((r) => num(r.v2) > 0).map((r) => String(r.family)))].sort();
  const rowsOf = (bits: number) => p.groups.filter((r) => r.stage === p.stage && num(r.g) === bits);
  const inStage = (bits: number) => rowsOf(bits).reduce((n, r) => n + num(r.n), 0);
  const [treatedRows, controlRows] = [rowsOf(sql.FLAG.treatment), rowsOf(sql.FLAG.control)];
  return {
    stage: p.stage,
    metrics,
    families: names.map((family) => {
      const rows = p.families.filter((r) => r.family === family);
      const treated = rows.filter((r) => side(r) === 'treatment');
      const fallbacks = treated.reduce((n, r) => n + num(r.fallbacks), 0);
      return {
        family: family as Family,
        errorsTagged: p.tagged,
        errors: strata(rows, regions, (r) => moments(num(r.n), num(r.hits))),
        fallbacks: moments(
          treated.reduce((n, r) => n + num(r.n), 0),
          fallbacks,
        ),
      };
    }),
    levels: {
      pages: {
        fcp: {
          users: num(p.levels.l_fcp_users),
          loads: num(p.levels.l_fcp_loads),
          beyond: [ratio(p.levels, 'fcp', 0), ratio(p.levels, 'fcp', 1)],
          p75: p.p75.fcp,
        },
        'theme-switch': {
          users: num(p.levels.l_theme_users),
          loads: num(p.levels.l_theme_loads),
          beyond: [ratio(p.levels, 'theme', 0), ratio(p.levels, 'theme', 1)],
          p75: p.p75.theme,
        },
      },
      errorRate: moments(treatment, bySide('treatment', 'errored')),
      conversion: moments(treatment, bySide('treatment', 'converted')),
    },
    users: {
      treatment,
      control: bySide('control', 'n'),
      ineligible: inStage(0),
      assignmentChanged: inStage(sql.GROUP_MASK),
      optedOut: { treatment: bySide('treatment', 'opted_out'), control: bySide('control', 'opted_out') },
      fellBack: bySide('treatment', 'fell_back'),
      refunds: bySide('treatment', 'refunds_n') + bySide('control', 'refunds_n'),
    },
    regions,
    firstAt: 0,
    lastAt: 0,
    control: p.source,
    split: {
      treatment: inStage(sql.FLAG.treatment),
      control: inStage(sql.FLAG.control),
      treatmentMaxBucket: treatedRows.length > 0 ? Math.max(...treatedRows.map((r) => num(r.b_hi))) : null,
      controlMinBucket: controlRows.length > 0 ? Math.min(...controlRows.map((r) => num(r.b_lo))) : null,
    },
  };
}
