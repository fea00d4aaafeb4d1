// Which stage is active: the explicit `stage`, else the latest stage whose `startsAt` has passed.
import type { RolloutConfig, Stage } from './types.js';

/**
 * The active stage at `now` (ms since epoch): `config.activeStage` when set, else the stage with the
 * latest `startsAt` ≤ now (a later-written stage wins a tie), else null. Stages without `startsAt` only
 * become active when named by `stage`. An off flag has no active stage.
 */
export function activeStage(config: RolloutConfig, now: number): Stage | null {
  if (!config.enabled) return null;
  if (config.activeStage !== undefined) {
    return config.stages.find((s) => s.name === config.activeStage) ?? null;
  }
  let best: Stage | null = null;
  for (const stage of config.stages) {
    if (
      stage.startsAt !== undefined &&
      stage.startsAt <= now &&
      (best === null || stage.startsAt >= best.startsAt!)
    ) {
      best = stage;
    }
  }
  return best;
}
