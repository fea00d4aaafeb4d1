// createTokenRollout: the one place that wires the flag source, the assignment, storage, the CSS
// loader and the theme. Everything below the options is effects glue; the decisions it applies come
// from pure functions (parseRolloutConfig, resolveAssignment, planStylesheets, deriveArm).

import type { TokenManifest } from '../tokens/manifest.js';
import { resolveAssignment } from './assign/resolve.js';
import type { Assignment, FamilyDecision } from './assign/types.js';
import { parseRolloutConfigForRuntime } from './config/parse.js';
import { withSwitches } from './config/switches.js';
import type { ParseResult } from './config/types.js';
import { createSheetLoader, type SheetLoader } from './css/loader.js';
import { fetchManifest, type ManifestFetch, parseManifest } from './css/manifest.js';
import { originOf } from './css/origin.js';
import { bootCacheFor, type PlannedSheet, planStylesheets } from './css/plan.js';
import { FAMILIES, type Family, FLAG_KEY, isFamily } from './families.js';
import type { FlagSnapshot, FlagSource } from './flags/source.js';
import { deriveArm, type FamilyState, type RolloutState } from './state.js';
import {
  parseFallbacks,
  parseFlag,
  parseThemePreference,
  serializeBootCache,
  serializeFallbacks,
} from './storage/records.js';
import { defaultStorage, guardStorage } from './storage/safe.js';
import { type KeyValueStorage, STORAGE_KEYS } from './storage/storage.js';
import { applyTheme, resolveTheme } from './theme/apply.js';
import { afterNextPaint } from './theme/next-paint.js';
import { systemPrefersDark, watchSystemTheme } from './theme/system.js';
import { isThemePreference, type ThemePreference } from './theme/types.js';

/** A plugin (e.g. monitoring) gets the rollout once after creation; its cleanup runs in `destroy()`. */
export type RolloutPlugin = (rollout: TokenRollout) => (() => void) | undefined;

/** Options of `createTokenRollout`. Only `flags`, `user` and `manifest` are required. */
export interface TokenRolloutOptions {
  flags: FlagSource;
  user: { key: string; region?: string };
  /** The token build's manifest, or its URL (fetched; file paths resolve against it). */
  manifest: TokenManifest | string;
  /** URL prefix the manifest's file paths resolve against (default: the manifest URL, else the page). */
  tokenBase?: string;
  /** The component families this page uses (default: all); `use()` adds more at run time. */
  families?: readonly Family[];
  /** Default: `window.localStorage`, guarded so that a throwing storage never breaks the page. */
  storage?: KeyValueStorage;
  document?: Document;
  window?: Window;
  /** CSP nonce put on every `<link>` the runtime adds. */
  nonce?: string;
  /** Origins token CSS may come from (default: the page's, the manifest's and the token base's). */
  allowedOrigins?: readonly string[];
  /** A stylesheet that has not loaded after this long counts as failed (default 10 000 ms). */
  loadTimeoutMs?: number;
  /** A server-rendered decision, used until the flag source is ready. */
  bootstrap?: Assignment;
  /** Clock for stage schedules (default `Date.now`). */
  now?: () => number;
  /** Fetch for the manifest URL (default: the window's). */
  fetch?: ManifestFetch;
  plugins?: readonly RolloutPlugin[];
}

