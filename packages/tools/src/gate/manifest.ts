// The bundle size the plan's table bounds (> 40 KB rolls back, < 30 KB is the target): the v2 token CSS
// listed in the manifest the page loads (dist/tokens/manifest.json, or its deployed URL), summed over every
// v2 file (core + every family: the whole site, what week 4 serves), in raw bytes as the table's
// "121KB → 27KB" counts them.
import { readFile } from 'node:fs/promises';
import { GateInputError } from './events.js';

/** The manifest's v2 bytes and where they came from. */
export interface BundleSize {
  bytes: number;
  files: number;
  source: string;
}

/** Sums the v2 files of a parsed manifest; errors name the source and the JSON path. */
export function bundleOfManifest(json: unknown, source: string): BundleSize {
  const files = (json as { files?: unknown } | null)?.files;
  if (!Array.isArray(files))
    throw new GateInputError(`--manifest ${source}: $.files must be an array (a token manifest)`);
  let bytes = 0;
  let count = 0;
  for (const [i, f] of files.entries()) {
    const file = f as { version?: unknown; bytes?: unknown };
    if (file?.version !== 'v2') continue;
    if (typeof file.bytes !== 'number' || !(file.bytes >= 0)) {
      throw new GateInputError(`--manifest ${source}: $.files[${i}].bytes must be a number of bytes`);
    }
    bytes += file.bytes;
    count++;
  }
  if (count === 0) throw new GateInputError(`--manifest ${source}: no v2 files listed`);
  return { bytes, files: count, source };
}

/** Reads the manifest from a URL (http/https) or a file. */
export async function readBundleSize(source: string, fetcher: typeof fetch): Promise<BundleSize> {
  let text: string;
  if (/^https?:\/\//.test(source)) {
    const response = await fetcher(source);
    if (!response.ok) throw new Error(`GET ${source} failed: ${response.status}`);
    text = await response.text();
  } else {
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      throw new GateInputError(
        `--manifest: cannot read ${source} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GateInputError(`--manifest ${source}: not JSON (${(error as Error).message})`);
  }
  return bundleOfManifest(json, source);
}
