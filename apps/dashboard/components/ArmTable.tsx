// Per-arm figures from the collector: users, sessions, error and conversion rates, FCP and theme switch.
import type { AggregateSummary, MetricRow } from 'token-rollout-tools';

const pct = (value: number | null | undefined) => (value == null ? '–' : `${(value * 100).toFixed(2)}%`);
const ms = (value: number | null | undefined) => (value == null ? '–' : `${Math.round(value)} ms`);

/** The page-level metric row for `arm` and `metric`, summed over stages by taking the largest sample. */
function metricOf(rows: readonly MetricRow[], arm: string, metric: string): MetricRow | undefined {
  return rows
    .filter((r) => r.arm === arm && r.metric === metric && r.family === null)
    .sort((a, b) => b.count - a.count)[0];
}

/** The table of arms (v1, v2, mixed) with their headline metrics, over every stage. */
export function ArmTable({ aggregates }: { aggregates: AggregateSummary }) {
  const arms = aggregates.arms.filter((a) => a.events > 0);
  return (
    <section className="tr-cards card arms" aria-labelledby="arms-title">
      <h2 id="arms-title">Per arm</h2>
      <div className="tr-tables table-wrap">
        <table className="table" data-testid="arm-table">
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col" className="num">
                Users
              </th>
              <th scope="col" className="num">
                Sessions
              </th>
              <th scope="col" className="num">
                Error sessions
              </th>
              <th scope="col" className="num">
                Conversion
              </th>
              <th scope="col" className="num">
                FCP p75
              </th>
              <th scope="col" className="num">
                Theme switch p95
              </th>
            </tr>
          </thead>
          <tbody>
            {arms.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  No events yet: open the demo or run <code>npm run simulate</code>.
                </td>
              </tr>
            ) : (
              arms.map((arm) => {
                const rates = aggregates.rates.filter((r) => r.arm === arm.arm);
                const sessions = rates.reduce((s, r) => s + r.sessions, 0);
                const errorSessions = rates.reduce((s, r) => s + r.errorSessions, 0);
                const users = rates.reduce((s, r) => s + r.users, 0);
                const converting = rates.reduce((s, r) => s + r.convertingUsers, 0);
                return (
                  <tr key={arm.arm} data-arm={arm.arm}>
                    <th scope="row">{arm.arm}</th>
                    <td className="num">{arm.users}</td>
                    <td className="num">{arm.sessions}</td>
                    <td className="num">{pct(sessions ? errorSessions / sessions : null)}</td>
                    <td className="num">{pct(users ? converting / users : null)}</td>
                    <td className="num">{ms(metricOf(aggregates.metrics, arm.arm, 'fcp')?.p75)}</td>
                    <td className="num">{ms(metricOf(aggregates.metrics, arm.arm, 'theme-switch')?.p95)}</td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
