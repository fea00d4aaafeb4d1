// Applying a theme to <html>. v2 themes are `[data-theme="…"]` blocks, so a switch is one attribute
// change and one style recalc. The v1 monolith's legacy mechanism reads a `theme--<name>` class
// instead; while v1 is loaded the class is set in the same task, so both land in the same frame.
import { afterNextPaint, type PaintClock } from './next-paint.js';
import type { Theme, ThemePreference } from './types.js';

/** The attribute the v2 token CSS selects on. */
export const THEME_ATTR = 'data-theme';

/** The legacy (v1) class for a theme. */
export function legacyThemeClass(theme: Theme): string {
  return `theme--${theme}`;
}

/** The rendered theme for a preference: 'system' follows the OS setting. */
export function resolveTheme(preference: ThemePreference, systemDark: boolean): Theme {
  if (preference === 'system') return systemDark ? 'dark' : 'light';
  return preference;
}

/** Sets `data-theme` on `root`, and the legacy class only while `legacy` (v1 loaded). Skips no-ops. */
export function applyTheme(root: Element, theme: Theme, legacy: boolean): void {
  if (root.getAttribute(THEME_ATTR) !== theme) root.setAttribute(THEME_ATTR, theme);
  const other = legacyThemeClass(theme === 'dark' ? 'light' : 'dark');
  if (root.classList.contains(other)) root.classList.remove(other);
  const own = legacyThemeClass(theme);
  if (legacy && !root.classList.contains(own)) root.classList.add(own);
  if (!legacy && root.classList.contains(own)) root.classList.remove(own);
}

/** Turns every transition off while a switch's new styles are computed (next-themes' disableTransitionOnChange). */
export const NO_TRANSITIONS_CSS =
  '*,*::before,*::after{-webkit-transition:none!important;transition:none!important}';

/** What a switch needs from `window` (injectable for tests): a frame clock (src/theme/next-paint.ts). */
export type SwitchWindow = PaintClock;

/** True when applyTheme would write anything. */
function themeDiffers(root: Element, theme: Theme, legacy: boolean): boolean {
  return (
    root.getAttribute(THEME_ATTR) !== theme ||
    root.classList.contains(legacyThemeClass(theme === 'dark' ? 'light' : 'dark')) ||
    root.classList.contains(legacyThemeClass(theme)) !== legacy
  );
}

/**
 * Applies `theme` so the next frame paints it in full, with no colour transition: a rule turning
 * transitions off goes in, the theme is applied, and the rule comes out once that frame was rendered.
 * The frame restyles once, with transitions off; removing the rule restyles again in the frame after,
 * but the colours are the new ones by then, so no transition starts. Measured against next-themes'
 * forced restyle with removal before the frame (two restyles before the paint), an attribute switch,
 * view transitions and `light-dark()`, this paints the new theme soonest, pixel-identical
 * (bench/theme-switch.bench.ts, `suppress-until-painted`; README "Measured figures").
 */
export function switchTheme(
  win: SwitchWindow,
  root: Element,
  theme: Theme,
  legacy: boolean,
  nonce?: string,
): void {
  if (!themeDiffers(root, theme, legacy)) return; // a no-op adds no sheet and forces no restyle
  const doc = root.ownerDocument as Document | null | undefined;
  // Without a document to style (server rendering, a bare test double), the attribute change is all.
  if (!doc?.createElement || typeof win.requestAnimationFrame !== 'function') {
    applyTheme(root, theme, legacy);
    return;
  }
  const style = doc.createElement('style');
  if (nonce) style.nonce = nonce; // a strict CSP: the nonce the SDK puts on its <link>s
  style.textContent = NO_TRANSITIONS_CSS;
  (doc.head ?? root).appendChild(style);
  applyTheme(root, theme, legacy);
  void afterNextPaint(win).then(() => style.remove());
}
