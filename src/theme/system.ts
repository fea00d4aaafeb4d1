// Following the operating system's color scheme live.

const QUERY = '(prefers-color-scheme: dark)';

/** The subset of `window` this needs. */
export interface MediaSource {
  matchMedia?(query: string): MediaQueryList;
}

/** True when the system prefers dark; false when unknown. */
export function systemPrefersDark(win: MediaSource): boolean {
  try {
    return win.matchMedia?.(QUERY).matches ?? false;
  } catch {
    return false;
  }
}

/** Calls `listener` with the new value whenever the system color scheme changes; returns the stop function. */
export function watchSystemTheme(win: MediaSource, listener: (dark: boolean) => void): () => void {
  let list: MediaQueryList | undefined;
  try {
    list = win.matchMedia?.(QUERY);
  } catch {
    list = undefined;
  }
  if (!list) return () => {};
  const onChange = (event: MediaQueryListEvent) => listener(event.matches);
  list.addEventListener('change', onChange);
  return () => list.removeEventListener('change', onChange);
}
