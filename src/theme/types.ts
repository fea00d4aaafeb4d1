// Theme names: what the page shows, and what the user asked for.

/** A rendered theme: the value of `data-theme` on <html>. */
export type Theme = 'light' | 'dark';

/** The user's choice: a theme, or follow the operating system's `prefers-color-scheme`. */
export type ThemePreference = Theme | 'system';

/** True when `value` is a valid theme preference. */
export function isThemePreference(value: unknown): value is ThemePreference {
  return value === 'light' || value === 'dark' || value === 'system';
}
