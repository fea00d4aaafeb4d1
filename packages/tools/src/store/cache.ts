// Query results cached by the store's event count: the same question with no new event costs nothing,
// and requests that arrive while the answer is being computed share it. While events keep arriving, a
// query that takes long (seconds over millions of rows) is re-run at most once per ten times its own
// duration, so that a dashboard polling every few seconds cannot keep the engine busy; meanwhile the
// previous answer is served (its event count says how current it is).

/** How long an answer may be served after the count moved: this many times the query's own duration. */
const REFRESH_FACTOR = 10;
/** Queries faster than this are always re-run when the count moved (small stores: always current). */
const ALWAYS_FRESH_MS = 200;

interface Entry<V> {
  count: number;
  value: V;
  at: number;
  took: number;
}

/** A cache of the last `size` distinct questions (by key). */
export interface CountCache<V> {
  get(key: string, compute: () => Promise<V>): Promise<V>;
}

/** A cache keyed by `count()` (the store's event count) and the question's key. */
export function countCache<V>(count: () => Promise<number>, size = 16, now = Date.now): CountCache<V> {
  const entries = new Map<string, Entry<V>>();
  const pending = new Map<string, Promise<V>>();
  const remember = (key: string, entry: Entry<V>) => {
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > size) entries.delete(entries.keys().next().value as string);
  };
  return {
    async get(key, compute) {
      const current = await count();
      const entry = entries.get(key);
      if (entry && entry.count === current) return entry.value;
      if (entry && entry.took >= ALWAYS_FRESH_MS && now() - entry.at < entry.took * REFRESH_FACTOR) {
        return entry.value;
      }
      const running = pending.get(key);
      if (running) return running;
      const started = now();
      const work = compute().then((value) => {
        remember(key, { count: current, value, at: now(), took: now() - started });
        return value;
      });
      pending.set(key, work);
      try {
        return await work;
      } finally {
        pending.delete(key);
      }
    },
  };
}
