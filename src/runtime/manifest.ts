// The manifest effect: the token manifest given, or fetched from its URL, checked, and the base its file
// paths resolve against.
import type { TokenManifest } from '../../tokens/manifest.js';
import { fetchManifest, type ManifestFetch, type ManifestResult, parseManifest } from '../css/manifest.js';

/** The manifest, or null with the error; and the base URL for its files. */
export interface LoadedManifest {
  manifest: TokenManifest | null;
  base: string;
  error?: string;
}

/** Where the manifest comes from and how its files resolve. */
export interface ManifestSource {
  manifest: TokenManifest | string;
  /** URL prefix for the files (default: the manifest URL, else the page). */
  tokenBase?: string;
  baseURI: string;
  fetch: ManifestFetch;
}

/** The parse as the runtime takes it: refused files (a usable manifest's issues) become its error text. */
function loaded(parsed: ManifestResult, base: string): LoadedManifest {
  if (!parsed.ok) return { manifest: null, base, error: parsed.error };
  return parsed.issues
    ? { manifest: parsed.manifest, base, error: parsed.issues.join('; ') }
    : { manifest: parsed.manifest, base };
}

/** Loads and checks the manifest. Never rejects for a bad manifest (only for an unparseable URL). */
export async function loadManifest(source: ManifestSource): Promise<LoadedManifest> {
  const { baseURI, tokenBase } = source;
  const resolve = (fallback: string) => (tokenBase ? new URL(tokenBase, baseURI).href : fallback);
  if (typeof source.manifest !== 'string') {
    return loaded(parseManifest(source.manifest, 'options.manifest'), resolve(baseURI));
  }
  const url = new URL(source.manifest, baseURI).href;
  return loaded(await fetchManifest(source.fetch, url), resolve(url));
}
