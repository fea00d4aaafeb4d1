// `npm run bench -- flip`: time from the admin call that turns `design-tokens-v2` off to the open page's
// decision being v1 (flag-off), and to its token CSS being v1 only (the full runtime), per real LaunchDarkly
// SDK major, p50/p95 over 20 flips. Baselines from the same run: the admin call's own round trip, and a
// bare Node SSE client receiving the patch. Needs the built tokens (`npm run build:tokens`).

import { chromium } from '@playwright/test';
import { startFlagsHarness, waitForRender } from '../e2e/fixtures/flags/harness.js';
import { chromiumLaunchOptions } from '../scripts/chromium.js';
import { bucketOf } from '../src/assign/bucket.js';
import { FLAG_KEY } from '../src/families.js';
import { quantile } from './quantile.js';
import type { BenchContext } from './run.js';

/** Nearest-rank percentile of `values` (ms). */
/** The p-th percentile (0..100), to 0.1 ms. */
const percentile = (values: readonly number[], p: number) => Math.round(quantile(values, p / 100) * 10) / 10;

const now = () => performance.timeOrigin + performance.now();

export default async function flip(ctx: BenchContext) {
  const flips = ctx.args.includes('--quick') ? 5 : 20;
  const h = await startFlagsHarness();
  const browser = await chromium.launch(chromiumLaunchOptions());
  let key = '';
  for (let i = 0; !key; i++) if (bucketOf(FLAG_KEY, FLAG_KEY, `user-${i}`) < 0.05) key = `user-${i}`;
  const admin = async (on: boolean) => {
    const t0 = now();
    await h.admin('POST', '/admin/flag', { on });
    return { t0, roundTrip: now() - t0 };
  };
  try {
    const perSdk: Record<
      string,
      {
        p50Ms: number;
        p95Ms: number;
        samplesMs: number[];
        cssP50Ms: number;
        cssP95Ms: number;
        cssSamplesMs: number[];
      }
    > = {};
    const roundTrips: number[] = [];
    for (const sdk of ['v3', 'v4'] as const) {
      const page = await browser.newPage();
      await page.goto(h.pageUrl({ sdk, key, region: 'AU' }));
      await waitForRender(page, { origin: 'live', versions: { buttons: 'v2' } });
      const samples: number[] = [];
      // One uncounted warm-up flip: the first one also pays for JIT and connection set-up.
      for (let i = -1; i < flips; i++) {
        const { t0, roundTrip } = await admin(false);
        const render = await waitForRender(page, { reason: 'flag-off' });
        if (i >= 0) {
          roundTrips.push(roundTrip);
          samples.push(render.at - t0);
        }
        await admin(true);
        await waitForRender(page, { versions: { buttons: 'v2' } });
      }
      await page.close();

      // The same flips through the runtime: until the page's token CSS is v1 only (v2 sheets dropped).
      const css = await browser.newPage();
      await css.goto(h.pageUrl({ sdk, key, region: 'AU', page: 'rollout' }));
      const counts = () => css.evaluate(() => [window.cssV1At.length, window.cssV2At.length] as const);
      await css.waitForFunction(() => window.cssV2At.length > 0, undefined, { timeout: 30_000 });
      const cssSamples: number[] = [];
      for (let i = -1; i < flips; i++) {
        const [v1, v2] = await counts();
        const { t0 } = await admin(false);
        const at = await css.waitForFunction((n) => window.cssV1At[n], v1, { timeout: 30_000 });
        if (i >= 0) cssSamples.push(((await at.jsonValue()) as number) - t0);
        await admin(true);
        await css.waitForFunction((n) => window.cssV2At.length > n, v2, { timeout: 30_000 });
      }
      await css.close();
      perSdk[sdk] = {
        p50Ms: percentile(samples, 50),
        p95Ms: percentile(samples, 95),
        samplesMs: samples,
        cssP50Ms: percentile(cssSamples, 50),
        cssP95Ms: percentile(cssSamples, 95),
        cssSamplesMs: cssSamples,
      };
    }

    // Baseline: a Node client on the stream, timing admin call → patch event (no browser, no SDK).
    const context = Buffer.from(JSON.stringify({ kind: 'user', key, region: 'AU' })).toString('base64url');
    const stream = await fetch(`${h.flags.url}/eval/env/${context}`);
    const reader = stream.body!.getReader();
    const nextPatch = async () => {
      for (;;) {
        const { value } = await reader.read();
        if (new TextDecoder().decode(value).includes('event: patch')) return now();
      }
    };
    const nodeSamples: number[] = [];
    for (let i = 0; i < flips; i++) {
      for (const on of [false, true]) {
        const arrived = nextPatch();
        const { t0 } = await admin(on);
        if (!on) nodeSamples.push((await arrived) - t0);
        else await arrived;
      }
    }
    await reader.cancel();

    const all = [...(perSdk.v3?.samplesMs ?? []), ...(perSdk.v4?.samplesMs ?? [])];
    const allCss = [...(perSdk.v3?.cssSamplesMs ?? []), ...(perSdk.v4?.cssSamplesMs ?? [])];
    const result = {
      flips,
      p50Ms: percentile(all, 50),
      p95Ms: percentile(all, 95),
      cssP50Ms: percentile(allCss, 50),
      cssP95Ms: percentile(allCss, 95),
      goalP95Ms: 250,
      sdk: perSdk,
      baseline: {
        adminRoundTripP50Ms: percentile(roundTrips, 50),
        nodeStreamP50Ms: percentile(nodeSamples, 50),
        nodeStreamP95Ms: percentile(nodeSamples, 95),
      },
    };
    ctx.table('flag off → page decision v1 / token CSS v1 only (ms)', [
      ...Object.entries(perSdk).map(([name, r]) => ({
        client: `LaunchDarkly ${name}`,
        p50: r.p50Ms,
        p95: r.p95Ms,
        cssP50: r.cssP50Ms,
        cssP95: r.cssP95Ms,
      })),
      {
        client: 'both',
        p50: result.p50Ms,
        p95: result.p95Ms,
        cssP50: result.cssP50Ms,
        cssP95: result.cssP95Ms,
      },
      {
        client: 'baseline: Node SSE client',
        p50: result.baseline.nodeStreamP50Ms,
        p95: result.baseline.nodeStreamP95Ms,
      },
      { client: 'baseline: admin round trip', p50: result.baseline.adminRoundTripP50Ms, p95: '' },
    ]);
    return result;
  } finally {
    await browser.close();
    await h.close();
  }
}
