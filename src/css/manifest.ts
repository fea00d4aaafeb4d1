// Validating a token manifest fetched at run time: a bad manifest must produce a clear error, not a
// half-styled page.
import type { ManifestFile, TokenManifest } from '../../tokens/manifest.js';
import { isRecord } from '../json.js';

/** A manifest, or what is wrong with it (JSON path and expectation) and where it came from. */
export type ManifestResult = { ok: true; manifest: TokenManifest } | { ok: false; error: string };

/** Checks `json` against the manifest shape; `source` (URL or "options.manifest") names it in errors. */
export function parseManifest(json: unknown, source: string): ManifestResult {
  const fail = (path: string, expected: string): ManifestResult => ({
    ok: false,
    error: `token manifest ${source}: ${path} must be ${expected}`,
  });
  if (!isRecord(json)) return fail('$', 'an object');
  const value = json;
  if (value.schema !== 1) return fail('$.schema', '1');
  if (!Array.isArray(value.files)) return fail('$.files', 'an array');
  const files: ManifestFile[] = [];
  for (const [i, raw] of (value.files as unknown[]).entries()) {
    const path = `$.files[${i}]`;
    if (!isRecord(raw)) return fail(path, 'an object');
    const f = raw;
    if (typeof f.family !== 'string') return fail(`${path}.family`, 'a string');
    if (f.version !== 'v1' && f.version !== 'v2') return fail(`${path}.version`, '"v1" or "v2"');
    if (typeof f.file !== 'string' || f.file === '') return fail(`${path}.file`, 'a non-empty string');
    if (typeof f.integrity !== 'string' || !/^sha(256|384|512)-/.test(f.integrity)) {
      return fail(`${path}.integrity`, 'an SRI hash ("sha384-…")');
    }
    files.push({
      family: f.family,
      version: f.version,
      file: f.file,
      integrity: f.integrity,
      bytes: typeof f.bytes === 'number' ? f.bytes : 0,
      gzipBytes: typeof f.gzipBytes === 'number' ? f.gzipBytes : 0,
    });
  }
  const themes = Array.isArray(value.themes)
    ? value.themes.filter((t): t is string => typeof t === 'string')
    : [];
  const tokens = value.tokens as { count?: unknown } | undefined;
  const count = typeof tokens?.count === 'number' ? tokens.count : 0;
  return { ok: true, manifest: { schema: 1, themes, files, tokens: { count } } };
}

/** What fetching the manifest needs: `window.fetch`, or a test's stand-in. */
export type ManifestFetch = (
  url: string,
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** Fetches and checks the manifest at `url`; never rejects. Shared by the rollout and monitoring. */
export async function fetchManifest(fetcher: ManifestFetch, url: string): Promise<ManifestResult> {
  try {
    const response = await fetcher(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return parseManifest(await response.json(), url);
  } catch (error) {
    return {
      ok: false,
      error: `token manifest ${url} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
