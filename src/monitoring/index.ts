// monitoring(): a rollout plugin that measures the page (web-vitals, theme switch, errors, memory),
// guards the local budgets (falling back to v1 when one is exceeded), and feeds the reporters.
import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import type { TokenManifest } from '../../tokens/manifest.js';
import { fetchManifest, type ManifestFetch } from '../css/manifest.js';
import { FAMILIES, type Family } from '../families.js';
import { type BudgetOverrides, resolveBudgets } from '../guard/budgets.js';
import { v2CssBytes } from '../guard/css-bytes.js';
import { createGuard, type Trip } from '../guard/guard.js';
import { armOf, v2Families } from '../metrics/arm.js';
import {
  createEvent,
  type EventContext,
  type EventExtras,
  normalizeRegion,
} from '../metrics/create-event.js';
import { observeErrors } from '../metrics/errors.js';
import type { MetricEvent, MetricName } from '../metrics/event.js';
import { exposureTracker } from '../metrics/exposure.js';
import { DEFAULT_USER_SALT, hashUserKey, newSessionId, type SessionCrypto } from '../metrics/identity.js';
import { type MemoryEnv, type MemorySource, memorySourceOf, readMemory } from '../metrics/memory.js';
import { observeWebVitals, type WebVitalsApi } from '../metrics/web-vitals.js';
import type { Reporter } from '../report/reporter.js';
import { defaultStorage } from '../storage/safe.js';
import type { KeyValueStorage } from '../storage/storage.js';
import type { MonitorState, MonitorTarget } from './target.js';

/** The window as monitoring uses it: events, crypto for ids, memory APIs, storage. */
export interface MonitoringWindow extends EventTarget, MemoryEnv {
  crypto?: SessionCrypto;
  localStorage?: KeyValueStorage;
  /** Used only to fetch the manifest when `manifest` is a URL. */
  fetch?: ManifestFetch;
}

/** Timers, injectable so tests can run the clock by hand. */
export interface MonitoringTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface MonitoringOptions {
  /** Where events go (launchDarklyReporter, beaconReporter, your own). Closed by the plugin's cleanup. */
  reporters?: readonly Reporter[];
  /** The user key (default: the rollout's); only its salted hash is sent. */
  userKey?: string;
  /** Salt of the user hash; set your own so hashes cannot be joined with other data sets. */
  salt?: string;
  /** Budget overrides over DESIGN.md's defaults; `false` turns the local guard off (measure only). */
  budgets?: BudgetOverrides | false;
  /** The token manifest or its URL, for the CSS size budget (without it that budget is not checked). */
  manifest?: TokenManifest | string;
  /** Memory sampling: first sample after `delayMs`, then every `intervalMs`; `false` turns it off. */
  memory?: { delayMs?: number; intervalMs?: number } | false;
  /** Most `js-error` events per page view (errors past it still count for the guard). Default 20. */
  maxErrorEvents?: number;
  window?: MonitoringWindow;
  storage?: KeyValueStorage;
  /** The web-vitals functions; `false` turns web-vitals off. Defaults to the `web-vitals` package. */
  vitals?: WebVitalsApi | false;
  now?: () => number;
  timers?: MonitoringTimers;
  /** Called with every event emitted (debugging). */
  onEvent?: (event: MetricEvent) => void;
}

/** What monitoring knows about itself, for a debug panel. */
export interface MonitoringStatus {
  /** Where memory figures come from; `unavailable` means memory is not reported on this browser. */
  memorySource: MemorySource;
  session: string;
  /** Uncaught errors in this page view. */
  errors: number;
  /** Events emitted in this page view. */
  events: number;
  /** The budget that tripped on this page, if one did. */
  trip?: Trip;
  /** What kept a part of monitoring from working (e.g. the manifest could not be loaded). */
  problems: string[];
}

/** The plugin for `createTokenRollout({ plugins })`, with its status for debugging. */
export interface MonitoringPlugin {
  (rollout: MonitorTarget): () => void;
  status(): MonitoringStatus;
}

const DEFAULT_VITALS: WebVitalsApi = { onFCP, onLCP, onINP, onCLS, onTTFB };

