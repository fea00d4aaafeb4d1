// The config version when none is given: a hash of the parsed, normalised config, so local fallbacks reset
// exactly when the rollout changes, and not when keys are merely reordered or reformatted.
import { sha1Hex } from '../hash/sha1.js';
import type { RolloutConfig } from './types.js';

/**
 * A stable version string ("c" + 12 hex digits of SHA-1) for a config without an explicit `version`.
 * The parser builds every object in a fixed key order, so JSON.stringify of it is already canonical.
 */
export function configVersion(config: Omit<RolloutConfig, 'version'>): string {
  return `c${sha1Hex(JSON.stringify(config)).slice(0, 12)}`;
}
