// createTokenRollout: wires the runtime. The decisions are a pure step (src/runtime/step.ts: state + input
// -> state + effects); this file only connects the effect modules (CSS, storage and other tabs, theme, flag
// source, manifest) to it and returns the public object (ARCHITECTURE.md "Runtime").

import type { TokenManifest } from '../tokens/manifest.js';
import type { Assignment } from './assign/types.js';
import { createSheetLoader } from './css/loader.js';
import type { ManifestFetch } from './css/manifest.js';
import { originOf } from './css/origin.js';
import type { Family } from './families.js';
import type { FlagSource } from './flags/source.js';
import { errorText } from './json.js';
import { type PluginContext, pluginContext } from './plugin-context.js';
import { createRolloutApi } from './runtime/api.js';
import { createCssReconciler } from './runtime/css.js';
import { followFlags, identify } from './runtime/flags.js';
import { initialState } from './runtime/init.js';
import { createLoop, type Loop, type Perform } from './runtime/loop.js';
import { loadManifest } from './runtime/manifest.js';
import { readStoredRecords, watchOtherTabs, writeStored } from './runtime/storage.js';
import { applyThemeEffect, watchSystemDark } from './runtime/theme.js';
import type { RolloutState } from './state.js';
import { defaultStorage, guardStorage } from './storage/safe.js';
import type { KeyValueStorage } from './storage/storage.js';
import { systemPrefersDark } from './theme/system.js';
import type { ThemePreference } from './theme/types.js';

/**
 * A plugin (e.g. monitoring) gets the rollout once after creation, with its window, storage and manifest
 * (src/plugin-context.ts); its cleanup runs in `destroy()`.
 */
export type RolloutPlugin = (rollout: TokenRollout, context: PluginContext) => (() => void) | undefined;

