// The state the page is server-rendered with, and hydrated against: nothing decided yet. The real state
// replaces it right after hydration, so server HTML and the first client render always agree.
import { type createTokenRollout, FAMILIES, type RolloutState } from 'token-rollout';

/** What `createTokenRollout` returns. */
export type TokenRollout = ReturnType<typeof createTokenRollout>;

/** Every family on v1, nothing decided, light theme: the server's and the hydration's snapshot. */
export function initialRolloutState(): RolloutState {
  const families = {} as Record<
    (typeof FAMILIES)[number],
    RolloutState['families'][(typeof FAMILIES)[number]]
  >;
  for (const family of FAMILIES) families[family] = { version: 'v1', reason: 'no-stage', loaded: false };
  return {
    ready: false,
    stage: null,
    bucket: 0,
    assignment: 'ineligible',
    configVersion: '',
    userKey: '',
    arm: 'v1',
    pageFamilies: FAMILIES,
    families,
    theme: 'light',
    themePreference: 'system',
    optedOut: false,
    notice: 'hidden',
    errors: [],
  };
}

/** A rollout that only shows `state`: for server rendering, where nothing can load or change. */
export function staticRollout(state: RolloutState): TokenRollout {
  return {
    getState: () => state,
    subscribe: () => () => {},
    ready: Promise.resolve(state),
    use: () => () => {},
    setTheme: async () => 0,
    setOptOut: async () => {},
    dismissNotice: () => {},
    fallback: async () => {},
    onThemeSwitch: () => () => {},
    trackConversion: () => {},
    onConversion: () => () => {},
    destroy: () => {},
  };
}

/** The live rollout seen through the server's snapshot: actions work, the state stays `state` until hydrated. */
export function frozenView(rollout: TokenRollout, state: RolloutState): TokenRollout {
  return { ...rollout, getState: () => state, subscribe: () => () => {} };
}
