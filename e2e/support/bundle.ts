// Bundles a TypeScript entry (an e2e fixture page's script, or the SDK as an app imports it) for the
// browser with esbuild, in memory, so e2e pages run the real source without a separate build step.
import { build } from 'esbuild';

const cache = new Map<string, Promise<string>>();

/** Returns the entry bundled as one ESM script (minified when asked); cached per entry and mode. */
export function bundle(entry: string, options: { minify?: boolean; define?: Record<string, string> } = {}) {
  const key = JSON.stringify([entry, options]);
  let result = cache.get(key);
  if (!result) {
    result = build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      minify: options.minify ?? false,
      define: options.define ?? {},
      logLevel: 'silent',
    }).then((out) => out.outputFiles[0]?.text ?? '');
    cache.set(key, result);
  }
  return result;
}
