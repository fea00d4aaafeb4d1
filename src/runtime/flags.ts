// The flag-source effect: flag changes and the start-up answer become inputs; an `identify` effect goes to
// the flag service, whose failure is reported, never thrown.
import type { FlagSnapshot, FlagSource } from '../flags/source.js';
import { errorText } from '../json.js';
import type { Input } from './types.js';

/** Reports every flag change as an input; returns the unsubscribe function. */
export function followFlags(flags: FlagSource, dispatch: (input: Input) => unknown): () => void {
  return flags.subscribe((snapshot: FlagSnapshot) => dispatch({ type: 'flags', snapshot }));
}

/** Tells the flag service the user's opt-out (when it has contexts); resolves when it answered. */
export function identify(
  flags: FlagSource,
  optedOut: boolean,
  dispatch: (input: Input) => unknown,
): Promise<void> | undefined {
  return flags.identify?.({ optedOut }).catch((error: unknown) => {
    dispatch({ type: 'error', message: `flags.identify failed: ${errorText(error)}` });
  });
}
