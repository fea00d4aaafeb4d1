// In-memory aggregates over every stored event, updated as events are acknowledged and rebuilt from the
// segments at start-up. Pure: no I/O, no clock.
import type { Arm, Family, MetricEvent, MetricName } from 'token-rollout/core';
import { ValueList } from './quantile.js';

/** Metrics whose per-user sum/count the gate compares between arms. */
export const USER_METRICS = ['fcp', 'lcp', 'inp', 'cls', 'ttfb', 'theme-switch', 'memory'] as const;
export type UserMetric = (typeof USER_METRICS)[number];

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

/** One user in one arm × stage: the unit the gate's statistics work on. */
export interface UserRow {
  user: string;
  arm: Arm;
  stage: string | null;
  sessions: number;
  pageViews: number;
  errors: number;
  conversions: number;
  conversionValue: number;
  metrics: Partial<Record<UserMetric, { sum: number; count: number }>>;
}

/** `GET /aggregates?by=user`. */
export interface UserSummary {
  users: UserRow[];
}

interface Cell {
  arm: Arm;
  stage: string | null;
  family: Family | null;
  metric: MetricName;
  values: ValueList;
}

interface RateCell extends Omit<RateRow, 'errorSessionRate' | 'errorsPerPageView' | 'conversionRate'> {}

interface SessionState {
  pageView: boolean;
  error: boolean;
}

const SEP = '\u0001';
const isUserMetric = (name: MetricName): name is UserMetric =>
  (USER_METRICS as readonly string[]).includes(name);

function matches(
  query: AggregateQuery,
  row: { arm: Arm; stage: string | null; family?: Family | null },
): boolean {
  if (query.arm !== undefined && row.arm !== query.arm) return false;
  if (query.stage !== undefined && row.stage !== query.stage) return false;
  if (query.family !== undefined && row.family !== query.family) return false;
  return true;
}

