// Turning measurements into contract events and fanning them out to the reporters. Events recorded
// before the rollout's first settled decision wait for it, so they carry the stage, config version, arm
// and assignment the page actually ran with; they keep their own timestamps.
import type { Family } from '../families.js';
import { armOf } from '../metrics/arm.js';
import {
  createEvent,
  type EventContext,
  type EventExtras,
  normalizeRegion,
} from '../metrics/create-event.js';
import type { MetricEvent, MetricName } from '../metrics/event.js';
import { newEventId, type SessionCrypto } from '../metrics/identity.js';
import type { Reporter } from '../report/reporter.js';
import type { MonitorState } from './target.js';

/** What the emitter needs: where events go, who they are about, and the rollout's current state. */
export interface EmitterOptions {
  reporters: readonly Reporter[];
  /** The salted user hash and the page session id. */
  user: string;
  session: string;
  /** The user key, to scrub from free text (it must never leave the page). */
  key: string | undefined;
  crypto: SessionCrypto | undefined;
  now(): number;
  state(): MonitorState;
  /** Called with every event sent (counting, debugging). */
  onSent(event: MetricEvent): void;
}

/** Emits events; holds them until the first settled decision. */
export interface Emitter {
  emit(name: MetricName, value: number | string, extras?: EventExtras): void;
  /** The first settled decision arrived: held events go out now, later ones at once. */
  settle(): void;
  /** Sends the held events as they are (the page is going away before a decision settled). */
  flushHeld(): void;
}

/** The families of the page, or every family when the state does not say. */
export const pageFamiliesOf = (s: MonitorState, all: readonly Family[]): readonly Family[] =>
  s.pageFamilies ?? all;

/** Where an event happened, from the rollout's state (arm derived when the state lacks one). */
function contextOf(state: MonitorState, all: readonly Family[]): EventContext {
  return {
    arm: state.arm ?? armOf(state.families, pageFamiliesOf(state, all)),
    stage: state.stage,
    configVersion: state.configVersion,
    region: normalizeRegion(state.region ?? undefined),
    assignment: state.assignment,
    bucket: state.bucket,
  };
}

/** Creates the emitter for one page session. */
export function createEmitter(options: EmitterOptions, all: readonly Family[]): Emitter {
  const { key, reporters } = options;
  const send = (name: MetricName, value: number | string, ts: number, extras?: EventExtras) => {
    const state = options.state();
    // Opted-out users are excluded from metrics: only the opt-out itself is reported.
    if (state.optedOut && name !== 'opt-out') return;
    // Error messages and labels are free text: the user key must not leave the page through them either.
    const freeText = name === 'js-error' || name === 'conversion';
    const detail =
      freeText && extras?.detail && key ? extras.detail.split(key).join('[user]') : extras?.detail;
    const id = newEventId(options.crypto);
    const identity = { user: options.user, session: options.session };
    const event = createEvent(name, value, contextOf(state, all), identity, ts, { ...extras, detail, id });
    options.onSent(event);
    for (const reporter of reporters) {
      try {
        reporter.report(event);
      } catch {
        // One broken reporter must not stop the others or the page.
      }
    }
  };
  let settled = false;
  const held: Array<() => void> = [];
  const flushHeld = () => {
    for (const record of held.splice(0)) record();
  };
  return {
    emit(name, value, extras) {
      const ts = options.now();
      if (settled || name === 'opt-out') send(name, value, ts, extras);
      else held.push(() => send(name, value, ts, extras));
    },
    settle() {
      settled = true;
      flushHeld();
    },
    flushHeld,
  };
}
