// useTokens: a component's view of the rollout, re-rendered on each new state snapshot.
import { useContext, useEffect, useSyncExternalStore } from 'react';
import type { Reason, TokenVersion } from '../assign/types.js';
import type { Family } from '../families.js';
import type { Arm } from '../metrics/event.js';
import type { TokenRollout } from '../rollout.js';
import type { RolloutState } from '../state.js';
import type { Theme, ThemePreference } from '../theme/types.js';
import { TokenRolloutContext } from './context.js';

/** What `useTokens` returns. Without a family, `version` is the page's arm and `reason` is null. */
export interface TokensView {
  version: TokenVersion | Arm;
  reason: Reason | null;
  /** True once this family's stylesheet (or, without a family, every page family's) is in effect. */
  loaded: boolean;
  theme: Theme;
  themePreference: ThemePreference;
  setTheme: TokenRollout['setTheme'];
  optedOut: boolean;
  setOptOut: TokenRollout['setOptOut'];
  ready: boolean;
  notice: RolloutState['notice'];
  dismissNotice: TokenRollout['dismissNotice'];
}

/** The rollout from the nearest `TokenRolloutProvider`; throws a clear error outside one. */
export function useTokenRollout(): TokenRollout {
  const rollout = useContext(TokenRolloutContext);
  if (!rollout)
    throw new Error('useTokens(): no rollout; wrap the app in <TokenRolloutProvider rollout={…}>');
  return rollout;
}

/**
 * The token state for `family` (or the page), re-rendering on change. Calling it with a family adds
 * that family to the page, so its CSS is loaded; unmounting the last user releases it.
 */
export function useTokens(family?: Family): TokensView {
  const rollout = useTokenRollout();
  const state = useSyncExternalStore(rollout.subscribe, rollout.getState, rollout.getState);
  useEffect(() => (family ? rollout.use(family) : undefined), [rollout, family]);
  const own = family ? state.families[family] : undefined;
  return {
    version: own ? own.version : state.arm,
    reason: own ? own.reason : null,
    loaded: own ? own.loaded : state.pageFamilies.every((f) => state.families[f].loaded),
    theme: state.theme,
    themePreference: state.themePreference,
    setTheme: rollout.setTheme,
    optedOut: state.optedOut,
    setOptOut: rollout.setOptOut,
    ready: state.ready,
    notice: state.notice,
    dismissNotice: rollout.dismissNotice,
  };
}
