// Leaks: one page (the reliability fixture with the gallery content twice over, ~1,000 DOM nodes), 1,000 theme
// switches and 200 rollback/restore cycles (flag source set off, then on, each waited until the token
// links settled). DOM counters (CDP Memory.getDOMCounters) and the JS heap after a forced GC are taken
// before (after a warm-up) and after each phase; deltas are what the page kept.

import { chromium } from '@playwright/test';
import type { RelWindow } from '../e2e/fixtures/reliability/app.js';
import { startReliabilityServer } from '../e2e/fixtures/reliability/server.js';
import { chromiumLaunchOptions } from '../scripts/chromium.js';
import type { BenchContext } from './run.js';

const ALL_V2 = { stage: 'go', version: 'rel-1', go: { percentage: 100, regions: ['all'] } };

export default async function leaks(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const themeSwitches = quick ? 100 : 1000;
  const rollbackCycles = quick ? 20 : 200;
  const server = await startReliabilityServer();
  const browser = await chromium.launch(chromiumLaunchOptions(['--js-flags=--expose-gc']));
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.pageUrl({ flags: { kind: 'static', config: ALL_V2 } }, { gallery: true }));
    await page.waitForFunction(() => (window as unknown as RelWindow).rel?.rollout !== undefined);
    await page.evaluate(() => (window as unknown as RelWindow).rel.rollout?.ready);
    const cdp = await page.context().newCDPSession(page);

    const measure = async (label: string) => {
      for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
      const { documents, nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return { phase: label, documents, nodes, jsEventListeners, heapBytes: usedSize };
    };
    const switchThemes = (n: number) =>
      page.evaluate(async (count) => {
        const r = (window as unknown as RelWindow).rel.rollout;
        for (let i = 0; i < count; i++) await r?.setTheme(i % 2 === 0 ? 'dark' : 'light');
        await r?.setTheme('light');
      }, n);
    // Passed as source text: tsx (esbuild keepNames) would wrap named inner functions in a `__name`
    // helper that does not exist in the page.
    const cycle = (n: number) =>
      page.evaluate(`(async () => {
        const rel = window.rel;
        const on = ${JSON.stringify(ALL_V2)};
        function settled(v2) {
          return new Promise(function (resolve) {
            function check() {
              const ids = [...document.querySelectorAll('link[data-tr]')].map(function (l) { return l.getAttribute('data-tr'); });
              const s = rel.rollout.getState();
              const ok = s.pageFamilies.every(function (f) { return s.families[f].loaded && s.families[f].version === (v2 ? 'v2' : 'v1'); }) &&
                (v2 ? ids.length === 9 && !ids.includes('v1') : ids.length === 1 && ids[0] === 'v1');
              if (ok) resolve(); else setTimeout(check, 5);
            }
            check();
          });
        }
        for (let i = 0; i < ${n}; i++) {
          rel.flags.set(null);
          await settled(false);
          rel.flags.set(on);
          await settled(true);
        }
      })()`);

    // Warm-up: lazily created objects (style caches, listener tables) exist before the baseline.
    await switchThemes(20);
    await cycle(3);
    const baseline = await measure('baseline (after warm-up)');
    const t0 = Date.now();
    await switchThemes(themeSwitches);
    const themeMs = Date.now() - t0;
    const afterThemes = await measure(`after ${themeSwitches} theme switches`);
    const t1 = Date.now();
    await cycle(rollbackCycles);
    const cycleMs = Date.now() - t1;
    const after = await measure(`after ${rollbackCycles} rollback/restore cycles`);
    const rows = [baseline, afterThemes, after];
    ctx.table('DOM counters and heap (after forced GC)', rows);
    const result = {
      themeSwitches,
      rollbackCycles,
      domNodesDelta: after.nodes - baseline.nodes,
      documentsDelta: after.documents - baseline.documents,
      listenersDelta: after.jsEventListeners - baseline.jsEventListeners,
      heapGrowthBytes: after.heapBytes - baseline.heapBytes,
      heapGrowthAfterThemesBytes: afterThemes.heapBytes - baseline.heapBytes,
      baseline,
      afterThemes,
      after,
      themeSwitchLoopMs: themeMs,
      rollbackLoopMs: cycleMs,
      pageErrors: errors.length,
    };
    ctx.table('leaks', [
      {
        themeSwitches,
        rollbackCycles,
        domNodesDelta: result.domNodesDelta,
        listenersDelta: result.listenersDelta,
        documentsDelta: result.documentsDelta,
        heapGrowthBytes: result.heapGrowthBytes,
        pageErrors: errors.length,
      },
    ]);
    return result;
  } finally {
    await browser.close();
    await server.close();
  }
}
