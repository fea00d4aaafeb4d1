// Bundles a TypeScript entry (an e2e fixture page's script, or the SDK as an app imports it) for the
// browser with esbuild, in memory, so e2e pages run the real source without a separate build step.
import { build } from 'esbuild';

const cache = new Map<string, Promise<string>>();

/** One browser build setting for every in-memory bundle: ESM, es2022, nothing written. */
const BROWSER = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false } as const;

/** Bundles TypeScript source text (resolved from `resolveDir`) into one minified ESM script. */
export async function bundleSource(
  contents: string,
  resolveDir: string,
  sourcefile: string,
): Promise<string> {
  const out = await build({
    ...BROWSER,
    stdin: { contents, resolveDir, loader: 'ts', sourcefile },
    minify: true,
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

/** Returns the entry bundled as one ESM script (minified when asked); cached per entry and mode. */
export function bundle(entry: string, options: { minify?: boolean; define?: Record<string, string> } = {}) {
  const key = JSON.stringify([entry, options]);
  let result = cache.get(key);
  if (!result) {
    result = build({
      ...BROWSER,
      entryPoints: [entry],
      minify: options.minify ?? false,
      define: options.define ?? {},
      logLevel: 'silent',
    }).then((out) => out.outputFiles[0]?.text ?? '');
    cache.set(key, result);
  }
  return result;
}
