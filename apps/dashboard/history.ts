// The dashboard's live history: one sample per poll, kept in a bounded window, as columns uPlot can draw.

/** Samples over time: `x` in seconds since epoch, and one column per series (null where unknown). */
export interface History {
  x: number[];
  series: Record<string, (number | null)[]>;
}

/** An empty history. */
export function emptyHistory(): History {
  return { x: [], series: {} };
}

/**
 * The history with one more sample at `at` (ms); series missing from `values` get null, new series
 * are back-filled with null, and only the last `limit` samples are kept.
 */
export function appendSample(
  history: History,
  at: number,
  values: Record<string, number | null>,
  limit = 360,
): History {
  const names = new Set([...Object.keys(history.series), ...Object.keys(values)]);
  const start = Math.max(0, history.x.length + 1 - limit);
  const series: Record<string, (number | null)[]> = {};
  for (const name of names) {
    const column = history.series[name] ?? history.x.map(() => null);
    series[name] = [...column, values[name] ?? null].slice(start);
  }
  return { x: [...history.x, at / 1000].slice(start), series };
}
