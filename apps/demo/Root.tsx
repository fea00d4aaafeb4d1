// The storefront's root: the same tree on the server and in the browser. Until it is hydrated and the
// rollout exists, it shows the server's snapshot (no visitor, nothing decided), then the live rollout.
import { useEffect, useMemo, useState } from 'react';
import { TokenRolloutProvider } from 'token-rollout/react';
import { App } from './App.js';
import type { Identity } from './identity.js';
import { frozenView, initialRolloutState, staticRollout, type TokenRollout } from './initial-state.js';

/** The provider and the app; `rollout` is null on the server and while the SDK loads. */
export function Root({
  rollout,
  identity,
  onSwitch,
  onHydrated,
}: {
  rollout: TokenRollout | null;
  identity: Identity | null;
  onSwitch: (next: Identity) => void;
  /** Called once hydration is done: only then may the root be given new props. */
  onHydrated?: () => void;
}) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => {
    setHydrated(true);
    onHydrated?.();
  }, [onHydrated]);
  const frozen = useMemo(
    () => (rollout ? frozenView(rollout, initialRolloutState()) : staticRollout(initialRolloutState())),
    [rollout],
  );
  const view = hydrated && rollout ? rollout : frozen;
  return (
    <TokenRolloutProvider rollout={view}>
      <App rollout={view} identity={hydrated ? identity : null} onSwitch={onSwitch} />
    </TokenRolloutProvider>
  );
}