/**
 * Creates the monitoring plugin. Budget overrides are checked at once: a wrong value throws a TypeError
 * naming each bad path (e.g. `budgets.fcp.limit`), before anything is measured.
 */
export function monitoring(options: MonitoringOptions = {}): MonitoringPlugin {
  const resolved = options.budgets === false ? undefined : resolveBudgets(options.budgets ?? {});
  if (resolved && !resolved.ok) {
    throw new TypeError(`token-rollout monitoring: invalid budgets: ${resolved.problems.join('; ')}`);
  }
  const budgets = resolved?.budgets;
  let status: MonitoringStatus = {
    memorySource: 'unavailable',
    session: '',
    errors: 0,
    events: 0,
    problems: [],
  };

  const plugin = (target: MonitorTarget): (() => void) => {
    const win = options.window ?? (globalThis as { window?: MonitoringWindow }).window;
    if (!win) return () => {}; // server rendering: nothing to measure
    const now = options.now ?? (() => Date.now());
    // The global timer functions, looked up at call time like `globalThis.setTimeout(…)` would be.
    const timers: MonitoringTimers = options.timers ?? globalThis;
    const storage = options.storage ?? defaultStorage(win);
    const reporters = options.reporters ?? [];
    const session = newSessionId(win.crypto);
    const key = options.userKey ?? target.getState().userKey;
    // Without a key, events are anonymous per page session (still a hash, so the contract holds).
    const user = hashUserKey(key ?? `anonymous:${session}`, options.salt ?? DEFAULT_USER_SALT);
    const memorySource = options.memory === false ? 'unavailable' : memorySourceOf(win);
    status = { memorySource, session, errors: 0, events: 0, problems: [] };
    let manifest = typeof options.manifest === 'object' ? options.manifest : undefined;
    const cleanups: Array<() => void> = [];

    let state = target.getState();
    const pageFamilies = (s: MonitorState): readonly Family[] => s.pageFamilies ?? FAMILIES;
    const context = (): EventContext => ({
      arm: state.arm ?? armOf(state.families, pageFamilies(state)),
      stage: state.stage,
      configVersion: state.configVersion,
      region: normalizeRegion(state.region ?? undefined),
    });
    const send = (name: MetricName, value: number | string, ts: number, extras?: EventExtras) => {
      // Opted-out users are excluded from metrics: only the opt-out itself is reported.
      if (state.optedOut && name !== 'opt-out') return;
      // Error messages and labels are free text: the user key must not leave the page through them either.
      const freeText = name === 'js-error' || name === 'conversion';
      const detail =
        freeText && extras?.detail && key ? extras.detail.split(key).join('[user]') : extras?.detail;
      const event = createEvent(name, value, context(), { user, session }, ts, { ...extras, detail });
      status.events++;
      options.onEvent?.(event);
      for (const reporter of reporters) {
        try {
          reporter.report(event);
        } catch {
          // One broken reporter must not stop the others or the page.
        }
      }
    };
    // Events recorded before the first settled decision (page-view, FCP, TTFB usually) wait for it, so
    // they carry the stage, config version and arm the page actually ran with (the gate compares arms
    // per stage); they keep their own timestamps. A page left before that sends them as they are.
    let settled = false;
    const early: Array<() => void> = [];
    const emit = (name: MetricName, value: number | string, extras?: EventExtras) => {
      const ts = now();
      if (settled || name === 'opt-out') send(name, value, ts, extras);
      else early.push(() => send(name, value, ts, extras));
    };
    const flushEarly = () => {
      for (const record of early.splice(0)) record();
    };
    // Capture: at the target, capturing listeners run first, so these reach the beacon reporter's queue
    // before its own pagehide listener sends it.
    win.addEventListener('pagehide', flushEarly, { capture: true });
    cleanups.push(() => win.removeEventListener('pagehide', flushEarly, { capture: true }));

    const guard = budgets
      ? createGuard({
          budgets,
          storage,
          now,
          onTrip: (trip) => {
            status.trip = trip;
            const reason = `budget:${trip.metric}`;
            // Reported before falling back, so the event carries the arm that exceeded the budget.
            emit('fallback', reason, { detail: trip.reason });
            // The rollout reports its own failures; a rejection here must not come back as a js-error.
            try {
              void Promise.resolve(target.fallback(trip.scope === 'page' ? 'all' : trip.scope, reason)).catch(
                () => {},
              );
            } catch {
              // Same for a synchronous throw: monitoring keeps running.
            }
          },
        })
      : undefined;
    // Samples taken before the first settled decision (FCP usually) wait for it: until then the page's
    // config version and families are not final, and a sample must count against the right ones.
    const pending: Array<() => void> = [];
    const guarded = (record: () => void) => {
      if (!guard) return;
      if (settled) record();
      else pending.push(record);
    };
    const guardPage = (s: MonitorState) => {
      const onV2 = s.optedOut ? [] : v2Families(s.families, pageFamilies(s));
      const loaded = onV2.filter((family) => s.families[family].loaded !== false);
      guard?.setPage({
        configVersion: s.configVersion,
        v2Families: onV2,
        css: manifest && loaded.length > 0 ? v2CssBytes(manifest, loaded) : undefined,
      });
    };

    const expose = exposureTracker();
    const onState = (next: MonitorState, previous: MonitorState | undefined) => {
      state = next;
      if (previous && next.optedOut !== previous.optedOut) emit('opt-out', next.optedOut ? 1 : 0);
      if (next.ready !== false && !settled) {
        settled = true;
        flushEarly();
      }
      if (next.ready !== false && !next.optedOut) {
        for (const { family, version } of expose(next.families, pageFamilies(next))) {
          emit('exposure', 1, { family, arm: version });
        }
      }
      if (next.ready !== false) {
        guardPage(next);
        for (const record of pending.splice(0)) record();
      }
    };

    if (typeof options.manifest === 'string' && guard) {
      const source = options.manifest;
      let stopped = false;
      cleanups.push(() => {
        stopped = true;
      });
      void fetchManifest((url) => (win.fetch ? win.fetch(url) : globalThis.fetch(url)), source).then(
        (result) => {
          if (stopped) return;
          if (!result.ok) {
            status.problems.push(`${result.error} (the CSS size budget is not checked)`);
            return;
          }
          manifest = result.manifest;
          if (settled) guardPage(state);
        },
      );
    }

    emit('page-view', 1);
    onState(state, undefined);
    cleanups.push(target.subscribe((next) => onState(next, state)));

    if (options.vitals !== false) {
      cleanups.push(
        observeWebVitals(options.vitals ?? DEFAULT_VITALS, (name, value) => {
          emit(name, value);
          if (name === 'fcp') guarded(() => guard?.record('fcp', value));
        }),
      );
    }
    cleanups.push(
      target.onThemeSwitch((ms) => {
        emit('theme-switch', ms);
        guarded(() => guard?.record('themeSwitch', ms));
      }),
    );
    cleanups.push(target.onConversion((name, value) => emit('conversion', value ?? 1, { detail: name })));

    const maxErrorEvents = options.maxErrorEvents ?? 20;
    cleanups.push(
      observeErrors(win, (info) => {
        status.errors++;
        // value = the page view's running count, so "session had an error" and "errors per view" both read off it.
        if (status.errors <= maxErrorEvents) emit('js-error', status.errors, { detail: info.message });
        guarded(() => guard?.recordError());
      }),
    );

    if (memorySource !== 'unavailable' && options.memory !== false) {
      let stopped = false;
      const sample = () => {
        if (state.ready === false) return;
        void readMemory(win, memorySource).then((bytes) => {
          if (stopped || bytes === undefined) return;
          emit('memory', bytes, { detail: memorySource });
          if (!state.optedOut) guard?.recordMemory(bytes);
        });
      };
      const memory = options.memory ?? {};
      let interval: unknown;
      const first = timers.setTimeout(() => {
        sample();
        interval = timers.setInterval(sample, memory.intervalMs ?? 60_000);
      }, memory.delayMs ?? 5000);
      cleanups.push(() => {
        stopped = true;
        timers.clearTimeout(first);
        if (interval !== undefined) timers.clearInterval(interval);
      });
    }

    let cleaned = false;
    return () => {
      if (cleaned) return;
      cleaned = true;
      for (const cleanup of cleanups.reverse()) cleanup();
      for (const reporter of reporters) reporter.close();
    };
  };
  return Object.assign(plugin, { status: () => ({ ...status }) });
}
