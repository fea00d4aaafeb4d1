// `npm run bench -- lighthouse`: Lighthouse mobile performance of the demo's main page (target 95+, aim 100).
// The median of three runs is kept: one run on a busy machine can lose points to CPU contention.
import { lighthouseDemo } from '../scripts/lighthouse.js';
import type { BenchContext } from './run.js';

/** Runs the audit three times (`--quick`: once) and returns the median run's score and timings. */
export default async function lighthouseBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  const figures = await lighthouseDemo({ runs: ctx.args.includes('--quick') ? 1 : 3 });
  ctx.table('Lighthouse mobile (simulated throttling), demo main page', [
    {
      score: figures.performanceScore,
      'FCP ms': figures.fcpMs,
      'LCP ms': figures.lcpMs,
      'TBT ms': figures.tbtMs,
      CLS: figures.cls,
      'SI ms': figures.speedIndexMs,
      bytes: figures.totalBytes,
      'scores (all runs)': figures.scores.join(', '),
    },
  ]);
  if (figures.opportunities.length > 0) console.log(`opportunities: ${figures.opportunities.join('; ')}`);
  return { ...figures, target: 95 };
}
