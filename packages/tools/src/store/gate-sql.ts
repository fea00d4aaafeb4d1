// THE GATE'S PER-USER AGGREGATION IN SQL: the definition in gate/per-user.ts (UserRecord, addToUser), the
// stage bookkeeping of gate/tally.ts (addToTally) and the reduction of gate/aggregate.ts (aggregateStage)
// written once for both engines (dialect.ts). Node receives only sufficient statistics: a few rows per
// metric × group × region. gate-statistics.ts runs these statements in one session and assembles a
// `StageAggregate`; gate-sql.test.ts holds it equal to `aggregateStage` on the same events, on both engines.
//
// Statements, in order:
//   stagesQuery       one scan of every row: per stage, the screen's counts (screen.ts), the span of the
//                     admitted rows, whether any js-error names its family, the p75 of v2 page loads
//   usersTable        one scan of the admitted rows of the stages that can matter: a row per stage × user,
//                     its flags (group seen, errored, converted, opted out, fell back), region, refunds,
//                     per continuous metric Σ and n, per page metric v2 loads and loads beyond each level
//   groupsQuery       users per stage × group × region and their bucket bounds (Node picks the control as
//                     control.ts does, and reads the stage's split for gate/stats/sample-ratio.ts)
//   familiesTable     a row per stage × user × family: exposures, the first exposure's arm, errors, fallbacks
//   capsQuery, continuousQuery, binaryQuery, levelsQuery, familiesQuery: the statistics (over the tables)
import { ARMS, ASSIGNMENT_GROUPS, METRIC_NAMES, type MetricName, SIGNED_METRICS } from 'token-rollout/core';
import { CAP_PERCENTILES } from '../gate/capping.js';
import { PAGE_THRESHOLDS } from '../gate/levels.js';
import { CONTINUOUS, type ContinuousMetric } from '../gate/per-user.js';
import type { Dialect } from './dialect.js';
import { sqlNumber, sqlString } from './sql.js';

/** Bits of a per-user row's `flags`: what per-user.ts keeps as booleans, and the groups seen. */
export const FLAG = {
  errored: 1,
  converted: 2,
  optedOut: 4,
  fellBack: 8,
  treatment: 16,
  control: 32,
} as const;
/** `flags` under this mask: 16 = treatment only, 32 = control only, 48 = both (excluded), 0 = ineligible only. */
export const GROUP_MASK = 48;

export const USERS_TABLE = 'gate_users';
export const FAMILIES_TABLE = 'gate_families';

const list = (values: readonly string[]): string => `(${values.map(sqlString).join(', ')})`;

/** Column prefixes of the continuous metrics in the users table, in CONTINUOUS order. */
export const CONTINUOUS_COLUMNS: Readonly<Record<ContinuousMetric, string>> = {
  fcp: 'fcp',
  memory: 'mem',
  'theme-switch': 'theme',
};

/**
 * The screen of gate/screen.ts on a row: `valid` (the contract's checks on what the statistics read:
 * the metric, the arm, a value of the right kind and sign, a known assignment when there is one) and the
 * assignment with NULL as ''. NULL-free, so that both engines read NOT(valid) alike; no CASE, which
 * ClickHouse 18.16 evaluates branch by branch over every row.
 */
function screen(d: Dialect): { valid: string; assignment: string } {
  const value = d.engine === 'duckdb' ? "coalesce(value_num, 'NaN'::DOUBLE)" : 'ifNull(value_num, nan)';
  const signed = list([...SIGNED_METRICS]);
  const valueOk =
    `(name = 'fallback' AND coalesce(value_text, '') <> '') OR ` +
    `(name <> 'fallback' AND ${d.isFinite(value)} AND (${value} >= 0 OR name IN ${signed}))`;
  const assignment = "coalesce(assignment, '')";
  const valid = `(name IN ${list(METRIC_NAMES)} AND arm IN ${list(ARMS)} AND (${valueOk}) AND (${assignment} = '' OR ${assignment} IN ${list(ASSIGNMENT_GROUPS)}))`;
  return { valid, assignment };
}

/** A small integer per metric name (1-based, METRIC_NAMES order): integer tests in the per-user pass. */
const code = (name: MetricName): number => METRIC_NAMES.indexOf(name) + 1;
const nameCode = `CASE name ${METRIC_NAMES.map((n) => `WHEN ${sqlString(n)} THEN ${code(n)}`).join(' ')} ELSE 0 END`;

