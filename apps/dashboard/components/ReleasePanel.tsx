// The release side of the dashboard: the freeze in force (advances are refused until it ends; rollbacks are
// not), the approval the next stage needs with its Approve button, and the last rollback's recovery check.
import { type FormEvent, useState } from 'react';
import type { RecoveryCheck, ReleaseState } from 'token-rollout-tools';
import { admin, type RecoveryView } from '../api.js';

function until(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A banner while a freeze window is in force, naming it and when advancing is possible again. */
export function FreezeNotice({ release }: { release: ReleaseState }) {
  const freeze = release.freeze;
  if (release.calendar.error) {
    return (
      <p className="tr-feedback alert alert-danger banner" role="alert" data-testid="calendar-error">
        The release calendar is broken, so advances are refused (rollbacks still go through):{' '}
        {release.calendar.error}
      </p>
    );
  }
  if (!freeze) return null;
  return (
    <p className="tr-feedback alert alert-warning banner" role="status" data-testid="freeze-notice">
      <strong>{freeze.name}</strong>: no stage advances until {until(freeze.advanceFrom)} ({freeze.reason}).
      Rollbacks (flag off, kill a family, a lower stage or percentage) still go through.
    </p>
  );
}

function Approval({ release, onChanged }: { release: ReleaseState; onChanged: () => void }) {
  const [by, setBy] = useState('');
  const [error, setError] = useState<string | null>(null);
  const next = release.next;
  if (!next.stage || !next.needsApproval) return null;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(await admin.approve(next.stage ?? '', by).catch((e: unknown) => String(e)));
    onChanged();
  };
  const given = release.approvals.filter((a) => a.stage === next.stage);
  return (
    <form className="tr-forms approval" onSubmit={(e) => void submit(e)} data-testid="approval">
      {given.length > 0 ? (
        <p data-testid="approval-state">
          {next.stage} approved by {given.map((a) => a.by).join(', ')}.
        </p>
      ) : (
        <>
          <p data-testid="approval-state">
            Entering <strong>{next.stage}</strong> needs an approval.
          </p>
          <div className="field">
            <label htmlFor="approver">Your name</label>
            <input
              id="approver"
              value={by}
              onChange={(e) => setBy(e.currentTarget.value)}
              data-testid="approver"
            />
          </div>
          <button
            type="submit"
            className="tr-buttons btn btn-primary"
            disabled={by.trim() === ''}
            data-testid="approve-button"
          >
            Approve {next.stage}
          </button>
        </>
      )}
      {error ? (
        <p className="tr-feedback alert alert-danger" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function describe(check: RecoveryCheck): string {
  const r = check.results[0];
  if (!r) return '';
  const share =
    r.share === null
      ? 'nobody came back yet'
      : `${r.switched} of ${r.seenAfter} returning treated users on v1`;
  const speed = r.secondsToTarget === null ? '' : `, 95 % after ${r.secondsToTarget} s`;
  return `${share}${speed}${r.metric ? `; ${r.metric.label}: ${r.metric.detail}` : ''}`;
}

function Recovery({ recovery }: { recovery: RecoveryView }) {
  if (!recovery.rollback) return null;
  const recorded = recovery.verdict?.evidence as RecoveryCheck | undefined;
  const check = recorded ?? recovery.live;
  const status = check?.status ?? 'not checked';
  const tone =
    status === 'recovered' ? 'badge-success' : status === 'not-recovered' ? 'badge-danger' : 'badge-warning';
  return (
    <div className="recovery" data-testid="recovery">
      <h3>Recovery of rollback #{recovery.rollback.seq}</h3>
      <p>
        <span className={`tr-feedback badge ${tone}`} data-testid="recovery-status" data-status={status}>
          {status === 'not-recovered' ? 'not recovered' : status}
        </span>{' '}
        {check ? describe(check) : 'no events to check (the collector is not on this server)'}
      </p>
    </div>
  );
}

/** Freeze windows ahead, the next stage's approval, and the recovery check. */
export function ReleasePanel({
  release,
  recovery,
  onChanged,
}: {
  release: ReleaseState;
  recovery: RecoveryView;
  onChanged: () => void;
}) {
  const upcoming = release.calendar.freezes.filter((w) => !w.active);
  return (
    <section className="tr-cards card release" aria-labelledby="release-title">
      <h2 id="release-title">Release</h2>
      <Approval release={release} onChanged={onChanged} />
      {upcoming.length > 0 ? (
        <ul className="freezes">
          {upcoming.map((w) => (
            <li key={`${w.name}:${w.from}`}>
              Freeze ahead: <strong>{w.name}</strong>, {until(w.from)} – {until(w.until)}
            </li>
          ))}
        </ul>
      ) : null}
      <Recovery recovery={recovery} />
    </section>
  );
}
