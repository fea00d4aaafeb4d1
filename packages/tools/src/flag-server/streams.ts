// Server-sent event streams the client SDKs hold open: `/eval` streams get `put` then `patch`/`delete`
// per changed flag; `/ping` streams get `ping` and re-poll. Every connected stream hears a change at once.
import type { ServerResponse } from 'node:http';
import type { LDContext } from '@launchdarkly/node-server-sdk';
import type { EvalxFlags } from './evaluator.js';

/** One open stream. */
export interface Stream {
  res: ServerResponse;
  kind: 'eval' | 'ping';
  context?: LDContext;
  withReasons: boolean;
  /** What this client was last sent, so a change sends only what differs. */
  sent: EvalxFlags;
  /** Ends the stream when no event was sent for a while; every event restarts it. */
  idle: NodeJS.Timeout;
}

/** Writes one SSE event to `stream` and restarts its idle timer. */
export function writeEvent(stream: Stream, event: string, data: unknown): void {
  stream.idle.refresh();
  stream.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** The `patch` and `delete` events that move a client from `before` to `after`. */
export function diffEvents(
  before: EvalxFlags,
  after: EvalxFlags,
): { event: 'patch' | 'delete'; data: Record<string, unknown> }[] {
  const events: { event: 'patch' | 'delete'; data: Record<string, unknown> }[] = [];
  for (const [key, flag] of Object.entries(after)) {
    const old = before[key];
    if (!old || old.version !== flag.version || JSON.stringify(old.value) !== JSON.stringify(flag.value)) {
      events.push({ event: 'patch', data: { key, ...flag } });
    }
  }
  for (const [key, flag] of Object.entries(before)) {
    if (!(key in after)) events.push({ event: 'delete', data: { key, version: flag.version + 1 } });
  }
  return events;
}