/**
 * The admitted rows (screened, with an assignment, in a stage), optionally of some stages only, as codes:
 * st (stage), uh (user), m (metric code), v (value), g (group: 1 treatment, 2 control, 0 ineligible),
 * ac (arm: 1 v1, 2 v2, 3 mixed), reg (region), rat (receive time), tb (the store's order), fam (family or
 * ''), bk (bucket). Renamed because ClickHouse resolves an alias everywhere in a query: an output named
 * like an input column would be read back into its own aggregate.
 */
function admitted(d: Dialect, table: string, stages?: readonly string[], also?: string): string {
  const { valid, assignment } = screen(d);
  const value = d.engine === 'duckdb' ? 'coalesce(value_num, 0)' : 'ifNull(value_num, 0)';
  const only = [stages === undefined ? '' : `stage IN ${list(stages)}`, also ?? '']
    .filter(Boolean)
    .join(' AND ');
  // ClickHouse reads `only` first (PREWHERE) and evaluates the screen on the rows it keeps; 18.16 neither
  // pushes an outer WHERE into a subquery nor stops at a false operand of AND.
  const where =
    d.engine === 'clickhouse' && only !== ''
      ? `PREWHERE ${only} WHERE stage IS NOT NULL AND ${valid} AND ${assignment} <> ''`
      : `WHERE stage IS NOT NULL AND ${valid} AND ${assignment} <> ''${only ? ` AND ${only}` : ''}`;
  return (
    `SELECT ${d.notNull('stage')} AS st, user_hash AS uh, ${nameCode} AS m, ${value} AS v, ` +
    `CASE ${assignment} WHEN 'treatment' THEN 1 WHEN 'control' THEN 2 ELSE 0 END AS g, ` +
    "CASE arm WHEN 'v1' THEN 1 WHEN 'v2' THEN 2 ELSE 3 END AS ac, region AS reg, " +
    `received_at AS rat, ${d.tie} AS tb, coalesce(family, '') AS fam, bucket AS bk FROM ${table} ${where}`
  );
}

/**
 * Per stage (NULL: rows outside a stage): rows, the screen's exclusions, the admitted span, whether any
 * js-error names its family, and the p75 of the treatment group's v2 page loads (tally.ts `v2Values`).
 */
export function stagesQuery(d: Dialect, table: string): string {
  const { valid, assignment } = screen(d);
  const ok = `${valid} AND ${assignment} <> ''`;
  const v2Loads = (name: string) =>
    d.quantileIf(
      'value_num',
      0.75,
      `${ok} AND ${assignment} = 'treatment' AND arm IN ('v2', 'mixed') AND name = '${name}'`,
    );
  return (
    `SELECT ${d.str('stage')} AS stage_name, count(*) AS events, ${d.countIf(`NOT ${valid}`)} AS invalid, ` +
    `${d.countIf(`${valid} AND ${assignment} = ''`)} AS no_assignment, ${d.countIf(ok)} AS admitted, ` +
    `${d.minIf('received_at', ok)} AS first_at, ${d.maxIf('received_at', ok)} AS last_at, ` +
    `${d.countIf(`${ok} AND ${assignment} <> 'ineligible' AND name = 'js-error' AND coalesce(family, '') <> ''`)} AS tagged, ` +
    `${v2Loads('fcp')} AS p75_fcp, ${v2Loads('theme-switch')} AS p75_theme ` +
    `FROM ${table} GROUP BY stage`
  );
}

/** The first rows the screen leaves out, in the store's order: the report's samples (screen.ts says why). */
export function excludedQuery(d: Dialect, table: string, limit: number): string {
  const { valid, assignment } = screen(d);
  return (
    `SELECT * FROM ${table} WHERE NOT (${valid} AND ${assignment} <> '' AND stage IS NOT NULL) ` +
    `ORDER BY received_at, ${d.tie} LIMIT ${limit}`
  );
}

