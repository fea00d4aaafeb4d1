// Builds token-rollout-tools: dist/index.js (the library), dist/cli.js (the `token-rollout` command) and
// dist/index.d.ts. Every package import stays external: the SDK's core (`token-rollout/core`, a peer
// dependency, so the tools read events and configs with the very contract the app's SDK writes) and the
// Node dependencies. esbuild for the code (the tools need no down-levelling), rollup-plugin-dts for types.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

rmSync(here('dist'), { recursive: true, force: true });
await build({
  entryPoints: { index: here('src/index.ts'), cli: here('src/cli.ts') },
  outdir: here('dist'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // The workspace's tsconfig maps `token-rollout/core` to the SDK's source for tests; the package must not.
  tsconfigRaw: {},
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
const cli = here('dist/cli.js');
writeFileSync(cli, `#!/usr/bin/env node\n${readFileSync(cli, 'utf8')}`);
chmodSync(cli, 0o755);

const types = await rollup({
  input: here('src/index.ts'),
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  plugins: [dts({ tsconfig: here('tsconfig.json') })],
});
await types.write({ file: here('dist/index.d.ts'), format: 'es' });
await types.close();
console.log('token-rollout-tools: dist/index.js, dist/cli.js, dist/index.d.ts');
