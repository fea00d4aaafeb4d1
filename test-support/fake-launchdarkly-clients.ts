// Fake LaunchDarkly clients with each major's observable behaviour (events, start-up, caching), for unit tests.
import type { LDClientV3, LDClientV4, LDContextLike } from '../src/launchdarkly/client.js';

type Listener = (...args: unknown[]) => void;

class Emitter {
  readonly listeners = new Map<string, Set<Listener>>();
  on(event: string, listener: Listener) {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    this.listeners.set(event, set);
    set.add(listener);
  }
  off(event: string, listener: Listener) {
    this.listeners.get(event)?.delete(listener);
  }
  emit(event: string, ...args: unknown[]) {
    for (const l of [...(this.listeners.get(event) ?? [])]) l(...args);
  }
  count() {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}

/** v3: `change:key` with (current, previous), `change` with a map; no change event on first init. */
export function fakeV3(context: LDContextLike = { kind: 'user', key: 'u1' }) {
  const emitter = new Emitter();
  let flags: Record<string, unknown> = {};
  let ctx = context;
  let state: 'pending' | 'ok' | 'failed' = 'pending';
  const readyWaiters: (() => void)[] = [];
  const tracked: unknown[][] = [];
  const identified: LDContextLike[] = [];
  let streaming: boolean | undefined;
  const client: LDClientV3 = {
    variation: (key, def) => (key in flags ? flags[key] : def),
    allFlags: () => ({ ...flags }),
    on: (e, l) => emitter.on(e, l),
    off: (e, l) => emitter.off(e, l),
    identify: async (c) => {
      ctx = c as LDContextLike;
      identified.push(ctx);
      return flags;
    },
    track: (...args) => {
      tracked.push(args);
    },
    getContext: () => ctx,
    waitUntilReady: () =>
      state === 'pending' ? new Promise<void>((r) => readyWaiters.push(r)) : Promise.resolve(),
    waitForInitialization: () =>
      state === 'ok' ? Promise.resolve() : Promise.reject(new Error('LaunchDarkly start failed')),
    setStreaming: (s) => {
      streaming = s;
    },
  };
  return {
    client,
    tracked,
    identified,
    streaming: () => streaming,
    listenerCount: () => emitter.count(),
    /** The first poll answered. */
    init(next: Record<string, unknown>) {
      flags = { ...next };
      state = 'ok';
      for (const r of readyWaiters.splice(0)) r();
    },
    fail() {
      state = 'failed';
      for (const r of readyWaiters.splice(0)) r();
    },
    /** A stream put/patch changing flags. */
    change(next: Record<string, unknown>) {
      const changes: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(next)) {
        changes[k] = { current: v, previous: flags[k] };
        emitter.emit(`change:${k}`, v, flags[k]);
      }
      flags = { ...flags, ...next };
      emitter.emit('change', changes);
    },
  };
}

/** v4: `start()` resolves with a status; `change` passes (context, keys); may load its own cache first. */
export function fakeV4(context: LDContextLike = { kind: 'user', key: 'u1' }) {
  const emitter = new Emitter();
  let flags: Record<string, unknown> = {};
  let ctx = context;
  let resolveStart: (r: { status: string }) => void = () => {};
  const startPromise = new Promise<{ status: string }>((r) => {
    resolveStart = r;
  });
  let starts = 0;
  const tracked: unknown[][] = [];
  const client: LDClientV4 = {
    variation: (key, def) => (key in flags ? flags[key] : def),
    allFlags: () => ({ ...flags }),
    on: (e, l) => emitter.on(e, l),
    off: (e, l) => emitter.off(e, l),
    identify: async (c) => {
      ctx = c as LDContextLike;
      return { status: 'completed' };
    },
    track: (...args) => {
      tracked.push(args);
    },
    getContext: () => ctx,
    start: () => {
      starts++;
      return startPromise;
    },
  };
  const set = (next: Record<string, unknown>) => {
    flags = { ...flags, ...next };
    emitter.emit('change', ctx, Object.keys(next));
    for (const k of Object.keys(next)) emitter.emit(`change:${k}`, ctx);
  };
  return {
    client,
    tracked,
    starts: () => starts,
    listenerCount: () => emitter.count(),
    /** The SDK's own localStorage cache, loaded before the network answers. */
    loadCache: set,
    /** Flags from the network, then start() completes. */
    init(next: Record<string, unknown>) {
      set(next);
      resolveStart({ status: 'complete' });
    },
    fail() {
      resolveStart({ status: 'failed' });
    },
    change: set,
  };
}

/** A manual timer: tests decide when the start-up timeout fires. */
export function manualTimer() {
  const pending: { callback: () => void; ms: number; cancelled: boolean }[] = [];
  return {
    setTimer(callback: () => void, ms: number) {
      const entry = { callback, ms, cancelled: false };
      pending.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
    fire() {
      for (const entry of pending.splice(0)) if (!entry.cancelled) entry.callback();
    },
    delays: () => pending.map((p) => p.ms),
  };
}

/** A Map-backed storage. */
export function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      items.set(k, v);
    },
    removeItem: (k: string) => {
      items.delete(k);
    },
    items,
  };
}
