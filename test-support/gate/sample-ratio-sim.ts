// Users arriving one by one at a stage, for the sample ratio check's error rates (its unit test and
// `npm run bench -- gate`): bucket uniform, treated below the percentage, a treated user lost (never
// reported) with probability `lost`; the split is what the gate would read.
import { type SampleRatioInput, sampleRatio } from '../../packages/tools/src/gate/stats/sample-ratio.js';
import { mulberry32 } from '../random.js';

/** A stage's running split; `arrive(n)` adds n arriving users. */
export function srmStage(seed: number, percentage: number, lost: number) {
  const random = mulberry32(seed);
  const split: SampleRatioInput = {
    treatment: 0,
    control: 0,
    treatmentMaxBucket: null,
    controlMinBucket: null,
  };
  return {
    split,
    arrive(users: number) {
      for (let i = 0; i < users; i++) {
        const bucket = random();
        if (bucket < percentage) {
          if (lost > 0 && random() < lost) continue;
          split.treatment++;
          split.treatmentMaxBucket = Math.max(split.treatmentMaxBucket ?? 0, bucket);
        } else {
          split.control++;
          split.controlMinBucket = Math.min(split.controlMinBucket ?? 1, bucket);
        }
      }
    },
  };
}

/** Arriving users at the first look (every `every` users, `looks` looks) that showed a mismatch, or null. */
export function usersToMismatch(
  seed: number,
  percentage: number,
  lost: number,
  looks: number,
  every: number,
  alpha?: number,
): number | null {
  const stage = srmStage(seed, percentage, lost);
  for (let look = 1; look <= looks; look++) {
    stage.arrive(every);
    const r = sampleRatio(stage.split, alpha);
    if (r.kind === 'checked' && r.mismatch) return look * every;
  }
  return null;
}
