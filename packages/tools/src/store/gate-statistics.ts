// Runs the gate's SQL (gate-sql.ts) in one store session and assembles what `decideStage` takes: a
// `StageAggregate` (gate/aggregate.ts), the stages in the data and the input summary. The stage is chosen
// and the control found as gate/evaluate.ts (`evaluateTally`, `earlierStages`) and gate/control.ts
// (`chooseControl`) do, from per-stage counts instead of per-user records.
import type { StageAggregate } from '../gate/aggregate.js';
import { type ControlSource, MIN_USERS_TO_DECIDE } from '../gate/control.js';
import { emptyInput } from '../gate/evaluate.js';
import { CONTINUOUS, type ContinuousMetric } from '../gate/per-user.js';
import type { InputSummary } from '../gate/report.js';
import { screenEvent } from '../gate/screen.js';
import { PLAN_STAGES } from '../gate/thresholds.js';
import { dialectOf } from './dialect.js';
import { assemble, num, type PageP75 } from './gate-assemble.js';
import * as sql from './gate-sql.js';
import { fromRow } from './rows.js';
import type { EventStore, Rows } from './types.js';

/** One stage's admitted events: their span in server time, and whether its js-errors name families. */
export interface StageSpan {
  stage: string;
  firstAt: number;
  lastAt: number;
  tagged: boolean;
  /** The p75 of the treatment group's v2 page loads (null without any). */
  p75: PageP75;
}

/** What the store's SQL gives the gate: everything `decideStage` needs, and nothing per user. */
export interface StoreGateStatistics {
  /** The judged stage, or null when no stage has data. */
  stage: string | null;
  aggregate: StageAggregate | null;
  /** Stages with data, latest last (as `stagesByLatest`). */
  stagesInData: string[];
  input: InputSummary;
}

/** Which stage to aggregate: `stage` as given, else `prefer` when it has data, else the latest. */
export interface StatisticsRequest {
  stage?: string;
  prefer?: string | null;
  stageOrder?: readonly string[];
}

/** Samples of left-out events in a report (tally.ts keeps as many). */
const MAX_SAMPLES = 5;
const nullable = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The gate's sufficient statistics for one stage, computed in the store. */
export async function gateStatistics(
  store: EventStore,
  request: StatisticsRequest = {},
): Promise<StoreGateStatistics> {
  const d = dialectOf(store.engine);
  return store.session(async (s) => {
    const stageRows = await s.query(sql.stagesQuery(d, store.table));
    const { spans, input } = readStages(stageRows);
    const excluded = Object.values(input.excluded).reduce((a, b) => a + b, 0);
    if (excluded > 0) {
      // The report's samples, as the gate's screen words them, of the first rows it leaves out.
      for (const row of await s.query(sql.excludedQuery(d, store.table, MAX_SAMPLES))) {
        const screened = screenEvent(fromRow(row), 'server');
        if (!screened.ok) input.excludedSamples.push(`${screened.reason}: ${screened.detail}`);
      }
    }
    const stagesInData = [...spans.values()]
      .sort((a, b) => a.lastAt - b.lastAt || a.firstAt - b.firstAt || (a.stage < b.stage ? -1 : 1))
      .map((x) => x.stage);
    const preferred = request.prefer != null && spans.has(request.prefer) ? request.prefer : undefined;
    const stage = request.stage ?? preferred ?? stagesInData[stagesInData.length - 1] ?? null;
    if (stage === null) return { stage, aggregate: null, stagesInData, input };
    const earlier = earlierStages(spans, stage, request.stageOrder ?? PLAN_STAGES);
    await s.run(sql.usersTable(d, store.table, [stage, ...earlier]));
    const groups = await s.query(sql.groupsQuery(d));
    const { source, from } = chooseControl(groups, stage, earlier);
    await s.run(sql.familiesTable(d, store.table, from === null || from === stage ? [stage] : [stage, from]));
    const pop = sql.population(d, stage, from);
    const capRow = (await s.query(sql.capsQuery(d, pop)))[0] ?? {};
    const caps: Partial<Record<ContinuousMetric, number>> = {};
    for (const m of CONTINUOUS) {
      const cap = capRow[sql.CONTINUOUS_COLUMNS[m]];
      if (cap !== null && cap !== undefined) caps[m] = Number(cap);
    }
    const continuousSql = sql.continuousQuery(pop, caps);
    const tagged = spans.get(stage)?.tagged ?? false;
    const [continuous, binary, levels, families] = [
      continuousSql === null ? [] : await s.query(continuousSql),
      await s.query(sql.binaryQuery(d, pop)),
      (await s.query(sql.levelsQuery(d, pop)))[0] ?? {},
      await s.query(sql.familiesQuery(d, pop, tagged)),
    ];
    const span = spans.get(stage);
    const p75 = span?.p75 ?? { fcp: null, theme: null };
    const aggregate = assemble({
      stage,
      tagged,
      source,
      caps,
      continuous,
      binary,
      levels,
      p75,
      families,
      groups,
    });
    aggregate.firstAt = span?.firstAt ?? 0;
    aggregate.lastAt = span?.lastAt ?? 0;
    return { stage, aggregate, stagesInData, input };
  });
}

