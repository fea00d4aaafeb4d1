import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { type Plugin, type RollupOptions, rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

/** Browser entry points: they must never import Node code. */
const browser = {
  index: 'src/index.ts',
  react: 'src/react/index.ts',
  launchdarkly: 'src/launchdarkly/index.ts',
  boot: 'src/boot/index.ts',
  /** monitoring() and the reporters started with the page; `token-rollout`'s own start them after `load`. */
  monitoring: 'src/monitoring/index.ts',
  /** The pure core (config, assignment, event contract) that the Node tools read too. */
  core: 'src/core.ts',
};
const external = (id: string) =>
  /^(node:|react($|\/)|web-vitals|launchdarkly-js-client-sdk|@launchdarkly\/)/.test(id);

const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts', 'tokens/**/*.ts'],
    compilerOptions: { noEmit: false, declaration: false, outDir: 'dist' },
  });

/** Builds src/boot/snippet.ts as a minified IIFE and exposes it as `virtual:boot-iife`. */
export function bootIife(): Plugin {
  const id = 'virtual:boot-iife';
  return {
    name: 'boot-iife',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    async load(resolved) {
      if (resolved !== `\0${id}`) return null;
      const bundle = await rollup({ input: 'src/boot/snippet.ts', plugins: [ts()] });
      const { output } = await bundle.generate({
        format: 'iife',
        plugins: [terser({ compress: { passes: 2 }, format: { comments: false } })],
      });
      await bundle.close();
      return `export default ${JSON.stringify(output[0].code.trim())};`;
    },
  };
}

const config: RollupOptions[] = [
  {
    input: browser,
    external,
    plugins: [bootIife(), nodeResolve(), ts()],
    output: [
      // No hoisted `import './chunk.js'` lines: with the package's `sideEffects: false`, an app's esbuild
      // warns about each ("Ignoring this import ... marked as having no side effects").
      {
        dir: 'dist',
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        hoistTransitiveImports: false,
      },
      {
        dir: 'dist',
        format: 'cjs',
        entryFileNames: '[name].cjs',
        chunkFileNames: 'chunks/[name]-[hash].cjs',
        hoistTransitiveImports: false,
      },
    ],
  },
  {
    input: 'src/boot/snippet.ts',
    plugins: [ts()],
    output: { file: 'dist/boot.iife.js', format: 'iife', plugins: [terser({ compress: { passes: 2 } })] },
  },
  ...Object.entries(browser).flatMap(([name, input]): RollupOptions[] => [
    { input, external, plugins: [dts()], output: { file: `dist/${name}.d.ts`, format: 'es' } },
    { input, external, plugins: [dts()], output: { file: `dist/${name}.d.cts`, format: 'es' } },
  ]),
];

export default config;
