// The visitor switcher: try the rollout as another user key or from another region.
import { type FormEvent, useId } from 'react';
import { type Identity, REGIONS } from '../identity.js';

/** A small form to change the user key and region; submitting reloads the store as that visitor. */
export function UserSwitcher({
  identity,
  onSwitch,
}: {
  /** Null until hydrated; the form is re-created (`key`) when the visitor is known. */
  identity: Identity | null;
  onSwitch: (next: Identity) => void;
}) {
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const key = String(data.get('key') ?? '').trim();
    const region = String(data.get('region') ?? 'AU');
    if (key) onSwitch({ key, region });
  };
  const random = () =>
    onSwitch({
      key: `guest-${Math.floor(Math.random() * 1e8).toString(36)}`,
      region: identity?.region ?? 'AU',
    });
  return (
    <form
      key={identity?.key ?? ''}
      className="tr-forms form switcher"
      onSubmit={submit}
      aria-label="Visitor"
      data-testid="switcher"
    >
      <div className="field">
        <label htmlFor={`${id}-key`}>User key</label>
        <input
          id={`${id}-key`}
          name="key"
          defaultValue={identity?.key ?? ''}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-region`}>Region</label>
        <select id={`${id}-region`} name="region" defaultValue={identity?.region ?? 'AU'}>
          {REGIONS.map((region) => (
            <option key={region} value={region}>
              {region}
            </option>
          ))}
        </select>
      </div>
      <div className="switcher-actions">
        <button type="submit" className="tr-buttons btn btn-secondary">
          Switch
        </button>
        <button type="button" className="tr-buttons btn btn-ghost" onClick={random}>
          New visitor
        </button>
      </div>
    </form>
  );
}
