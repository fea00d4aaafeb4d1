// The analytics events the LaunchDarkly SDKs post, kept for tests and the dashboard: the most recent
// ones only, bounded in count and in bytes, so that posting large events cannot grow the server's memory.

/** Most events kept. */
export const MAX_KEPT_EVENTS = 500;
/** Largest event kept (its JSON); LaunchDarkly's events are far smaller, a larger one is dropped. */
export const MAX_EVENT_BYTES = 16 * 1024;
/** Most bytes (of event JSON) kept in all. */
export const MAX_KEPT_BYTES = 1024 * 1024;

/** A bounded, oldest-out list of events. */
export interface EventBuffer {
  /** Keeps `events` (dropping any over MAX_EVENT_BYTES), then forgets the oldest beyond the bounds. */
  add(events: readonly unknown[]): void;
  /** The kept events, oldest first. */
  list(): unknown[];
  /** The bytes kept now. */
  bytes(): number;
}

/** An empty buffer. */
export function createEventBuffer(): EventBuffer {
  const kept: { event: unknown; size: number }[] = [];
  let bytes = 0;
  return {
    add(events) {
      for (const event of events) {
        const size = Buffer.byteLength(JSON.stringify(event) ?? '');
        if (size > MAX_EVENT_BYTES) continue;
        kept.push({ event, size });
        bytes += size;
      }
      while (kept.length > MAX_KEPT_EVENTS || bytes > MAX_KEPT_BYTES) bytes -= kept.shift()?.size ?? 0;
    },
    list: () => kept.map((k) => k.event),
    bytes: () => bytes,
  };
}