function order(a: { arm: Arm; stage: string | null }, b: { arm: Arm; stage: string | null }): number {
  return a.arm.localeCompare(b.arm) || (a.stage ?? '').localeCompare(b.stage ?? '');
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/** The aggregates and the function that feeds them. */
export interface Aggregates {
  /** Counts one acknowledged event. */
  add(event: MetricEvent): void;
  /** Everything per arm × stage × family × metric, filtered by `query`. */
  summary(query?: AggregateQuery): AggregateSummary;
  /** Per-user rows, filtered by `query` (its `family` and `metric` are ignored: rows are per user). */
  users(query?: AggregateQuery): UserSummary;
}

/** Creates empty aggregates. */
export function createAggregates(): Aggregates {
  let events = 0;
  const cells = new Map<string, Cell>();
  const fallbacks = new Map<string, FallbackRow>();
  const rates = new Map<string, RateCell>();
  const sessions = new Map<string, SessionState>();
  const users = new Map<string, UserRow>();
  const arms = new Map<Arm, { users: Set<string>; sessions: Set<string>; events: number }>();

  function rateCell(arm: Arm, stage: string | null): RateCell {
    const key = `${arm}${SEP}${stage ?? SEP}`;
    let cell = rates.get(key);
    if (!cell) {
      cell = {
        arm,
        stage,
        users: 0,
        sessions: 0,
        pageViews: 0,
        pageViewSessions: 0,
        jsErrors: 0,
        errorSessions: 0,
        conversions: 0,
        convertingUsers: 0,
      };
      rates.set(key, cell);
    }
    return cell;
  }

  return {
    add(event) {
      events++;
      const { arm, stage, name } = event;
      const family = event.family ?? null;
      const armState = arms.get(arm) ?? { users: new Set<string>(), sessions: new Set<string>(), events: 0 };
      arms.set(arm, armState);
      armState.events++;
      armState.users.add(event.user);
      armState.sessions.add(event.session);

      const cellKey = [arm, stage ?? SEP, family ?? '', name].join(SEP);
      if (typeof event.value === 'number') {
        let cell = cells.get(cellKey);
        if (!cell) {
          cell = { arm, stage, family, metric: name, values: new ValueList() };
          cells.set(cellKey, cell);
        }
        cell.values.push(event.value);
      } else {
        const key = `${cellKey}${SEP}${event.value}`;
        const row = fallbacks.get(key) ?? { arm, stage, family, reason: event.value, count: 0 };
        row.count++;
        fallbacks.set(key, row);
      }

      const rate = rateCell(arm, stage);
      const groupKey = `${arm}${SEP}${stage ?? SEP}`;
      const userKey = `${groupKey}${SEP}${event.user}`;
      let user = users.get(userKey);
      if (!user) {
        user = {
          user: event.user,
          arm,
          stage,
          sessions: 0,
          pageViews: 0,
          errors: 0,
          conversions: 0,
          conversionValue: 0,
          metrics: {},
        };
        users.set(userKey, user);
        rate.users++;
      }
      const sessionKey = `${groupKey}${SEP}${event.session}`;
      let session = sessions.get(sessionKey);
      if (!session) {
        session = { pageView: false, error: false };
        sessions.set(sessionKey, session);
        rate.sessions++;
        user.sessions++;
      }
      if (name === 'page-view') {
        rate.pageViews++;
        user.pageViews++;
        if (!session.pageView) {
          session.pageView = true;
          rate.pageViewSessions++;
        }
      } else if (name === 'js-error') {
        rate.jsErrors++;
        user.errors++;
        if (!session.error) {
          session.error = true;
          rate.errorSessions++;
        }
      } else if (name === 'conversion') {
        rate.conversions++;
        if (user.conversions === 0) rate.convertingUsers++;
        user.conversions++;
        user.conversionValue += typeof event.value === 'number' ? event.value : 0;
      } else if (isUserMetric(name) && typeof event.value === 'number') {
        const sum = user.metrics[name] ?? { sum: 0, count: 0 };
        sum.sum += event.value;
        sum.count++;
        user.metrics[name] = sum;
      }
    },

    summary(query = {}) {
      const metricRows: MetricRow[] = [];
      for (const cell of cells.values()) {
        if (!matches(query, cell) || (query.metric !== undefined && cell.metric !== query.metric)) continue;
        metricRows.push({
          arm: cell.arm,
          stage: cell.stage,
          family: cell.family,
          metric: cell.metric,
          count: cell.values.count,
          mean: cell.values.mean(),
          p50: cell.values.quantile(0.5),
          p75: cell.values.quantile(0.75),
          p95: cell.values.quantile(0.95),
        });
      }
      metricRows.sort(
        (a, b) =>
          order(a, b) || (a.family ?? '').localeCompare(b.family ?? '') || a.metric.localeCompare(b.metric),
      );
      const fallbackRows = [...fallbacks.values()]
        .filter((row) => matches(query, row) && (query.metric === undefined || query.metric === 'fallback'))
        .map((row) => ({ ...row }))
        .sort((a, b) => order(a, b) || (a.family ?? '').localeCompare(b.family ?? '') || b.count - a.count);
      const rateRows: RateRow[] = [...rates.values()]
        .filter((cell) => matches({ arm: query.arm, stage: query.stage }, cell))
        .map((cell) => ({
          ...cell,
          errorSessionRate: ratio(cell.errorSessions, cell.pageViewSessions),
          errorsPerPageView: ratio(cell.jsErrors, cell.pageViews),
          conversionRate: ratio(cell.convertingUsers, cell.users),
        }))
        .sort(order);
      const armRows: ArmRow[] = [...arms.entries()]
        .filter(([arm]) => query.arm === undefined || arm === query.arm)
        .map(([arm, state]) => ({
          arm,
          users: state.users.size,
          sessions: state.sessions.size,
          events: state.events,
        }))
        .sort((a, b) => a.arm.localeCompare(b.arm));
      return { events, arms: armRows, rates: rateRows, metrics: metricRows, fallbacks: fallbackRows };
    },

    users(query = {}) {
      const rows = [...users.values()]
        .filter((row) => matches({ arm: query.arm, stage: query.stage }, row))
        .map((row) => ({
          ...row,
          metrics: Object.fromEntries(Object.entries(row.metrics).map(([k, v]) => [k, { ...v }])),
        }))
        .sort((a, b) => order(a, b) || a.user.localeCompare(b.user));
      return { users: rows };
    },
  };
}
