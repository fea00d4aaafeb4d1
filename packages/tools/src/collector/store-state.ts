// What the collector knows of its store's health: whether the last write failed (a full disk, a server
// gone) and whether the store is over --max-store-bytes. /health reports both, so that a load balancer or
// a monitor notices while events are being refused; /collect answers 507 while the store is full.
import type { EventStore } from '../store/types.js';

/** How long a measure of the store's size is used before the next (a stat, or a query on ClickHouse). */
const BYTES_TTL_MS = 1000;

/** The store's state as the collector tracks it. */
export interface StoreState {
  /** Why new events are refused (507), or null while the store is under the limit. */
  fullness(): Promise<string | null>;
  writeSucceeded(): void;
  writeFailed(message: string): void;
  /** `/health`: ok unless the last write failed or the store is full. */
  health(): Promise<{ ok: boolean; body: Record<string, unknown> }>;
}

/** Tracks `store` against `maxStoreBytes` (no limit when undefined). */
export function storeState(store: EventStore, maxStoreBytes: number | undefined): StoreState {
  // The last append's failure, until an append succeeds again: /health must not say ok while every
  // /collect answers 503.
  let writeFailure: string | null = null;
  let size = { bytes: 0, at: Number.NEGATIVE_INFINITY };
  const bytes = async (): Promise<number> => {
    if (Date.now() - size.at >= BYTES_TTL_MS) size = { bytes: await store.bytes(), at: Date.now() };
    return size.bytes;
  };
  const fullness = async (): Promise<string | null> => {
    if (maxStoreBytes === undefined) return null;
    const taken = await bytes();
    if (taken <= maxStoreBytes) return null;
    return `the event store is full: ${store.location} takes ${taken} bytes, over the limit of ${maxStoreBytes} (--max-store-bytes); events are not stored until space is freed or the limit raised`;
  };
  return {
    fullness,
    writeSucceeded: () => {
      writeFailure = null;
    },
    writeFailed: (message) => {
      writeFailure = message;
    },
    async health() {
      let events: number | null = null;
      let failure = writeFailure;
      try {
        events = await store.count();
      } catch (error) {
        failure ??= `the store does not answer: ${(error as Error).message}`;
      }
      const full = failure === null ? await fullness().catch(() => null) : null;
      const ok = failure === null && full === null;
      return {
        ok,
        body: {
          ok,
          engine: store.engine,
          location: store.location,
          events,
          bytes: await bytes().catch(() => null),
          maxStoreBytes: maxStoreBytes ?? null,
          full,
          writeFailure: failure,
        },
      };
    },
  };
}
