// A flag source over a fixed config object: tests, server-side rendering bootstrap, apps without LaunchDarkly.
import type { Family } from '../families.js';
import { createListeners } from './listeners.js';
import { checkSwitches } from './snapshot.js';
import type { FlagSnapshot, FlagSource } from './source.js';

/** A static source whose config can be replaced live. */
export interface StaticFlagSource extends FlagSource {
  /** Replaces the config (and switches; omitted means all allowed) and notifies subscribers. */
  set(config: unknown, switches?: Partial<Record<Family, boolean>>): void;
}

/**
 * A flag source that serves `config` (the raw `design-tokens-v2` value) and the per-family `switches`.
 * Bad switches throw a TypeError naming the entry, and `set` then keeps the previous snapshot.
 */
export function createStaticFlagSource(
  config: unknown,
  switches?: Partial<Record<Family, boolean>>,
): StaticFlagSource {
  let snapshot: FlagSnapshot = { config, switches: checkSwitches(switches), origin: 'bootstrap' };
  const listeners = createListeners<FlagSnapshot>();
  let closed = false;
  return {
    ready: () => Promise.resolve(snapshot),
    current: () => snapshot,
    subscribe: (listener) => listeners.add(listener),
    set(nextConfig, nextSwitches) {
      if (closed) return;
      snapshot = { config: nextConfig, switches: checkSwitches(nextSwitches), origin: 'bootstrap' };
      listeners.emit(snapshot);
    },
    close() {
      closed = true;
      listeners.clear();
    },
  };
}
