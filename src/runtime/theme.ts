// The theme effect: the theme attribute (and the legacy class while v1 is applied) on <html>, and the
// operating system's color scheme followed live.
import { applyTheme } from '../theme/apply.js';
import { type MediaSource, watchSystemTheme } from '../theme/system.js';
import type { Effect, Input } from './types.js';

/** Carries out a `theme` effect on `root` (no-op writes are skipped by applyTheme). */
export function applyThemeEffect(root: Element, effect: Extract<Effect, { type: 'theme' }>): void {
  applyTheme(root, effect.theme, effect.legacy);
}

/** Reports each change of the system color scheme as an input; returns the stop function. */
export function watchSystemDark(win: MediaSource, dispatch: (input: Input) => unknown): () => void {
  return watchSystemTheme(win, (dark) => dispatch({ type: 'system-theme', dark }));
}
