// beaconReporter and launchDarklyReporter as `token-rollout` exports them: each returns at once and becomes
// the real reporter when monitoring's chunk (which carries their code) has arrived (fetched by monitoring
// after first contentful paint, after the page's `load` event at the latest), holding the events it is
// given until then. With monitoring from the same import nothing is ever held: monitoring emits nothing
// before that chunk is there either. Being real before monitoring starts matters on a page left before
// `load`: its `pagehide` listener is then in place to send what monitoring emits in that task.
import type { FlagSource } from '../flags/source.js';
import type { MetricEvent } from '../metrics/event.js';
import type { BeaconReporter, BeaconReporterOptions, BeaconStats } from '../report/beacon.js';
import type { LaunchDarklyTrack } from '../report/launchdarkly.js';
import type { Reporter } from '../report/reporter.js';
import { loadMonitoringChunk, type MonitoringChunk, whenMonitoringChunkArrives } from './lazy.js';
import type { MonitoringWindow } from './types.js';

/** Most events held before the real reporter exists (the beacon reporter's own queue is bounded too). */
const MAX_HELD = 500;

/** A reporter that forwards to `make(chunk)` once the chunk has loaded; `real()` is that reporter. */
function lazyReporter<R extends Reporter>(make: (chunk: MonitoringChunk) => R) {
  let real: R | undefined;
  let closed = false;
  const held: MetricEvent[] = [];
  const win = (globalThis as { window?: MonitoringWindow }).window;
  // On a server there is no page to report from: nothing is loaded.
  if (win) {
    whenMonitoringChunkArrives((chunk) => {
      if (closed) return;
      real = make(chunk);
      for (const event of held.splice(0)) real.report(event);
    });
    // Fetched after `load` at the latest, also on a page without monitoring.
    loadMonitoringChunk(win).catch(() => {
      held.length = 0; // monitoring reports its own failure to load
    });
  }
  const reporter: Reporter = {
    report(event) {
      if (real) real.report(event);
      else if (!closed && held.length < MAX_HELD) held.push(event);
    },
    flush: () => real?.flush?.(),
    close() {
      closed = true;
      held.length = 0;
      real?.close();
    },
  };
  return { reporter, real: () => real, held: () => held.length };
}

/** The beacon reporter (src/report/beacon.ts), loaded with monitoring's chunk; `stats()` counts held events as queued. */
export function beaconReporter(options: BeaconReporterOptions): BeaconReporter {
  const lazy = lazyReporter((chunk) => chunk.beaconReporter(options));
  const before = (): BeaconStats => ({
    queued: lazy.held(),
    sent: 0,
    dropped: 0,
    rejected: 0,
    discarded: 0,
    failures: 0,
  });
  return {
    ...lazy.reporter,
    flush: () => lazy.real()?.flush(),
    stats: () => lazy.real()?.stats() ?? before(),
  };
}

/** The LaunchDarkly `track()` reporter (src/report/launchdarkly.ts), loaded with monitoring's chunk. */
export function launchDarklyReporter(
  target: Pick<FlagSource, 'track'> | LaunchDarklyTrack,
  options: { prefix?: string } = {},
): Reporter {
  return lazyReporter((chunk) => chunk.launchDarklyReporter(target, options)).reporter;
}
