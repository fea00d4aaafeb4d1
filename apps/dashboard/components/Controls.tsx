// The rollout controls: flag on/off, active stage, the stage's percentage, regions and families, and a
// kill switch per family. Each calls the flag service's admin API with the reason typed above them (the
// audit trail keeps it); the next poll shows the result, and a refusal (a freeze, a missing approval) says why.
import { type FormEvent, useState } from 'react';
import { FAMILIES } from 'token-rollout/core';
import type { FlagState, StageState } from 'token-rollout-tools';
import { admin, setReason } from '../api.js';

/** The controls panel for the current flag state. `onChanged` re-polls after a change. */
export function Controls({ state, onChanged }: { state: FlagState; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReasonText] = useState('');
  const active = state.stages.find((s) => s.name === state.activeStage) ?? null;

  const run = async (call: () => Promise<string | null>) => {
    setBusy(true);
    const failure = await call().catch((e: unknown) => String(e));
    setError(failure);
    setBusy(false);
    onChanged();
  };

  return (
    <section className="tr-cards card controls" aria-labelledby="controls-title">
      <h2 id="controls-title">Rollout</h2>
      <div className="tr-forms field">
        <label htmlFor="change-reason">Reason for changes (kept in the audit trail)</label>
        <input
          id="change-reason"
          value={reason}
          placeholder="e.g. checkout errors after release 412"
          onChange={(e) => {
            setReasonText(e.currentTarget.value);
            setReason(e.currentTarget.value);
          }}
          data-testid="change-reason"
        />
      </div>
      <div className="control-row flag-row">
        <span data-testid="flag-state" data-on={state.on}>
          Flag <code>{state.flagKey}</code> is <strong>{state.on ? 'on' : 'off: everyone on v1'}</strong>
        </span>
        <button
          type="button"
          className={`tr-buttons btn ${state.on ? 'btn-danger' : 'btn-primary'}`}
          disabled={busy}
          onClick={() => void run(() => admin.setFlag(!state.on))}
          data-testid="flag-toggle"
        >
          {state.on ? 'Turn flag off (roll back)' : 'Turn flag on'}
        </button>
      </div>
      <div className="tr-forms control-row">
        <div className="field">
          <label htmlFor="stage-select">Active stage</label>
          <select
            id="stage-select"
            value={state.activeStage ?? ''}
            disabled={busy}
            onChange={(e) => {
              const stage = e.currentTarget.value || null;
              void run(() => admin.setStage(stage));
            }}
            data-testid="stage-select"
          >
            <option value="">by schedule (startsAt)</option>
            {state.stages.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name} · {s.percentage}%
              </option>
            ))}
          </select>
        </div>
      </div>
      {active ? (
        <StageEditor key={`${active.name}:${state.version}`} stage={active} busy={busy} run={run} />
      ) : null}
      <h3>Families</h3>
      <ul className="families">
        {FAMILIES.map((family) => {
          const killed = state.killed.includes(family);
          const inStage = active ? coversFamily(active, family) : false;
          return (
            <li key={family} data-family={family}>
              <span className="family-name">{family}</span>
              <span className={`tr-feedback badge ${inStage && !killed ? 'badge-success' : 'badge-neutral'}`}>
                {killed ? 'killed' : inStage ? 'in stage' : 'not in stage'}
              </span>
              <button
                type="button"
                className={`tr-buttons btn btn-small ${killed ? 'btn-secondary' : 'btn-danger'}`}
                disabled={busy}
                onClick={() => void run(() => admin.setKilled(family, !killed))}
                data-testid={`kill-${family}`}
              >
                {killed ? 'Restore' : 'Kill'}
              </button>
            </li>
          );
        })}
      </ul>
      {error ? (
        <p className="tr-feedback alert alert-danger" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

/** True when the stage covers `family` (the server lists the covered families out). */
function coversFamily(stage: StageState, family: string): boolean {
  return (stage.components as readonly string[]).includes(family);
}

/** Edits the active stage's percentage, regions and components. */
function StageEditor({
  stage,
  busy,
  run,
}: {
  stage: StageState;
  busy: boolean;
  run: (call: () => Promise<string | null>) => Promise<void>;
}) {
  const [percentage, setPercentage] = useState(stage.percentage);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const split = (name: string) =>
      String(data.get(name) ?? '')
        .split(/[\s,]+/)
        .filter(Boolean);
    void run(() =>
      admin.patchStage(stage.name, {
        percentage,
        regions: split('regions'),
        components: split('components'),
      }),
    );
  };
  return (
    <form className="tr-forms stage-editor" onSubmit={submit} data-testid="stage-editor">
      <div className="field">
        <label htmlFor="percentage">
          Percentage of <strong>{stage.name}</strong>:{' '}
          <output data-testid="percentage-value">{percentage}%</output>
        </label>
        <input
          id="percentage"
          type="range"
          min={0}
          max={100}
          step={1}
          value={percentage}
          onChange={(e) => setPercentage(Number(e.currentTarget.value))}
          data-testid="percentage"
        />
      </div>
      <div className="field">
        <label htmlFor="regions">Regions</label>
        <input id="regions" name="regions" defaultValue={stage.regions.join(', ')} data-testid="regions" />
      </div>
      <div className="field">
        <label htmlFor="components">Components</label>
        <input
          id="components"
          name="components"
          defaultValue={stage.components.join(', ')}
          data-testid="components"
        />
      </div>
      <button type="submit" className="tr-buttons btn btn-primary" disabled={busy} data-testid="apply-stage">
        Apply to {stage.name}
      </button>
    </form>
  );
}
