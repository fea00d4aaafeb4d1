// The debug panel: what the rollout decided for this visitor, per family, live.
import { FAMILIES, type RolloutState } from 'token-rollout';

/** Shows the stage, bucket, arm and each family's version and reason from the rollout's state. */
export function DebugPanel({ state }: { state: RolloutState }) {
  return (
    <section className="tr-tables debug" aria-labelledby="debug-title" data-testid="debug">
      <h2 id="debug-title">Rollout debug</h2>
      <dl className="debug-facts">
        <div>
          <dt>Stage</dt>
          <dd data-testid="debug-stage">{state.stage ?? 'none'}</dd>
        </div>
        <div>
          <dt>Bucket</dt>
          <dd data-testid="debug-bucket">{(state.bucket * 100).toFixed(2)}%</dd>
        </div>
        <div>
          <dt>Arm</dt>
          <dd data-testid="debug-arm">{state.arm}</dd>
        </div>
        <div>
          <dt>Ready</dt>
          <dd>{state.ready ? 'yes' : 'loading'}</dd>
        </div>
      </dl>
      <table className="table table-compact">
        <thead>
          <tr>
            <th scope="col">Family</th>
            <th scope="col">Version</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {FAMILIES.map((family) => {
            const decision = state.families[family];
            return (
              <tr key={family} data-family={family} data-version={decision.version}>
                <th scope="row">{family}</th>
                <td>
                  <span
                    className={`tr-feedback badge ${decision.version === 'v2' ? 'badge-success' : 'badge-neutral'}`}
                  >
                    {decision.version}
                  </span>
                </td>
                <td className="reason">{decision.reason}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
