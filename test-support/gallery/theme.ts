// How each token version switches theme on <html>: v2 sets one attribute (`data-theme`), v1 swaps the
// legacy `theme--<name>` class its rules are scoped under.
import type { GalleryTheme, GalleryVersion } from './params.js';

/** Applies `theme` to `root` the way `version` does it. */
export function applyTheme(root: HTMLElement, version: GalleryVersion, theme: GalleryTheme): void {
  if (version === 'v2') {
    root.dataset.theme = theme;
    return;
  }
  const current = [...root.classList].find((c) => c.startsWith('theme--'));
  if (current) root.classList.replace(current, `theme--${theme}`);
  else root.classList.add(`theme--${theme}`);
}
