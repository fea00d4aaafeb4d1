import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { bootIife } from './rollup.config.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  plugins: [bootIife()],
  resolve: {
    // The workspace's packages by their public names, from source (tsconfig.json's `paths` say the same).
    alias: [
      { find: /^token-rollout\/core$/, replacement: here('./src/core.ts') },
      { find: /^token-rollout-tools$/, replacement: here('./packages/tools/src/index.ts') },
    ],
  },
  test: {
    include: [
      '{src,tokens,scripts,bench,reliability,test-support}/**/*.test.ts',
      'packages/tools/src/**/*.test.ts',
      'apps/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
  },
});
