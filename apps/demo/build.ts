// Bundles the demo storefront (and, through `bundleBrowserEntry`, the dashboard) for the browser with
// esbuild. The SDK is imported by its package names, mapped here to the sources, as an app sees them.
// `tsx apps/demo/build.ts` writes dist/demo/; the dev server bundles in memory at start.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin, transform } from 'esbuild';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The package's public entry points, as `token-rollout`'s exports map them, pointed at the sources. */
export const PACKAGE_ALIASES: Record<string, string> = {
  'token-rollout': join(root, 'src/index.ts'),
  'token-rollout/react': join(root, 'src/react/index.ts'),
  'token-rollout/launchdarkly': join(root, 'src/launchdarkly/index.ts'),
  'token-rollout/boot': join(root, 'src/boot/index.ts'),
  'token-rollout/core': join(root, 'src/core.ts'),
};

/** Builds the boot snippet (src/boot/snippet.ts) as the minified IIFE that rollup's build inlines. */
export async function buildBootIife(): Promise<string> {
  const out = await build({
    entryPoints: [join(root, 'src/boot/snippet.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return (out.outputFiles[0]?.text ?? '').trim();
}

/** The `token-rollout/boot` module, as the server renders it: bundled for Node with the snippet resolved. */
export type BootModule = typeof import('../../src/boot/index.js');

/** Bundles an entry for Node (the sources inlined, npm packages left to Node) and imports it. */
async function importBundled<T>(entry: string, name: string): Promise<T> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    packages: 'external',
    alias: PACKAGE_ALIASES,
    plugins: [bootIifePlugin()],
    jsx: 'automatic',
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.text ?? '';
  // Written under dist/ so that Node resolves the external packages from the project's node_modules.
  const dir = join(root, 'dist/demo/node');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.${createHash('sha256').update(code).digest('hex').slice(0, 10)}.mjs`);
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href)) as T;
}

/** Loads `token-rollout/boot` in Node (its `virtual:boot-iife` import needs the snippet built first). */
export function loadBootModule(): Promise<BootModule> {
  return importBundled<BootModule>(join(root, 'src/boot/index.ts'), 'boot');
}

/** Server-renders the storefront (demo/ssr.tsx) to the HTML the page is first painted with. */
export async function renderStorefrontHtml(): Promise<string> {
  const ssr = await importBundled<typeof import('./ssr.js')>(join(root, 'apps/demo/ssr.tsx'), 'ssr');
  return ssr.renderStorefront();
}

/** Resolves `virtual:boot-iife` (what rollup provides to src/boot/index.ts) for esbuild bundles. */
function bootIifePlugin(): Plugin {
  return {
    name: 'boot-iife',
    setup(b) {
      b.onResolve({ filter: /^virtual:boot-iife$/ }, () => ({ path: 'boot-iife', namespace: 'virtual' }));
      b.onLoad({ filter: /.*/, namespace: 'virtual' }, async () => ({
        contents: `export default ${JSON.stringify(await buildBootIife())};`,
        loader: 'js',
      }));
    },
  };
}

/**
 * One bundled browser entry: the entry script's file name, every script file (the entry and the chunks
 * its dynamic imports load, content-hashed names) and the CSS its imports pulled in (empty when none).
 */
export interface BrowserBundle {
  entry: string;
  scripts: Map<string, string>;
  css: string;
}

/** Bundles a browser entry as minified ESM (dynamic imports become chunks), with the package aliases. */
export async function bundleBrowserEntry(
  entry: string,
  options: { minify?: boolean } = {},
): Promise<BrowserBundle> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? true,
    write: false,
    outdir: '/out',
    entryNames: '[name].[hash]',
    chunkNames: 'chunk.[hash]',
    alias: PACKAGE_ALIASES,
    plugins: [bootIifePlugin()],
    define: { 'process.env.NODE_ENV': '"production"' },
    jsx: 'automatic',
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
  });
  const scripts = new Map<string, string>();
  let css = '';
  for (const file of out.outputFiles) {
    const name = file.path.slice('/out/'.length);
    if (name.endsWith('.js')) scripts.set(name, file.text);
    else if (name.endsWith('.css')) css += file.text;
  }
  const entryName = Object.entries(out.metafile.outputs)
    .find(([, o]) => o.entryPoint)?.[0]
    ?.replace(/^.*\//, '');
  if (!entryName) throw new Error(`esbuild produced no entry script for ${entry}`);
  return { entry: entryName, scripts, css };
}

/** The built demo: its scripts, the storefront's minified CSS (inlined in <head>) and its server HTML. */
export interface DemoBuild {
  app: BrowserBundle;
  css: string;
  html: string;
}

/** Builds the storefront: demo/main.tsx bundled, demo/styles.css minified, the markup server-rendered. */
export async function buildDemo(options: { minify?: boolean } = {}): Promise<DemoBuild> {
  const [app, css, html] = await Promise.all([
    bundleBrowserEntry(join(root, 'apps/demo/main.tsx'), options),
    transform(readFileSync(join(root, 'apps/demo/styles.css'), 'utf8'), { loader: 'css', minify: true }),
    renderStorefrontHtml(),
  ]);
  return { app, css: css.code, html };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = join(root, 'dist/demo');
  const built = await buildDemo();
  mkdirSync(outDir, { recursive: true });
  // Scripts are content-hashed: drop the previous build's so that only this one's remain.
  for (const name of readdirSync(outDir)) if (name.endsWith('.js')) rmSync(join(outDir, name));
  for (const [name, text] of built.app.scripts) writeFileSync(join(outDir, name), text);
  writeFileSync(join(outDir, 'styles.css'), built.css);
  writeFileSync(join(outDir, 'storefront.html'), built.html);
  const sizes = [...built.app.scripts].map(([name, text]) => `${name} ${text.length} B`).join(', ');
  console.log(`dist/demo: ${sizes}; entry ${built.app.entry}; styles.css ${built.css.length} B`);
}
