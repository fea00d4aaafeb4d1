// The theme effect: the theme attribute (and the legacy class while v1 is applied) on <html>, painted in
// one frame with transitions held off (switchTheme), and the operating system's color scheme followed live.
import { type SwitchWindow, switchTheme } from '../theme/apply.js';
import { type MediaSource, watchSystemTheme } from '../theme/system.js';
import type { Effect, Input } from './types.js';

/** Carries out a `theme` effect on `root` (a no-op change writes nothing). */
export function applyThemeEffect(
  win: SwitchWindow,
  root: Element,
  effect: Extract<Effect, { type: 'theme' }>,
  nonce?: string,
): void {
  switchTheme(win, root, effect.theme, effect.legacy, nonce);
}

/** Reports each change of the system color scheme as an input; returns the stop function. */
export function watchSystemDark(win: MediaSource, dispatch: (input: Input) => unknown): () => void {
  return watchSystemTheme(win, (dark) => dispatch({ type: 'system-theme', dark }));
}
