// Which token stylesheets a gallery page loads: v2 = core + the shown families' files (the SDK's
// split), v1 = the monolith. Pure, over the build's manifest.
import type { Family } from 'token-rollout/core';
import type { ManifestFile, TokenManifest } from '../../tokens/manifest.js';
import type { GalleryVersion } from './params.js';

/** The manifest entries to load, in order (core before families); throws naming what is missing. */
export function tokenFiles(
  manifest: TokenManifest,
  version: GalleryVersion,
  families: readonly Family[],
): ManifestFile[] {
  const wanted = version === 'v1' ? ['all'] : ['core', ...families];
  return wanted.map((family) => {
    const entry = manifest.files.find((f) => f.version === version && f.family === family);
    if (!entry) throw new Error(`manifest.json has no ${version} file for "${family}"`);
    return entry;
  });
}