/** Creates the per stage × user table (gate/per-user.ts `UserRecord`, as bits and sums). */
export function usersTable(d: Dialect, table: string, stages: readonly string[]): string {
  const el = 'g > 0';
  // g * 16 is FLAG.treatment (g = 1) or FLAG.control (g = 2); the rest are per-user.ts's booleans.
  const flag =
    `CASE WHEN g = 0 THEN 0 WHEN m = ${code('js-error')} THEN ${FLAG.errored} ` +
    `WHEN m = ${code('conversion')} AND v > 0 THEN ${FLAG.converted} WHEN m = ${code('opt-out')} AND v = 1 THEN ${FLAG.optedOut} ` +
    `WHEN m = ${code('fallback')} THEN ${FLAG.fellBack} ELSE 0 END`;
  const metrics = CONTINUOUS.map((name) => {
    const c = CONTINUOUS_COLUMNS[name];
    const is = `${el} AND m = ${code(name)}`;
    return `${d.sumIf('v', is)} AS ${c}_sum, ${d.countIf(is)} AS ${c}_n`;
  });
  const loads = (['fcp', 'theme-switch'] as const).map((name) => {
    const c = CONTINUOUS_COLUMNS[name];
    const [rollback, target] = PAGE_THRESHOLDS[name];
    const page = `${el} AND m = ${code(name)} AND ac > 1`;
    return (
      `${d.countIf(page)} AS ${c}_loads, ${d.countIf(`${page} AND v > ${sqlNumber(rollback)}`)} AS ${c}_over0, ` +
      `${d.countIf(`${page} AND v >= ${sqlNumber(target)}`)} AS ${c}_over1`
    );
  });
  const select =
    `SELECT st AS stage, uh AS user_hash, ${d.bitOr(`g * 16 + ${flag}`)} AS flags, ` +
    `${d.argMinIf('reg', 'rat', 'tb', el)} AS region, ` +
    `${d.countIf(`${el} AND m = ${code('conversion')} AND v < 0`)} AS refunds, ${metrics.join(', ')}, ${loads.join(', ')}, ` +
    `${d.minIf('bk', el)} AS b_min, ${d.maxIf('bk', el)} AS b_max ` +
    `FROM (${admitted(d, table, stages)}) AS t GROUP BY st, uh`;
  return d.createTemp(USERS_TABLE, select);
}

/**
 * Users per stage × group bits × region, with their lowest and highest bucket: the control's choice and
 * its regions, conflicts, ineligible, and the stage's split (gate/aggregate.ts `splitOf`).
 */
export function groupsQuery(d: Dialect): string {
  const g = d.bits('flags', GROUP_MASK);
  return (
    `SELECT stage, ${g} AS g, region, count(*) AS n, min(b_min) AS b_lo, max(b_max) AS b_hi ` +
    `FROM ${USERS_TABLE} GROUP BY stage, ${g}, region`
  );
}

/** Creates the per stage × user × family table: exposures (the first one's arm), errors and fallbacks. */
export function familiesTable(d: Dialect, table: string, stages: readonly string[]): string {
  const [exposure, error, fallback] = [code('exposure'), code('js-error'), code('fallback')];
  const select =
    `SELECT st AS stage, uh AS user_hash, fam AS family, ${d.countIf(`m = ${exposure}`)} AS n_exp, ` +
    `${d.argMinIf('ac', 'rat', 'tb', `m = ${exposure}`)} AS first_arm, ` +
    `${d.countIf(`m = ${error}`)} AS n_err, ${d.countIf(`m = ${fallback}`)} AS n_fb ` +
    `FROM (${admitted(d, table, stages, "family <> '' AND name IN ('exposure', 'js-error', 'fallback') AND assignment IN ('treatment', 'control')")}) AS t ` +
    'GROUP BY st, uh, fam';
  return d.createTemp(FAMILIES_TABLE, select);
}

/**
 * The compared users (gate/aggregate.ts `population`): the stage's treatment users and the control
 * stage's control users, each seen in one group only.
 */
export function population(d: Dialect, stage: string, control: string | null): string {
  const g = d.bits('flags', GROUP_MASK);
  const side = (name: string, from: string, bits: number) =>
    `SELECT ${sqlString(name)} AS side, stage, user_hash, region, flags, refunds, ` +
    'fcp_sum, fcp_n, mem_sum, mem_n, theme_sum, theme_n, fcp_loads, fcp_over0, fcp_over1, ' +
    `theme_loads, theme_over0, theme_over1 FROM ${USERS_TABLE} WHERE stage = ${sqlString(from)} AND ${g} = ${bits}`;
  const treated = side('treatment', stage, FLAG.treatment);
  return control === null ? treated : `${treated} UNION ALL ${side('control', control, FLAG.control)}`;
}

