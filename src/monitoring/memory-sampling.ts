// Memory sampling: a first sample after a delay (the page settled), then one per interval. Each sample is
// an event, and a guard sample while the user has not opted out.
import type { Guard } from '../guard/guard.js';
import { type MemorySource, readMemory } from '../metrics/memory.js';
import type { Emitter } from './emitter.js';
import type { MonitorState } from './target.js';
import type { MonitoringOptions, MonitoringTimers, MonitoringWindow } from './types.js';

/** What sampling needs from the plugin. */
export interface MemorySampling {
  win: MonitoringWindow;
  source: MemorySource;
  timers: MonitoringTimers;
  schedule: MonitoringOptions['memory'];
  state(): MonitorState;
  emitter: Emitter;
  guarded(record: (guard: Guard) => void): void;
}

/** Starts sampling (nothing when the source is unavailable or sampling is off); returns the stop function. */
export function sampleMemory(options: MemorySampling): () => void {
  const { win, source, timers, schedule } = options;
  if (source === 'unavailable' || schedule === false) return () => {};
  let stopped = false;
  const sample = () => {
    if (options.state().ready === false) return;
    void readMemory(win, source).then((bytes) => {
      if (stopped || bytes === undefined) return;
      options.emitter.emit('memory', bytes, { detail: source });
      if (!options.state().optedOut) options.guarded((guard) => guard.recordMemory(bytes));
    });
  };
  let interval: unknown;
  const first = timers.setTimeout(() => {
    sample();
    interval = timers.setInterval(sample, schedule?.intervalMs ?? 60_000);
  }, schedule?.delayMs ?? 5000);
  return () => {
    stopped = true;
    timers.clearTimeout(first);
    if (interval !== undefined) timers.clearInterval(interval);
  };
}
