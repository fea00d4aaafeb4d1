// What createTokenRollout hands each plugin besides the rollout object: the page it runs in, the storage it
// uses and its token manifest once known. Monitoring reads them so that it works as the quick start wires
// it (its CSS size budget needs the manifest, which the rollout already has) with no option repeated.
import type { ManifestOutcome } from './monitoring/target.js';
import type { RuntimeState } from './runtime/types.js';
import type { KeyValueStorage } from './storage/storage.js';

/** The second argument of every plugin (`RolloutPlugin`). */
export interface PluginContext {
  window: Window;
  /** The rollout's storage (guarded: it never throws). */
  storage: KeyValueStorage;
  /** Settles once the rollout knows its manifest: the manifest, or why there is none. Never rejects. */
  manifest: Promise<ManifestOutcome>;
}

/** The context of one rollout; `manifestKnown` settles once its manifest was loaded or failed. */
export function pluginContext(
  win: Window,
  storage: KeyValueStorage,
  manifestKnown: Promise<void>,
  state: () => Pick<RuntimeState, 'manifest' | 'errors'>,
): PluginContext {
  const outcome = (): ManifestOutcome => {
    const { manifest, errors } = state();
    if (manifest.status === 'ready') return { manifest: manifest.manifest };
    const why =
      errors.find((e) => e.startsWith('token manifest')) ?? 'the token manifest could not be loaded';
    return { manifest: null, error: why };
  };
  // `manifestKnown` resolves in the same task that steps the manifest input: its callbacks see the result.
  return { window: win, storage, manifest: manifestKnown.then(outcome, outcome) };
}