/** Each continuous metric's cap (capping.ts): the percentile of the pooled per-user means. */
export function capsQuery(d: Dialect, pop: string): string {
  const caps = CONTINUOUS.map((m) => {
    const c = CONTINUOUS_COLUMNS[m];
    return `${d.quantileIf(`${c}_sum / ${c}_n`, CAP_PERCENTILES[m], `${c}_n > 0`)} AS ${c}`;
  });
  return `SELECT ${caps.join(', ')} FROM (${pop}) AS t`;
}

/** Moments per group × region of the capped per-user means of each continuous metric that has a cap. */
export function continuousQuery(pop: string, caps: Partial<Record<ContinuousMetric, number>>): string | null {
  const parts = CONTINUOUS.filter((m) => caps[m] !== undefined).map((m) => {
    const c = CONTINUOUS_COLUMNS[m];
    const x = `least(${c}_sum / ${c}_n, ${sqlNumber(caps[m]!)})`;
    return (
      `SELECT ${sqlString(m)} AS metric, side, region, count(*) AS n, sum(x) AS s, sum(x * x) AS ss ` +
      `FROM (SELECT side, region, ${x} AS x FROM (${pop}) AS p WHERE ${c}_n > 0) AS t GROUP BY side, region`
    );
  });
  return parts.length === 0 ? null : parts.join(' UNION ALL ');
}

/** Per group × region: users, and how many errored, converted, opted out, fell back; refunds. */
export function binaryQuery(d: Dialect, pop: string): string {
  const count = (bit: number) => `sum(CASE WHEN ${d.bits('flags', bit)} <> 0 THEN 1 ELSE 0 END)`;
  return (
    `SELECT side, region, count(*) AS n, ${count(FLAG.errored)} AS errored, ${count(FLAG.converted)} AS converted, ` +
    `${count(FLAG.optedOut)} AS opted_out, ${count(FLAG.fellBack)} AS fell_back, sum(refunds) AS refunds_n ` +
    `FROM (${pop}) AS t GROUP BY side, region`
  );
}

/** Treatment users' v2 page loads per page metric: users with any, Σ loads, and the ratio moments. */
export function levelsQuery(d: Dialect, pop: string): string {
  // Outputs are prefixed (l_): see `admitted` on ClickHouse's aliases.
  const parts = (['fcp', 'theme'] as const).map((c) => {
    const pair = (a: string) =>
      `sum(${a}) AS l_${a}, sum(${a} * ${a}) AS l_${a}_sq, sum(${a} * ${c}_loads) AS l_${a}_x`;
    return (
      `${d.countIf(`${c}_loads > 0`)} AS l_${c}_users, sum(${c}_loads) AS l_${c}_loads, ` +
      `sum(${c}_loads * ${c}_loads) AS l_${c}_loads_sq, ${pair(`${c}_over0`)}, ${pair(`${c}_over1`)}`
    );
  });
  return `SELECT ${parts.join(', ')} FROM (${pop}) AS t WHERE side = 'treatment'`;
}

/**
 * Per family × group × region: users exposed to the family, how many had an error (tagged with the family
 * when the stage's errors are tagged, else any), how many fell back, and whether a treatment user's
 * first exposure to it rendered v2 (which families are compared).
 */
export function familiesQuery(d: Dialect, pop: string, tagged: boolean): string {
  const hit = tagged ? 'n_err > 0' : `${d.bits('flags', FLAG.errored)} <> 0`;
  return (
    `SELECT family, side, region, count(*) AS n, sum(CASE WHEN ${hit} THEN 1 ELSE 0 END) AS hits, ` +
    'sum(CASE WHEN n_fb > 0 THEN 1 ELSE 0 END) AS fallbacks, ' +
    "max(CASE WHEN side = 'treatment' AND first_arm = 2 THEN 1 ELSE 0 END) AS v2 " +
    `FROM (SELECT side, stage, user_hash, region, flags FROM (${pop}) AS p) AS p ` +
    `INNER JOIN (SELECT stage, user_hash, family, n_err, n_fb, first_arm FROM ${FAMILIES_TABLE} WHERE n_exp > 0) AS f ` +
    'USING (stage, user_hash) GROUP BY family, side, region'
  );
}
