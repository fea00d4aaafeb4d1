// The runtime's first state, from what the page shows at start-up: the stored records (read once), the
// flag source's current snapshot, the system color scheme and whether the boot snippet linked v1.
import type { Assignment } from '../assign/types.js';
import type { Family } from '../families.js';
import type { FlagSnapshot } from '../flags/source.js';
import { type DecisionInputs, decide, parseFlags } from './decide.js';
import type { StoredRecords } from './storage.js';
import type { RuntimeState } from './types.js';

/** What the first state is made of. */
export interface Start {
  user: { key: string; region?: string };
  /** The declared families; undefined: what components register (see RuntimeState.baseFamilies). */
  families: readonly Family[] | undefined;
  stored: StoredRecords;
  systemDark: boolean;
  snapshot: FlagSnapshot;
  bootstrap: Assignment | undefined;
  /** True when a v1 link is already in the page (the boot snippet's): the legacy theme class applies. */
  legacyLoaded: boolean;
  now: number;
}

/** The first state, with its first decision. Pure. */
export function initialState(start: Start): RuntimeState {
  const { stored } = start;
  const inputs: DecisionInputs = {
    user: start.user,
    optedOut: stored.optedOut,
    fallbacks: stored.fallbacks,
    flags: start.snapshot,
    flagsReady: false,
    parsed: parseFlags(undefined, start.snapshot),
    bootstrap: start.bootstrap,
  };
  return {
    ...inputs,
    baseFamilies: start.families ?? null,
    used: {},
    registered: false,
    noticeDismissed: stored.noticeDismissed,
    themePreference: stored.theme ?? 'system',
    systemDark: start.systemDark,
    decision: decide(inputs, start.now),
    manifest: { status: 'pending' },
    loadFailures: {},
    errors: [],
    loaded: [],
    legacyLoaded: start.legacyLoaded,
    ready: false,
    destroyed: false,
  };
}
