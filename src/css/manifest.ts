// Validating a token manifest fetched at run time: a bad manifest must produce a clear error, not a
// half-styled page. A v2 file whose SRI digest is malformed is refused on its own (its family falls back to
// the v1 monolith, which styles every family); a malformed v1 digest refuses the whole manifest, since
// nothing could then style a family safely.
import type { ManifestFile, TokenManifest } from '../../tokens/manifest.js';
import { errorText, isRecord } from '../json.js';
import { isWellFormedSri } from './sri.js';

/**
 * A manifest, or what is wrong with it (JSON path and expectation) and where it came from. `issues` names
 * the v2 files refused for a malformed SRI digest (left out of `manifest`).
 */
export type ManifestResult =
  | { ok: true; manifest: TokenManifest; issues?: string[] }
  | { ok: false; error: string };

const SRI_EXPECTED = 'a well-formed SRI digest (sha256/sha384/sha512, base64 of the right length)';

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
  const issues: string[] = [];
  for (const [i, raw] of (value.files as unknown[]).entries()) {
    const path = `$.files[${i}]`;
    if (!isRecord(raw)) return fail(path, 'an object');
    const f = raw;
    if (typeof f.family !== 'string') return fail(`${path}.family`, 'a string');
    if (f.version !== 'v1' && f.version !== 'v2') return fail(`${path}.version`, '"v1" or "v2"');
    if (typeof f.file !== 'string' || f.file === '') return fail(`${path}.file`, 'a non-empty string');
    if (!isWellFormedSri(f.integrity)) {
      if (f.version === 'v1') return fail(`${path}.integrity`, SRI_EXPECTED);
      issues.push(`token manifest ${source}: ${path}.integrity must be ${SRI_EXPECTED}; ${f.file} refused`);
      continue;
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
  const manifest: TokenManifest = { schema: 1, themes, files, tokens: { count } };
  return issues.length > 0 ? { ok: true, manifest, issues } : { ok: true, manifest };
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
      error: `token manifest ${url} could not be loaded: ${errorText(error)}`,
    };
  }
}
