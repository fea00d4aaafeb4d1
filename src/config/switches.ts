// Per-family kill switches: boolean flags `design-tokens-v2.<family>`; false rolls that family back.
import { FAMILIES, type Family } from '../families.js';
import type { RolloutConfig } from './types.js';

/**
 * The config with every family whose switch is false added to `killed`. The version is kept: a kill
 * switch is an operator action, not a new rollout, so it does not reset devices' local fallbacks.
 * Returns the same object when no switch changes anything (callers can cache by identity).
 */
export function withSwitches(
  config: RolloutConfig,
  switches: Partial<Record<Family, boolean>>,
): RolloutConfig {
  const off = FAMILIES.filter((f) => switches[f] === false && !config.killed.includes(f));
  if (off.length === 0) return config;
  const killed = FAMILIES.filter((f) => config.killed.includes(f) || off.includes(f));
  return { ...config, killed };
}