/** What `createTokenRollout` returns. This surface is stable: monitoring and the React binding use it. */
export interface TokenRollout {
  getState(): RolloutState;
  /** Calls `listener` with each new snapshot; returns the unsubscribe function. */
  subscribe(listener: (state: RolloutState) => void): () => void;
  /** Resolves once the flags answered (or timed out) and the first decision's CSS settled. Never rejects. */
  readonly ready: Promise<RolloutState>;
  /** Adds `family` to the page (its CSS is loaded); the returned function releases it. */
  use(family: Family): () => void;
  /** Switches theme with one attribute change; resolves with ms from the call to the next painted frame. */
  setTheme(preference: ThemePreference): Promise<number>;
  /** Returns every family to v1 (true) or back to the rollout (false); persisted and synced across tabs. */
  setOptOut(optedOut: boolean): Promise<void>;
  /** Hides the "new look" notice for good. */
  dismissNotice(): void;
  /** Holds families on v1 on this device (a local budget tripped) until the config version changes. */
  fallback(families: readonly Family[] | 'all', reason: string): Promise<void>;
  /** Calls `listener` with the duration of each `setTheme` (call to painted frame, ms). */
  onThemeSwitch(listener: (ms: number) => void): () => void;
  /** Reports a conversion to `onConversion` listeners (the monitoring plugin). */
  trackConversion(name: string, value?: number): void;
  /** Calls `listener` for each `trackConversion`. */
  onConversion(listener: (name: string, value?: number) => void): () => void;
  /** Removes every listener, timer and subscription and closes the flag source; the page keeps its current styles. */
  destroy(): void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates the runtime. Touches no browser global until called, so importing it on a server is safe. */
export function createTokenRollout(options: TokenRolloutOptions): TokenRollout {
  const win = options.window ?? (typeof window === 'undefined' ? undefined : window);
  const doc = options.document ?? win?.document;
  if (!doc || !win) {
    throw new Error(
      'createTokenRollout: no document; call it in the browser or pass `document` and `window`',
    );
  }
  const root = doc.documentElement;
  const storage = options.storage ? guardStorage(options.storage) : defaultStorage(win);
  const now = options.now ?? Date.now;
  const flags = options.flags;

  // ---- inputs, each changed by one event source --------------------------------------------------
  const baseFamilies = new Set<Family>(options.families ?? FAMILIES);
  const used = new Map<Family, number>();
  let optedOut = parseFlag(storage.getItem(STORAGE_KEYS.optOut));
  let noticeDismissed = parseFlag(storage.getItem(STORAGE_KEYS.notice));
  let themePreference: ThemePreference =
    parseThemePreference(storage.getItem(STORAGE_KEYS.theme)) ?? 'system';
  let systemDark = systemPrefersDark(win);
  let flagsReady = false;
  let snapshot: FlagSnapshot = flags.current();
  let manifest: TokenManifest | null = null;
  let base = doc.baseURI;
  /** Families whose v2 CSS could not be used this session, with why. */
  const loadFailures = new Map<Family, string>();
  const errors = new Set<string>();
  let loadedIds = new Set<string>();
  let legacyLoaded = doc.querySelector('link[data-tr="v1"]') !== null;
  /** Settles once the manifest is known (parsed, or failed): a decision made earlier waits for it. */
  let manifestSettled = false;
  let settleManifest = () => {};
  const manifestKnown = new Promise<void>((resolve) => {
    settleManifest = () => {
      manifestSettled = true;
      resolve();
    };
  });
  let settled = false;
  let destroyed = false;

  const stateListeners = new Set<(state: RolloutState) => void>();
  const themeListeners = new Set<(ms: number) => void>();
  const conversionListeners = new Set<(name: string, value?: number) => void>();
  const cleanups: Array<() => void> = [];

  // ---- the decision --------------------------------------------------------------------------------
  const pageFamilies = (): Family[] => FAMILIES.filter((f) => baseFamilies.has(f) || (used.get(f) ?? 0) > 0);

  const assign = (): { assignment: Assignment; configErrors: string[] } => {
    const context = { key: options.user.key, region: options.user.region, optedOut };
    if (!flagsReady && snapshot.origin === 'default' && options.bootstrap) {
      const fallbacks = parseFallbacks(
        storage.getItem(STORAGE_KEYS.fallback),
        options.bootstrap.configVersion,
      );
      return { assignment: overrideBootstrap(options.bootstrap, optedOut, fallbacks), configErrors: [] };
    }
    const parsed = parseRolloutConfigForRuntime(snapshot.config);
    const input: ParseResult = parsed.ok
      ? { ...parsed, config: withSwitches(parsed.config, snapshot.switches) }
      : parsed;
    const version = parsed.ok ? parsed.config.version : '';
    const stored = parseFallbacks(storage.getItem(STORAGE_KEYS.fallback), version);
    const fallbacks = FAMILIES.filter((f) => stored[f] !== undefined);
    const assignment = resolveAssignment(input, { ...context, fallbacks }, now());
    const configErrors = parsed.ok
      ? []
      : parsed.errors.map((e) => `flag ${FLAG_KEY} ${e.path}: ${e.message}`);
    return { assignment, configErrors };
  };

  let current = assign();

  /** The decision with load failures applied: a family whose v2 CSS failed stays on v1. */
  const effective = (): Record<Family, FamilyState> => {
    const fallbackDetail = parseFallbacks(
      storage.getItem(STORAGE_KEYS.fallback),
      current.assignment.configVersion,
    );
    const out = {} as Record<Family, FamilyState>;
    for (const family of FAMILIES) {
      const decision: FamilyDecision = current.assignment.families[family];
      const failure = loadFailures.get(family);
      const state: FamilyState =
        decision.version === 'v2' && failure !== undefined
          ? { version: 'v1', reason: 'load-failed', loaded: false, error: failure }
          : { version: decision.version, reason: decision.reason, loaded: false };
      const detail = fallbackDetail[family];
      if (state.reason === 'local-fallback' && detail !== undefined) state.detail = detail;
      out[family] = state;
    }
    return out;
  };

  const isLoaded = (family: Family, version: 'v1' | 'v2') =>
    version === 'v1' ? loadedIds.has('v1') : loadedIds.has('v2/core') && loadedIds.has(`v2/${family}`);

  // ---- the snapshot --------------------------------------------------------------------------------
  const compute = (): RolloutState => {
    const page = pageFamilies();
    const families = effective();
    for (const family of page) {
      const f = families[family];
      families[family] = { ...f, loaded: isLoaded(family, f.version) };
    }
    const anyV2 = page.some((f) => families[f].version === 'v2');
    return {
      ready: settled,
      stage: current.assignment.stage,
      bucket: current.assignment.bucket,
      configVersion: current.assignment.configVersion,
      region: options.user.region,
      userKey: options.user.key,
      arm: deriveArm(families, page),
      pageFamilies: page,
      families,
      theme: resolveTheme(themePreference, systemDark),
      themePreference,
      optedOut,
      notice: anyV2 && !optedOut && !noticeDismissed ? 'visible' : 'hidden',
      errors: [...current.configErrors, ...errors],
    };
  };

  let state: RolloutState = compute();
  let stateKey = JSON.stringify(state);

  const publish = () => {
    if (destroyed) return;
    const next = compute();
    const key = JSON.stringify(next);
    if (key === stateKey) return;
    state = next;
    stateKey = key;
    for (const listener of [...stateListeners]) {
      try {
        listener(state);
      } catch (error) {
        // A failing subscriber must not stop the others or the rollout.
        win.setTimeout(() => {
          throw error;
        }, 0);
      }
    }
  };

  // ---- CSS ------------------------------------------------------------------------------------------
  const allowed = new Set<string>(options.allowedOrigins ?? []);
  if (!options.allowedOrigins) {
    // The page's, the manifest URL's and the token base's origins.
    for (const href of [doc.baseURI, options.manifest, options.tokenBase]) {
      const origin = typeof href === 'string' && originOf(href, doc.baseURI);
      if (origin) allowed.add(origin);
    }
  }
  const loader: SheetLoader = createSheetLoader({
    document: doc,
    nonce: options.nonce,
    allowedOrigins: [...allowed],
    timeoutMs: options.loadTimeoutMs ?? DEFAULT_TIMEOUT_MS,
  });

  const versionsOf = (families: Record<Family, FamilyState>) => {
    const out = {} as Record<Family, 'v1' | 'v2'>;
    for (const f of FAMILIES) out[f] = families[f].version;
    return out;
  };

  /** Loads what the decision needs, feeds failures back (those families go to v1), then drops the rest. */
  const reconcileOnce = async () => {
    // A decision made while the manifest is still being fetched waits for it (rather than record
    // "no manifest" failures that would hold every family on v1 for the session).
    if (!manifestSettled) await manifestKnown;
    if (destroyed) return;
    if (!manifest) {
      // Without a manifest no v2 file can be located: v2 decisions stay on v1, saying why.
      const why = [...errors].find((e) => e.startsWith('token manifest')) ?? 'no token manifest';
      for (const family of FAMILIES) if (!loadFailures.has(family)) loadFailures.set(family, why);
      // The boot snippet's links still apply: report them loaded once they are.
      publish();
      await loader.adoptPresent();
      if (destroyed) return;
      loadedIds = loader.loaded();
      publish();
      return;
    }
    // No family declared yet (components register theirs in effects): keep the boot links as they are
    // rather than drop every sheet for a moment.
    if (pageFamilies().length === 0) return;
    for (;;) {
      const families = effective();
      const plan = planStylesheets(manifest, versionsOf(families), pageFamilies(), base);
      let changed = false;
      for (const [family, why] of Object.entries(plan.unavailable) as Array<[Family, string]>) {
        if (!loadFailures.has(family)) {
          loadFailures.set(family, why);
          changed = true;
        }
      }
      if (plan.missingV1) errors.add(plan.missingV1);
      if (changed) continue;
      const needsV1 = plan.sheets.some((s) => s.version === 'v1');
      // The legacy class goes on before the v1 sheet applies, so v1 renders the right theme at once.
      if (needsV1) {
        legacyLoaded = true;
        applyTheme(root, resolveTheme(themePreference, systemDark), true);
      }
      // Towards v1 (a rollback, a fallback, an opt-out) the next load must boot v1 even if the page is left
      // before this swap settles. Caching early is safe only when every v2 sheet the plan keeps has
      // already loaded: the monolith styles every other family.
      const loadedNow = loader.loaded();
      if (needsV1 && plan.sheets.every((s) => s.version === 'v1' || loadedNow.has(s.id))) {
        writeBootCache(families);
      }
      publish();
      const failures = await loader.ensure(plan.sheets);
      if (destroyed) return;
      changed = recordFailures(failures, plan.sheets, families);
      if (changed) continue;
      loader.prune(plan.sheets);
      loadedIds = loader.loaded();
      legacyLoaded = needsV1;
      applyTheme(root, resolveTheme(themePreference, systemDark), legacyLoaded);
      writeBootCache(families);
      publish();
      return;
    }
  };

  /** Records failed sheets against their families; true when a family newly fell back to v1. */
  const recordFailures = (
    failures: Map<string, string>,
    sheets: readonly PlannedSheet[],
    families: Record<Family, FamilyState>,
  ): boolean => {
    let changed = false;
    for (const [id, why] of failures) {
      const sheet = sheets.find((s) => s.id === id);
      if (!sheet) continue;
      if (sheet.version === 'v1') {
        errors.add(`v1 token CSS failed: ${why}`);
        continue;
      }
      const hit =
        sheet.part === 'core'
          ? pageFamilies().filter((f) => families[f].version === 'v2')
          : ([sheet.part] as Family[]);
      for (const family of hit) {
        if (loadFailures.has(family)) continue;
        loadFailures.set(family, why);
        errors.add(`${family}: ${why}`);
        changed = true;
      }
    }
    return changed;
  };

  /** The boot snippet re-creates these links on the next load: planned for every family, so any page is covered. */
  const writeBootCache = (families: Record<Family, FamilyState>) => {
    if (!manifest) return;
    const plan = planStylesheets(manifest, versionsOf(families), FAMILIES, base);
    storage.setItem(STORAGE_KEYS.decision, serializeBootCache(bootCacheFor(plan.sheets)));
  };

  let running: Promise<void> | null = null;
  let dirty = false;
  /** Serialises reconciles; a change during one triggers exactly one more with the latest inputs. */
  const reconcile = (): Promise<void> => {
    dirty = true;
    if (running) return running;
    running = (async () => {
      while (dirty && !destroyed) {
        dirty = false;
        try {
          await reconcileOnce();
        } catch (error) {
          errors.add(`token CSS: ${errorText(error)}`);
        }
      }
    })().finally(() => {
      running = null;
      publish();
    });
    return running;
  };

  const redecide = () => {
    current = assign();
    publish();
    return reconcile();
  };

  // ---- theme -----------------------------------------------------------------------------------------
  const applyPreference = (preference: ThemePreference) => {
    themePreference = preference;
    applyTheme(root, resolveTheme(themePreference, systemDark), legacyLoaded);
    publish();
  };
  applyTheme(root, resolveTheme(themePreference, systemDark), legacyLoaded);

  cleanups.push(
    watchSystemTheme(win, (dark) => {
      systemDark = dark;
      applyPreference(themePreference);
    }),
  );

  // Other tabs: the `storage` event fires only in the tabs that did not write. It can arrive after a
  // newer local write, so the handler re-reads storage (the latest value) instead of `event.newValue`.
  const onStorage = (event: StorageEvent) => {
    switch (event.key) {
      case STORAGE_KEYS.theme:
        applyPreference(parseThemePreference(storage.getItem(STORAGE_KEYS.theme)) ?? 'system');
        break;
      case STORAGE_KEYS.optOut: {
        const latest = parseFlag(storage.getItem(STORAGE_KEYS.optOut));
        if (latest !== optedOut) {
          optedOut = latest;
          void redecide();
        }
        break;
      }
      case STORAGE_KEYS.notice:
        noticeDismissed = parseFlag(storage.getItem(STORAGE_KEYS.notice));
        publish();
        break;
      case STORAGE_KEYS.fallback:
        void redecide();
        break;
    }
  };
  win.addEventListener('storage', onStorage);
  cleanups.push(() => win.removeEventListener('storage', onStorage));

  // ---- flags and manifest ------------------------------------------------------------------------------
  cleanups.push(
    flags.subscribe((next) => {
      snapshot = next;
      void redecide();
    }),
  );

  const loadManifest = async (): Promise<void> => {
    if (typeof options.manifest !== 'string') {
      const parsed = parseManifest(options.manifest, 'options.manifest');
      if (parsed.ok) manifest = parsed.manifest;
      else errors.add(parsed.error);
      base = options.tokenBase ? new URL(options.tokenBase, doc.baseURI).href : doc.baseURI;
      return;
    }
    const url = new URL(options.manifest, doc.baseURI).href;
    base = options.tokenBase ? new URL(options.tokenBase, doc.baseURI).href : url;
    const parsed = await fetchManifest(
      options.fetch ?? ((u: string) => win.fetch(u, { credentials: 'same-origin' })),
      url,
    );
    if (parsed.ok) manifest = parsed.manifest;
    else errors.add(parsed.error);
  };

  const manifestReady = loadManifest()
    .finally(settleManifest)
    .then(() => {
      // Without boot links (no snippet, first visit without bootstrap) the page is unstyled: apply
      // the best decision now rather than wait for the flags. With boot links, keep them until then.
      if (!destroyed && (loader.present().size === 0 || options.bootstrap)) return reconcile();
    });

  let signalDestroyed = () => {};
  const destroyedSignal = new Promise<RolloutState>((resolve) => {
    signalDestroyed = () => resolve(state);
  });
  const started: Promise<RolloutState> = Promise.all([flags.ready(), manifestReady])
    .then(async ([first]) => {
      if (destroyed) return state;
      flagsReady = true;
      // A change that arrived while waiting has already replaced `snapshot`; keep the newest.
      if (snapshot.origin === 'default') snapshot = first;
      current = assign();
      await reconcile();
      settled = true;
      publish();
      return state;
    })
    .catch((error: unknown) => {
      errors.add(`token rollout: ${errorText(error)}`);
      settled = true;
      publish();
      return state;
    });
  // A source closed by destroy() may never answer; `ready` still settles.
  const ready = Promise.race([started, destroyedSignal]);

  // ---- the public object ------------------------------------------------------------------------------
  const rollout: TokenRollout = {
    getState: () => state,
    subscribe(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    ready,
    use(family) {
      if (!isFamily(family)) {
        throw new TypeError(
          `rollout.use(${JSON.stringify(family)}): unknown family; expected one of ${FAMILIES.join(', ')}`,
        );
      }
      const before = pageFamilies().length;
      used.set(family, (used.get(family) ?? 0) + 1);
      if (pageFamilies().length !== before) {
        publish();
        if (manifest && (flagsReady || loader.present().size === 0)) void reconcile();
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const count = (used.get(family) ?? 1) - 1;
        if (count > 0) used.set(family, count);
        else used.delete(family);
        if (!destroyed && !baseFamilies.has(family) && count === 0) {
          publish();
          if (manifest && flagsReady) void reconcile();
        }
      };
    },
    async setTheme(preference) {
      if (!isThemePreference(preference)) {
        throw new TypeError(`setTheme(${JSON.stringify(preference)}): expected 'light', 'dark' or 'system'`);
      }
      const start = win.performance.now();
      applyPreference(preference);
      storage.setItem(STORAGE_KEYS.theme, preference);
      const end = await afterNextPaint(win);
      const ms = end - start;
      for (const listener of [...themeListeners]) listener(ms);
      return ms;
    },
    async setOptOut(next) {
      if (next !== optedOut) {
        optedOut = next;
        if (next) storage.setItem(STORAGE_KEYS.optOut, '1');
        else storage.removeItem(STORAGE_KEYS.optOut);
      }
      const identified = flags.identify?.({ optedOut: next }).catch((error: unknown) => {
        errors.add(`flags.identify failed: ${errorText(error)}`);
      });
      await Promise.all([redecide(), identified]);
    },
    dismissNotice() {
      noticeDismissed = true;
      storage.setItem(STORAGE_KEYS.notice, '1');
      publish();
    },
    async fallback(families, reason) {
      const version = current.assignment.configVersion;
      const stored = parseFallbacks(storage.getItem(STORAGE_KEYS.fallback), version);
      const targets = families === 'all' ? FAMILIES : families;
      const unknown = targets.filter((f) => !isFamily(f));
      if (unknown.length > 0) {
        throw new TypeError(
          `fallback(): unknown famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}`,
        );
      }
      if (typeof reason !== 'string' || reason === '')
        throw new TypeError('fallback(): reason must be a non-empty string');
      for (const family of targets) stored[family] ??= reason;
      storage.setItem(
        STORAGE_KEYS.fallback,
        serializeFallbacks({ configVersion: version, families: stored }),
      );
      await redecide();
    },
    onThemeSwitch(listener) {
      themeListeners.add(listener);
      return () => {
        themeListeners.delete(listener);
      };
    },
    trackConversion(name, value) {
      for (const listener of [...conversionListeners]) listener(name, value);
    },
    onConversion(listener) {
      conversionListeners.add(listener);
      return () => {
        conversionListeners.delete(listener);
      };
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      signalDestroyed();
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          cleanup();
        } catch {
          // Keep cleaning up: one failing plugin must not leave the others attached.
        }
      }
      loader.destroy();
      flags.close();
      stateListeners.clear();
      themeListeners.clear();
      conversionListeners.clear();
    },
  };

