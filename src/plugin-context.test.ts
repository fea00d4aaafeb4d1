// The context createTokenRollout hands its plugins: the manifest once the runtime knows it, or why not.
import { describe, expect, it } from 'vitest';
import type { TokenManifest } from '../tokens/manifest.js';
import { pluginContext } from './plugin-context.js';
import type { ManifestState } from './runtime/types.js';
import { createMemoryStorage } from './storage/safe.js';

const MANIFEST: TokenManifest = { schema: 1, themes: [], files: [], tokens: { count: 0 } };

function context(manifest: ManifestState, errors: string[] = []) {
  let resolve = () => {};
  const known = new Promise<void>((r) => {
    resolve = r;
  });
  let state: { manifest: ManifestState; errors: readonly string[] } = {
    manifest: { status: 'pending' },
    errors: [],
  };
  const ctx = pluginContext({} as Window, createMemoryStorage(), known, () => state);
  return {
    ctx,
    /** What rollout.ts does: resolve `manifestKnown`, then step the manifest input in the same task. */
    settle() {
      resolve();
      state = { manifest, errors };
    },
  };
}

describe('pluginContext', () => {
  it('hands over the manifest the runtime loaded', async () => {
    const { ctx, settle } = context({ status: 'ready', manifest: MANIFEST, base: 'https://app.test/' });
    settle();
    await expect(ctx.manifest).resolves.toEqual({ manifest: MANIFEST });
  });

  it("says why there is none, with the runtime's own error", async () => {
    const error = 'token manifest https://app.test/m.json could not be loaded: HTTP 404';
    const { ctx, settle } = context({ status: 'failed' }, ['flag x: y', error]);
    settle();
    await expect(ctx.manifest).resolves.toEqual({ manifest: null, error });
  });
});
