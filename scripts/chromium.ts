// One place for how the project starts Chromium outside Playwright's test runner (benchmarks, the
// traffic simulator) and inside it (playwright.config.ts): Debian's Chromium, found or installed by
// scripts/ensure-browser.sh and passed as CHROMIUM_PATH, kept off the network, which is closed here.
import { existsSync } from 'node:fs';

/** Flags that keep Chromium from calling home (refused here) and make rendering deterministic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--disable-quic',
];

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium, else undefined (Playwright's own download). */
export function chromiumExecutable(): string | undefined {
  return process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
}

/** Launch options for `chromium.launch()`, with extra flags appended. */
export function chromiumLaunchOptions(extraArgs: readonly string[] = []): {
  executablePath: string | undefined;
  args: string[];
} {
  return { executablePath: chromiumExecutable(), args: [...CHROMIUM_ARGS, ...extraArgs] };
}
