// step: the rollout as a pure function. Given the state, one input and the time, it returns the next state
// and the effects the page must carry out, in order; it never touches the page, storage or the network.
// Each input has one small handler; the CSS loader's inputs are in step-css.ts (ARCHITECTURE.md "Runtime").
import type { Family } from '../families.js';
import { fallbacksFor, serializeFallbacks } from '../storage/records.js';
import { STORAGE_KEYS } from '../storage/storage.js';
import { decide, parseFlags } from './decide.js';
import { pageFamilies } from './snapshot.js';
import { CSS_HANDLERS } from './step-css.js';
import { type Handler, only, PUBLISH, RECONCILE, store, themeOf, withError } from './step-kit.js';
import type { Effect, Input, RuntimeState, StepResult } from './types.js';

/** A new decision from the changed inputs: publish it, then bring the CSS in line. */
function redecided(state: RuntimeState, now: number, ...before: Effect[]): StepResult {
  return only({ ...state, decision: decide(state, now) }, ...before, PUBLISH, RECONCILE);
}

const onStart: Handler<'start'> = (state) =>
  // A stored opt-out from an earlier visit: the flag service's context must carry it this session too.
  only(state, themeOf(state), ...(state.optedOut ? [{ type: 'identify', optedOut: true } as const] : []));

const onFlags: Handler<'flags'> = (state, { snapshot }, now) =>
  redecided({ ...state, flags: snapshot, parsed: parseFlags(state.parsed, snapshot) }, now);

const onFlagsReady: Handler<'flags-ready'> = (state, { snapshot }, now) => {
  // A change that arrived while waiting has already replaced the default snapshot; keep the newest.
  const flags = state.flags.origin === 'default' ? snapshot : state.flags;
  const next = { ...state, flagsReady: true, flags, parsed: parseFlags(state.parsed, flags) };
  return only({ ...next, decision: decide(next, now) }, RECONCILE);
};

const onStored: Handler<'stored'> = (state, { change }, now) => {
  switch (change.key) {
    case 'theme': {
      const next = { ...state, themePreference: change.value ?? 'system' };
      return only(next, themeOf(next), PUBLISH);
    }
    case 'optOut':
      return change.value === state.optedOut
        ? only(state)
        : redecided({ ...state, optedOut: change.value }, now);
    case 'notice':
      return only({ ...state, noticeDismissed: change.value }, PUBLISH);
    case 'fallback':
      return redecided({ ...state, fallbacks: change.value }, now);
  }
};

const onManifest: Handler<'manifest'> = (state, input) => {
  const manifest = input.manifest
    ? ({ status: 'ready', manifest: input.manifest, base: input.base } as const)
    : ({ status: 'failed' } as const);
  const errors = input.error === undefined ? state.errors : withError(state.errors, input.error);
  // Without boot links (no snippet, first visit without bootstrap) the page is unstyled: apply the best
  // decision now rather than wait for the flags. With boot links, keep them until then.
  const applyNow = !input.linksPresent || state.bootstrap !== undefined;
  return only({ ...state, manifest, errors }, ...(applyNow ? [RECONCILE] : []));
};

/**
 * `next` with changed registrations: when the page's families changed, publish, and load their CSS once
 * the manifest is there and the flags answered (or now, on a page the boot snippet did not style).
 */
function familiesStep(state: RuntimeState, next: RuntimeState, linksPresent: boolean): StepResult {
  if (pageFamilies(state).join() === pageFamilies(next).join()) return only(next);
  const load = state.manifest.status === 'ready' && (state.flagsReady || !linksPresent);
  return only(next, PUBLISH, ...(load ? [RECONCILE] : []));
}

const onUse: Handler<'use'> = (state, { family, linksPresent }) => {
  const used = { ...state.used, [family]: (state.used[family] ?? 0) + 1 };
  return familiesStep(state, { ...state, used, registered: true }, linksPresent);
};

const onRelease: Handler<'release'> = (state, { family }) => {
  const count = (state.used[family] ?? 1) - 1;
  const used: Partial<Record<Family, number>> = { ...state.used, [family]: count };
  if (count <= 0) delete used[family];
  // A release never loads before the flags answered: the remaining families keep what they have.
  return familiesStep(state, { ...state, used }, true);
};

const onTheme: Handler<'theme'> = (state, { preference }) => {
  const next = { ...state, themePreference: preference };
  return only(next, themeOf(next), PUBLISH, store(STORAGE_KEYS.theme, preference));
};

const onSystemTheme: Handler<'system-theme'> = (state, { dark }) => {
  const next = { ...state, systemDark: dark };
  return only(next, themeOf(next), PUBLISH);
};

const onOptOut: Handler<'opt-out'> = (state, { optedOut }, now) => {
  const write = optedOut === state.optedOut ? [] : [store(STORAGE_KEYS.optOut, optedOut ? '1' : null)];
  return redecided({ ...state, optedOut }, now, ...write, { type: 'identify', optedOut });
};

const onDismissNotice: Handler<'dismiss-notice'> = (state) =>
  only({ ...state, noticeDismissed: true }, store(STORAGE_KEYS.notice, '1'), PUBLISH);

const onFallback: Handler<'fallback'> = (state, input, now) => {
  // Read-modify-write on the freshest stored record, so another tab's fallbacks are kept.
  const configVersion = state.decision.assignment.configVersion;
  const families = fallbacksFor(input.stored, configVersion);
  for (const family of input.families) families[family] ??= input.reason;
  const record = { configVersion, families };
  return redecided(
    { ...state, fallbacks: record },
    now,
    store(STORAGE_KEYS.fallback, serializeFallbacks(record)),
  );
};

const HANDLERS: { [T in Input['type']]: Handler<T> } = {
  start: onStart,
  started: (state) => only(state, PUBLISH),
  flags: onFlags,
  'flags-ready': onFlagsReady,
  stored: onStored,
  manifest: onManifest,
  use: onUse,
  release: onRelease,
  theme: onTheme,
  'system-theme': onSystemTheme,
  'opt-out': onOptOut,
  'dismiss-notice': onDismissNotice,
  fallback: onFallback,
  error: (state, { message }) => only({ ...state, errors: withError(state.errors, message) }),
  settled: (state) => only({ ...state, ready: true }, PUBLISH),
  destroy: (state) => only({ ...state, destroyed: true }),
  ...CSS_HANDLERS,
};

/**
 * The next state and the effects to carry out, in order, for `input` at time `now` (stage schedules read
 * it). Pure. After `destroy` every input is ignored: a destroyed rollout changes nothing on the page.
 */
export function step(state: RuntimeState, input: Input, now: number): StepResult {
  if (state.destroyed) return only(state);
  const handler = HANDLERS[input.type] as (s: RuntimeState, i: Input, n: number) => StepResult;
  return handler(state, input, now);
}
