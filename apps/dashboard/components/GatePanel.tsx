// The gate's current decision for the active stage, with each comparison's estimate and interval.
import type { GateComparison, GateView } from 'token-rollout-tools';

const LABEL: Record<GateView['decision'], { text: string; tone: string }> = {
  advance: { text: 'Advance', tone: 'badge-success' },
  hold: { text: 'Hold', tone: 'badge-warning' },
  rollback: { text: 'Roll back', tone: 'badge-danger' },
  none: { text: 'No decision', tone: 'badge-neutral' },
};

function format(value: number | null, unit: string): string {
  if (value === null) return '–';
  if (unit === 'pp') return `${value >= 0 ? '+' : ''}${value.toFixed(2)} pp`;
  if (unit === '%') return `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)} ${unit}`;
}

function Row({ c }: { c: GateComparison }) {
  return (
    <tr data-comparison={c.id}>
      <th scope="row">{c.label}</th>
      <td className="num">{format(c.estimate, c.unit)}</td>
      <td className="num">
        [{format(c.lower, c.unit)}, {format(c.upper, c.unit)}]
      </td>
      <td className="num">{c.threshold === null ? '–' : format(c.threshold, c.unit)}</td>
      <td className="num">
        {c.n.v1} / {c.n.v2}
      </td>
      <td>{c.verdict}</td>
    </tr>
  );
}

/** The decision badge, its reason, and the comparisons table. */
export function GatePanel({ gate }: { gate: GateView }) {
  const label = LABEL[gate.decision];
  return (
    <section className="tr-cards card gate" aria-labelledby="gate-title">
      <div className="gate-head">
        <h2 id="gate-title">Gate</h2>
        <span className={`tr-feedback badge badge-large ${label.tone}`} data-testid="gate-decision">
          {label.text}
        </span>
        <span className="muted">stage {gate.stage ?? 'none'}</span>
      </div>
      <p className="gate-reason" data-testid="gate-reason">
        {gate.error ?? gate.reason}
      </p>
      {gate.sampleRatio && !gate.error ? (
        <p className={gate.sampleRatio.mismatch ? 'gate-srm' : 'muted'} data-testid="gate-sample-ratio">
          Sample ratio: {gate.sampleRatio.text}
        </p>
      ) : null}
      {gate.comparisons.length > 0 ? (
        <div className="tr-tables table-wrap">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">v2 − v1</th>
                <th scope="col" className="num">
                  Estimate
                </th>
                <th scope="col" className="num">
                  Interval
                </th>
                <th scope="col" className="num">
                  Trigger
                </th>
                <th scope="col" className="num">
                  n v1 / v2
                </th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {gate.comparisons.map((c) => (
                <Row key={c.id} c={c} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
