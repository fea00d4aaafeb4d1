// The pieces every step handler uses: the handler type, the common effects and small state helpers.
import { resolveTheme } from '../theme/apply.js';
import type { Effect, Input, RuntimeState, StepResult, StorageKey } from './types.js';

/** The handler of one input type: pure, like `step` itself. */
export type Handler<T extends Input['type']> = (
  state: RuntimeState,
  input: Extract<Input, { type: T }>,
  now: number,
) => StepResult;

/** Send the snapshot to subscribers. */
export const PUBLISH: Effect = { type: 'publish' };
/** Bring the token CSS in line with the decision. */
export const RECONCILE: Effect = { type: 'reconcile' };

/** A step result: the next state and its effects, in order. */
export const only = (state: RuntimeState, ...effects: Effect[]): StepResult => ({ state, effects });

/** The theme on `<html>` as the state wants it. */
export const themeOf = (state: RuntimeState): Effect => ({
  type: 'theme',
  theme: resolveTheme(state.themePreference, state.systemDark),
  legacy: state.legacyLoaded,
});

/** `errors` with `message` added once (a repeat keeps the first position). */
export const withError = (errors: readonly string[], message: string): readonly string[] =>
  errors.includes(message) ? errors : [...errors, message];

/** Write (or, with null, remove) one stored record. */
export const store = (key: StorageKey, value: string | null): Effect => ({ type: 'store', key, value });
