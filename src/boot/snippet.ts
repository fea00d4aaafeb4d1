// The inline <head> snippet, built as a minified IIFE. It must stay tiny (under 1 KB gzip) and
// must never throw: a broken boot would block the page's first paint.
const STORAGE_KEY = 'token-rollout:theme';
try {
  const stored = localStorage.getItem(STORAGE_KEY);
  const system = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  const theme = stored === 'light' || stored === 'dark' ? stored : system;
  const root = document.documentElement;
  root.setAttribute('data-theme', theme);
  root.classList.add(`theme--${theme}`);
} catch {
  // Storage can be disabled or throw; the page keeps its server-rendered theme.
}
