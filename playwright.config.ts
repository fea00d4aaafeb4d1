import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/chromium.js';

// Debian's Chromium (found or installed by scripts/ensure-browser.sh, passed as CHROMIUM_PATH);
// without it, Playwright's own download. The flags keep Chromium off the (closed) network and make
// screenshots deterministic (the parity tests compare pixels with zero tolerance).
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    launchOptions: chromiumLaunchOptions(['--font-render-hinting=none', '--force-color-profile=srgb']),
  },
});
