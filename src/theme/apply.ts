// Applying a theme to <html>. v2 themes are `[data-theme="…"]` blocks, so a switch is one attribute
// change and one style recalc. The v1 monolith's legacy mechanism reads a `theme--<name>` class
// instead; while v1 is loaded the class is set in the same task, so both land in the same frame.
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