function readStages(rows: Rows): { spans: Map<string, StageSpan>; input: InputSummary } {
  const spans = new Map<string, StageSpan>();
  const input: InputSummary = emptyInput();
  for (const row of rows) {
    input.events += num(row.events);
    input.excluded.invalid += num(row.invalid);
    input.excluded['no-assignment'] += num(row.no_assignment);
    if (row.stage_name === null) input.excluded['no-stage'] += num(row.admitted);
    else if (num(row.admitted) > 0) {
      const stage = String(row.stage_name);
      spans.set(stage, {
        stage,
        firstAt: num(row.first_at),
        lastAt: num(row.last_at),
        tagged: num(row.tagged) > 0,
        p75: { fcp: nullable(row.p75_fcp), theme: nullable(row.p75_theme) },
      });
    }
  }
  return { spans, input };
}

/** Stages before `stage` to take a historical control from, nearest first (evaluate.ts `earlierStages`). */
function earlierStages(spans: Map<string, StageSpan>, stage: string, order: readonly string[]): string[] {
  const result: string[] = [];
  for (let i = order.indexOf(stage) - 1; i >= 0; i--) if (spans.has(order[i]!)) result.push(order[i]!);
  const current = spans.get(stage);
  const others = [...spans.values()]
    .filter((s) => s.stage !== stage && !result.includes(s.stage) && !order.includes(s.stage))
    .filter((s) => current === undefined || s.lastAt <= current.firstAt)
    .sort((a, b) => b.lastAt - a.lastAt);
  return [...result, ...others.map((s) => s.stage)];
}

/** The control (control.ts `chooseControl`) from users per stage × group × region. */
function chooseControl(
  groups: Rows,
  stage: string,
  earlier: readonly string[],
): { source: ControlSource; from: string | null } {
  const regions = (of: string, bits: number) =>
    new Set(groups.filter((r) => r.stage === of && num(r.g) === bits).map((r) => String(r.region ?? '')));
  const controls = (of: string) =>
    groups.filter((r) => r.stage === of && num(r.g) === sql.FLAG.control).reduce((n, r) => n + num(r.n), 0);
  if (controls(stage) >= MIN_USERS_TO_DECIDE) return { source: { kind: 'concurrent' }, from: stage };
  for (const other of earlier) {
    const users = controls(other);
    if (users < MIN_USERS_TO_DECIDE) continue;
    const covered = regions(other, sql.FLAG.control);
    const regionsWithout = [...regions(stage, sql.FLAG.treatment)].filter((r) => !covered.has(r)).sort();
    return { source: { kind: 'historical', stage: other, users, regionsWithout }, from: other };
  }
  const reason =
    earlier.length === 0
      ? `fewer than ${MIN_USERS_TO_DECIDE} control users in ${stage} and no earlier stage in the data`
      : `fewer than ${MIN_USERS_TO_DECIDE} control users in ${stage} and in every earlier stage in the data`;
  return { source: { kind: 'none', reason }, from: null };
}