  // A stored opt-out from an earlier visit: the flag service's context must carry it this session too.
  if (optedOut) {
    flags.identify?.({ optedOut: true }).catch((error: unknown) => {
      errors.add(`flags.identify failed: ${errorText(error)}`);
    });
  }

  for (const plugin of options.plugins ?? []) {
    try {
      const cleanup = plugin(rollout);
      if (cleanup) cleanups.push(cleanup);
    } catch (error) {
      errors.add(`plugin failed to start: ${errorText(error)}`);
    }
  }
  publish();
  return rollout;
}

/** A server-rendered decision with this device's opt-out and local fallbacks applied on top. */
function overrideBootstrap(
  bootstrap: Assignment,
  optedOut: boolean,
  fallbacks: Partial<Record<Family, string>>,
): Assignment {
  const families = {} as Record<Family, FamilyDecision>;
  for (const family of FAMILIES) {
    const decision = bootstrap.families?.[family] ?? { version: 'v1', reason: 'no-stage' };
    if (optedOut) families[family] = { version: 'v1', reason: 'opted-out' };
    else if (decision.version === 'v2' && fallbacks[family] !== undefined) {
      families[family] = { version: 'v1', reason: 'local-fallback' };
    } else families[family] = { version: decision.version, reason: decision.reason };
  }
  return { ...bootstrap, families };
}
