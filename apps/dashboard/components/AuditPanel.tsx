// The audit trail, newest first: who changed what, from where, the versions before and after, and why.
import type { AuditEntry } from 'token-rollout-tools';

const TONE: Record<string, string> = {
  rollback: 'badge-danger',
  advance: 'badge-success',
  approval: 'badge-success',
  verification: 'badge-neutral',
};

function time(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** The latest entries of the audit trail (GET /admin/audit). */
export function AuditPanel({ entries }: { entries: readonly AuditEntry[] }) {
  const newest = [...entries].reverse();
  return (
    <section className="tr-cards card audit" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      {newest.length === 0 ? (
        <p className="muted">
          No change yet. Every change made here, through the admin API or by the gate is listed.
        </p>
      ) : (
        <div className="tr-tables table-wrap">
          <table className="table table-compact" data-testid="audit-list">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Versions</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {newest.map((e) => (
                <tr
                  key={e.seq}
                  data-seq={e.seq}
                  data-kind={e.kind}
                  data-source={e.source}
                  data-action={e.action}
                >
                  <td className="num">{e.seq}</td>
                  <td>{time(e.at)}</td>
                  <td>
                    <span className={`tr-feedback badge ${TONE[e.kind] ?? 'badge-neutral'}`}>{e.kind}</span>{' '}
                    {e.changes.join('; ') || `${e.action} ${e.target}`}
                  </td>
                  <td>
                    {e.actor}
                    {e.by ? ` (${e.by})` : ''} · {e.source}
                  </td>
                  <td>{e.before && e.after ? `v${e.before.flagVersion} → v${e.after.flagVersion}` : ''}</td>
                  <td className="audit-reason">{e.reason ?? <span className="muted">none given</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
