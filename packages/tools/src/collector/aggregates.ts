// The collector's aggregates (GET /aggregates, the dashboard's table): per arm × stage × family × metric
// count, mean and quantiles, fallback reasons, page-level rates per arm × stage and distinct users per arm.
// One SQL query over the event store (both engines, store/dialect.ts), so the collector's memory does not
// grow with the events it stores; the collector caches the answer by the store's event count.
import type { Arm, Family, MetricName } from 'token-rollout/core';
import { type Dialect, dialectOf } from '../store/dialect.js';
import { sqlString } from '../store/sql.js';
import type { EventStore, Rows } from '../store/types.js';

/** Filters for a read; a missing field matches everything. `stage: null` matches events outside any stage. */
export interface AggregateQuery {
  arm?: Arm;
  stage?: string | null;
  family?: Family;
  metric?: MetricName;
}

/** Distribution of one numeric metric in one arm × stage × family cell (family null = page level). */
export interface MetricRow {
  arm: Arm;
  stage: string | null;
  family: Family | null;
  metric: MetricName;
  count: number;
  mean: number | null;
  p50: number | null;
  p75: number | null;
  p95: number | null;
}

/** How often one fallback reason was reported in one cell. */
export interface FallbackRow {
  arm: Arm;
  stage: string | null;
  family: Family | null;
  reason: string;
  count: number;
}

/**
 * Page-level rates per arm × stage. Error rates: sessions with a js-error over sessions with a
 * page-view, and js-errors per page-view; conversion rate: users with a conversion over users.
 */
export interface RateRow {
  arm: Arm;
  stage: string | null;
  users: number;
  sessions: number;
  pageViews: number;
  pageViewSessions: number;
  jsErrors: number;
  errorSessions: number;
  errorSessionRate: number | null;
  errorsPerPageView: number | null;
  conversions: number;
  convertingUsers: number;
  conversionRate: number | null;
}

/** Distinct users, sessions and events per arm. */
export interface ArmRow {
  arm: Arm;
  users: number;
  sessions: number;
  events: number;
}

/** `GET /aggregates`. */
export interface AggregateSummary {
  events: number;
  arms: ArmRow[];
  rates: RateRow[];
  metrics: MetricRow[];
  fallbacks: FallbackRow[];
}

const COLUMNS = [
  'kind',
  'arm',
  'stage',
  'family',
  'label',
  'n',
  'mean',
  'p50',
  'p75',
  'p95',
  'users',
  'sessions',
  'page_views',
  'pv_sessions',
  'js_errors',
  'error_sessions',
  'conversions',
  'converting_users',
] as const;
type Column = (typeof COLUMNS)[number];
const TEXT = new Set<Column>(['kind', 'arm', 'stage', 'family', 'label']);

/** One branch of the UNION: every column, typed alike (ClickHouse 18.16 wants equal types), NULL when unset. */
function branch(d: Dialect, values: Partial<Record<Column, string>>, rest: string): string {
  const cells = COLUMNS.map((c) => {
    const value = values[c] ?? 'NULL';
    return `${TEXT.has(c) ? d.str(value) : d.num(value)} AS ${c}`;
  });
  return `SELECT ${cells.join(', ')} ${rest}`;
}

