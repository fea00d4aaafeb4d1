// The decision the runtime applies, pure: the flag value parsed once per value, the assignment for the
// user (from the flags, or a server-rendered bootstrap until they are ready), the device's opt-out and
// local fallbacks on top.
import { resolveAssignment } from '../assign/resolve.js';
import type { Assignment, FamilyDecision } from '../assign/types.js';
import { parseRolloutConfigForRuntime } from '../config/parse.js';
import { withSwitches } from '../config/switches.js';
import { FAMILIES, type Family, FLAG_KEY } from '../families.js';
import { sameSwitches } from '../flags/snapshot.js';
import type { FlagSnapshot } from '../flags/source.js';
import { fallbacksFor } from '../storage/records.js';
import type { Decision, ParsedFlags, RuntimeState } from './types.js';

/**
 * The flag value parsed, kill switches applied. A snapshot with the same value (by identity) and the same
 * switches returns `previous` unchanged, so the config object, and resolveAssignment's per-config cache
 * with it, survive every re-decision that does not change the flags.
 */
export function parseFlags(previous: ParsedFlags | undefined, snapshot: FlagSnapshot): ParsedFlags {
  if (previous && previous.value === snapshot.config && sameSwitches(previous.switches, snapshot.switches)) {
    return previous;
  }
  const parsed = parseRolloutConfigForRuntime(snapshot.config);
  const result = parsed.ok ? { ...parsed, config: withSwitches(parsed.config, snapshot.switches) } : parsed;
  const errors = parsed.ok ? [] : parsed.errors.map((e) => `flag ${FLAG_KEY} ${e.path}: ${e.message}`);
  return { value: snapshot.config, switches: snapshot.switches, result, errors };
}

/** The state a decision reads. */
export type DecisionInputs = Pick<
  RuntimeState,
  'user' | 'optedOut' | 'fallbacks' | 'flags' | 'flagsReady' | 'parsed' | 'bootstrap'
>;

/** The decision for `state` at `now`: the bootstrap until the flags are ready, else the parsed flags. */
export function decide(state: DecisionInputs, now: number): Decision {
  const { bootstrap, optedOut, user } = state;
  if (!state.flagsReady && state.flags.origin === 'default' && bootstrap) {
    const fallbacks = fallbacksFor(state.fallbacks, bootstrap.configVersion);
    return { assignment: overrideBootstrap(bootstrap, optedOut, fallbacks), configErrors: [] };
  }
  const { result } = state.parsed;
  const stored = fallbacksFor(state.fallbacks, result.ok ? result.config.version : '');
  const fallbacks = FAMILIES.filter((f) => stored[f] !== undefined);
  const context = { key: user.key, region: user.region, optedOut, fallbacks };
  return { assignment: resolveAssignment(result, context, now), configErrors: state.parsed.errors };
}

/** A server-rendered decision with this device's opt-out and local fallbacks applied on top. */
export function overrideBootstrap(
  bootstrap: Assignment,
  optedOut: boolean,
  fallbacks: Partial<Record<Family, string>>,
): Assignment {
  const families = {} as Record<Family, FamilyDecision>;
  for (const family of FAMILIES) {
    const decision = bootstrap.families?.[family] ?? { version: 'v1', reason: 'no-stage' };
    if (optedOut) families[family] = { version: 'v1', reason: 'opted-out' };
    else if (decision.version === 'v2' && fallbacks[family] !== undefined) {
      families[family] = { version: 'v1', reason: 'local-fallback' };
    } else families[family] = { version: decision.version, reason: decision.reason };
  }
  // A decision rendered by an older server has no group: it cannot be told apart from ineligible, and
  // counting it nowhere is the safe reading (ARCHITECTURE.md "Assignment").
  return { ...bootstrap, group: bootstrap.group ?? 'ineligible', families };
}