/** Options of `createTokenRollout`. Only `flags`, `user` and `manifest` are required. */
export interface TokenRolloutOptions {
  flags: FlagSource;
  user: { key: string; region?: string };
  /** The token build's manifest, or its URL (fetched; file paths resolve against it). */
  manifest: TokenManifest | string;
  /** URL prefix the manifest's file paths resolve against (default: the manifest URL, else the page). */
  tokenBase?: string;
  /**
   * The component families this page uses; `use()` (and `useTokens(family)`) adds more at run time. Default:
   * the families its components register, and every family until one does. Declare them (and the same list
   * in the boot snippet's `families`) so that a returning user's page loads v1 only for a family on v1.
   */
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

/** The page's window and document, or a clear error on a server. */
function browserOf(options: TokenRolloutOptions): { win: Window; doc: Document } {
  const win = options.window ?? (typeof window === 'undefined' ? undefined : window);
  const doc = options.document ?? win?.document;
  if (!doc || !win) {
    throw new Error(
      'createTokenRollout: no document; call it in the browser or pass `document` and `window`',
    );
  }
  return { win, doc };
}

/** The origins token CSS may come from: as given, else the page's, the manifest URL's and the token base's. */
function allowedOriginsOf(options: TokenRolloutOptions, doc: Document): string[] {
  if (options.allowedOrigins) return [...options.allowedOrigins];
  const allowed = new Set<string>();
  for (const href of [doc.baseURI, options.manifest, options.tokenBase]) {
    const origin = typeof href === 'string' && originOf(href, doc.baseURI);
    if (origin) allowed.add(origin);
  }
  return [...allowed];
}

/** Starts the manifest: its input once loaded; `known` settles either way (a decision waits for it). */
function startManifest(
  options: TokenRolloutOptions,
  win: Window,
  doc: Document,
  loop: Loop,
  links: () => boolean,
) {
  const loading = loadManifest({
    manifest: options.manifest,
    tokenBase: options.tokenBase,
    baseURI: doc.baseURI,
    fetch: options.fetch ?? ((url: string) => win.fetch(url, { credentials: 'same-origin' })),
  });
  // Settles just before the manifest input is stepped (its callbacks run after it, so they see the result).
  const manifestKnown = loading.then(
    () => {},
    () => {},
  );
  const manifestReady = loading.then((loaded) =>
    loop.dispatch({ type: 'manifest', ...loaded, linksPresent: links() }),
  );
  return { manifestKnown, manifestReady };
}

/**
 * `ready`: settles once the flags answered (or timed out) and the first decision's CSS settled, or at
 * destroy (a source closed by destroy() may never answer). Never rejects.
 */
function readiness(flags: FlagSource, manifestReady: Promise<void>, loop: Loop) {
  let signalDestroyed = () => {};
  const destroyed = new Promise<RolloutState>((resolve) => {
    signalDestroyed = () => resolve(loop.snapshot());
  });
  const started = Promise.all([flags.ready(), manifestReady])
    .then(async ([first]) => {
      await loop.dispatch({ type: 'flags-ready', snapshot: first });
      void loop.dispatch({ type: 'settled' });
      return loop.snapshot();
    })
    .catch((error: unknown) => {
      void loop.dispatch({ type: 'error', message: `token rollout: ${errorText(error)}` });
      void loop.dispatch({ type: 'settled' });
      return loop.snapshot();
    });
  return { ready: Promise.race([started, destroyed]), signalDestroyed };
}

/** Starts each plugin; its cleanup runs at destroy. A plugin that throws is reported, not fatal. */
function startPlugins(
  plugins: readonly RolloutPlugin[],
  rollout: TokenRollout,
  context: PluginContext,
  cleanups: Array<() => void>,
  loop: Loop,
) {
  for (const plugin of plugins) {
    try {
      const cleanup = plugin(rollout, context);
      if (cleanup) cleanups.push(cleanup);
    } catch (error) {
      void loop.dispatch({ type: 'error', message: `plugin failed to start: ${errorText(error)}` });
    }
  }
}

/** Creates the runtime. Touches no browser global until called, so importing it on a server is safe. */
export function createTokenRollout(options: TokenRolloutOptions): TokenRollout {
  const { win, doc } = browserOf(options);
  const storage = options.storage ? guardStorage(options.storage) : defaultStorage(win);
  const { flags } = options;
  const loader = createSheetLoader({
    document: doc,
    nonce: options.nonce,
    allowedOrigins: allowedOriginsOf(options, doc),
    timeoutMs: options.loadTimeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const linksPresent = () => loader.present().size > 0;
  const now = options.now ?? Date.now;
  const perform: Perform = (effect) => {
    if (effect.type === 'reconcile') return css.reconcile();
    if (effect.type === 'identify') return identify(flags, effect.optedOut, loop.dispatch);
    if (effect.type === 'store') writeStored(storage, effect);
    else applyThemeEffect(win, doc.documentElement, effect, options.nonce);
    return undefined;
  };
  const loop = createLoop(
    initialState({
      user: options.user,
      families: options.families,
      stored: readStoredRecords(storage),
      systemDark: systemPrefersDark(win),
      snapshot: flags.current(),
      bootstrap: options.bootstrap,
      // The v1 monolith linked by the boot snippet or the server, or inlined by the server.
      legacyLoaded: doc.querySelector('link[data-tr="v1"], style[data-tr="v1"]') !== null,
      now: now(),
    }),
    {
      now,
      perform,
      reportError: (error) =>
        win.setTimeout(() => {
          throw error;
        }, 0),
    },
  );
  const { manifestKnown, manifestReady } = startManifest(options, win, doc, loop, linksPresent);
  const css = createCssReconciler({ loader, manifestKnown, getState: loop.state, dispatch: loop.dispatch });
  const cleanups = [
    watchSystemDark(win, loop.dispatch),
    watchOtherTabs(win, storage, loop.dispatch),
    followFlags(flags, loop.dispatch),
  ];
  void loop.dispatch({ type: 'start' });

  const { ready, signalDestroyed } = readiness(flags, manifestReady, loop);
  const rollout = createRolloutApi({
    loop,
    win,
    storage,
    linksPresent,
    ready,
    teardown() {
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
    },
  });
  const context = pluginContext(win, storage, manifestKnown, loop.state);
  startPlugins(options.plugins ?? [], rollout, context, cleanups, loop);
  void loop.dispatch({ type: 'started' });
  return rollout;
}
