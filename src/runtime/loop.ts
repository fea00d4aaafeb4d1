// The runtime loop: holds the state, runs `step` for each input, carries out its effects in order and
// publishes snapshots to subscribers when they differ (structurally) from the last one.
import type { RolloutState } from '../state.js';
import { sameSnapshot, snapshotOf } from './snapshot.js';
import { step } from './step.js';
import type { Effect, Input, RuntimeState } from './types.js';

/** Carries out one effect other than `publish`; a promise when the effect finishes later. */
export type Perform = (effect: Exclude<Effect, { type: 'publish' }>) => Promise<void> | undefined;

/** The loop of one rollout. */
export interface Loop {
  state(): RuntimeState;
  /** The last published snapshot. */
  snapshot(): RolloutState;
  /** Steps with `input` and runs its effects; resolves when the slow ones (CSS, identify) are done. */
  dispatch(input: Input): Promise<void>;
  subscribe(listener: (state: RolloutState) => void): () => void;
  clearListeners(): void;
}

/** Options of `createLoop`. */
export interface LoopOptions {
  now(): number;
  /** Set once the loop exists: effects report back through its `dispatch`. */
  perform: Perform;
  /** A failing subscriber, reported without stopping the others or the rollout. */
  reportError(error: unknown): void;
}

/** Creates the loop from an initial state. Nothing runs until the first `dispatch`. */
export function createLoop(initial: RuntimeState, options: LoopOptions): Loop {
  let state = initial;
  let published = snapshotOf(initial);
  const listeners = new Set<(state: RolloutState) => void>();

  const publish = () => {
    if (state.destroyed) return;
    const next = snapshotOf(state);
    if (sameSnapshot(next, published)) return;
    published = next;
    for (const listener of [...listeners]) {
      try {
        listener(published);
      } catch (error) {
        options.reportError(error);
      }
    }
  };

  return {
    state: () => state,
    snapshot: () => published,
    dispatch(input) {
      const result = step(state, input, options.now());
      state = result.state;
      const slow: Promise<void>[] = [];
      for (const effect of result.effects) {
        if (effect.type === 'publish') publish();
        else {
          const done = options.perform(effect);
          if (done) slow.push(done);
        }
      }
      return slow.length === 0 ? Promise.resolve() : Promise.all(slow).then(() => {});
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    clearListeners: () => listeners.clear(),
  };
}