/** The summary's query: one UNION ALL of metric, fallback, rate, arm and total rows. */
export function aggregatesQuery(d: Dialect, table: string, query: AggregateQuery): string {
  const where = (parts: (string | false)[]) => {
    const list = parts.filter((p): p is string => p !== false);
    return list.length === 0 ? '' : `WHERE ${list.join(' AND ')}`;
  };
  const arm = query.arm !== undefined && `arm = ${sqlString(query.arm)}`;
  const stage =
    query.stage === null ? 'stage IS NULL' : query.stage !== undefined && `stage = ${sqlString(query.stage)}`;
  const family = query.family !== undefined && `family = ${sqlString(query.family)}`;
  const metric = query.metric !== undefined && `name = ${sqlString(query.metric)}`;
  const q = (x: number) => d.quantileIf('value_num', x, 'value_num IS NOT NULL');
  const metrics = branch(
    d,
    {
      kind: "'metric'",
      arm: 'arm',
      stage: 'stage',
      family: 'family',
      label: 'name',
      n: 'count(*)',
      mean: 'avg(value_num)',
      p50: q(0.5),
      p75: q(0.75),
      p95: q(0.95),
    },
    `FROM ${table} ${where(['value_num IS NOT NULL', arm, stage, family, metric])} GROUP BY arm, stage, family, name`,
  );
  const fallbacks =
    query.metric === undefined || query.metric === 'fallback'
      ? branch(
          d,
          {
            kind: "'fallback'",
            arm: 'arm',
            stage: 'stage',
            family: 'family',
            label: 'value_text',
            n: 'count(*)',
          },
          `FROM ${table} ${where(['value_text IS NOT NULL', arm, stage, family])} GROUP BY arm, stage, family, value_text`,
        )
      : null;
  const rates = branch(
    d,
    {
      kind: "'rate'",
      arm: 'arm',
      stage: 'stage',
      users: d.countDistinctIf('user_hash', '1 = 1'),
      sessions: d.countDistinctIf('session', '1 = 1'),
      page_views: d.countIf("name = 'page-view'"),
      pv_sessions: d.countDistinctIf('session', "name = 'page-view'"),
      js_errors: d.countIf("name = 'js-error'"),
      error_sessions: d.countDistinctIf('session', "name = 'js-error'"),
      conversions: d.countIf("name = 'conversion'"),
      converting_users: d.countDistinctIf('user_hash', "name = 'conversion'"),
    },
    `FROM ${table} ${where([arm, stage])} GROUP BY arm, stage`,
  );
  const arms = branch(
    d,
    {
      kind: "'arm'",
      arm: 'arm',
      users: d.countDistinctIf('user_hash', '1 = 1'),
      sessions: d.countDistinctIf('session', '1 = 1'),
      n: 'count(*)',
    },
    `FROM ${table} ${where([arm])} GROUP BY arm`,
  );
  const total = branch(d, { kind: "'total'", n: 'count(*)' }, `FROM ${table}`);
  return [metrics, fallbacks, rates, arms, total].filter((b) => b !== null).join(' UNION ALL ');
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const count = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const order = (a: { arm: Arm; stage: string | null }, b: { arm: Arm; stage: string | null }): number =>
  a.arm.localeCompare(b.arm) || (a.stage ?? '').localeCompare(b.stage ?? '');

/** The summary from the query's rows, sorted as the dashboard shows it. */
export function summaryOf(rows: Rows): AggregateSummary {
  const of = (kind: string) => rows.filter((r) => r.kind === kind);
  const metrics: MetricRow[] = of('metric')
    .map((r) => ({
      arm: String(r.arm) as Arm,
      stage: text(r.stage),
      family: text(r.family) as Family | null,
      metric: String(r.label) as MetricName,
      count: count(r.n),
      mean: r.mean === null ? null : Number(r.mean),
      p50: r.p50 === null ? null : Number(r.p50),
      p75: r.p75 === null ? null : Number(r.p75),
      p95: r.p95 === null ? null : Number(r.p95),
    }))
    .sort(
      (a, b) =>
        order(a, b) || (a.family ?? '').localeCompare(b.family ?? '') || a.metric.localeCompare(b.metric),
    );
  const fallbacks: FallbackRow[] = of('fallback')
    .map((r) => ({
      arm: String(r.arm) as Arm,
      stage: text(r.stage),
      family: text(r.family) as Family | null,
      reason: String(r.label),
      count: count(r.n),
    }))
    .sort((a, b) => order(a, b) || (a.family ?? '').localeCompare(b.family ?? '') || b.count - a.count);
  const rates: RateRow[] = of('rate')
    .map((r) => {
      const row = {
        arm: String(r.arm) as Arm,
        stage: text(r.stage),
        users: count(r.users),
        sessions: count(r.sessions),
        pageViews: count(r.page_views),
        pageViewSessions: count(r.pv_sessions),
        jsErrors: count(r.js_errors),
        errorSessions: count(r.error_sessions),
        conversions: count(r.conversions),
        convertingUsers: count(r.converting_users),
      };
      return {
        ...row,
        errorSessionRate: ratio(row.errorSessions, row.pageViewSessions),
        errorsPerPageView: ratio(row.jsErrors, row.pageViews),
        conversionRate: ratio(row.convertingUsers, row.users),
      };
    })
    .sort(order);
  const arms: ArmRow[] = of('arm')
    .map((r) => ({
      arm: String(r.arm) as Arm,
      users: count(r.users),
      sessions: count(r.sessions),
      events: count(r.n),
    }))
    .sort((a, b) => a.arm.localeCompare(b.arm));
  return { events: count(of('total')[0]?.n), arms, rates, metrics, fallbacks };
}

/** The aggregates of the events in `store` matching `query` (one query, in a session: it may be large). */
export async function aggregatesOf(store: EventStore, query: AggregateQuery = {}): Promise<AggregateSummary> {
  const sql = aggregatesQuery(dialectOf(store.engine), store.table, query);
  return summaryOf(await store.session((s) => s.query(sql)));
}
