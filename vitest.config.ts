import { defineConfig } from 'vitest/config';
import { bootIife } from './rollup.config.js';

export default defineConfig({
  plugins: [bootIife()],
  test: {
    include: ['{src,server,gate,tokens,scripts,bench,bin,reliability,demo}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
