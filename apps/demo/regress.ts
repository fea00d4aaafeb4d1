// A deliberate regression for v2 pages only, switched on by `?regress=errors|slow` (the simulator's
// `--regress`), so that the monitoring, the guard and the gate can be seen catching a bad release.

/** The kinds of regression the demo can fake. */
export type Regression = 'errors' | 'slow';

/** Reads the regression asked for in the URL, if any. */
export function regressionFrom(search: string): Regression | null {
  const value = new URLSearchParams(search).get('regress');
  return value === 'errors' || value === 'slow' ? value : null;
}

/**
 * Installs the regression. `errors`: every "Add to cart" click on a v2 page throws an uncaught error
 * (a bug in a v2-only code path). `slow`: the first v2 render costs a 400 ms main-thread task.
 * `isV2` is asked each time, so a page that fell back to v1 stops failing. Returns the uninstaller.
 */
export function injectRegression(
  kind: Regression,
  isV2: () => boolean,
  doc: Document = document,
): () => void {
  if (kind === 'slow') {
    if (!isV2()) return () => {};
    const until = performance.now() + 400;
    while (performance.now() < until) {
      // Busy-wait: a long task that delays input and paints, like a heavy v2-only layout pass.
    }
    return () => {};
  }
  const onClick = (event: Event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target?.closest('[data-testid^="add-"]') || !isV2()) return;
    // Thrown from a listener: uncaught, reported through window 'error' like any production bug.
    throw new Error('demo regression: v2 price formatter failed');
  };
  doc.addEventListener('click', onClick);
  return () => doc.removeEventListener('click', onClick);
}
