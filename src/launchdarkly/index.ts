// token-rollout/launchdarkly: a flag source over the app's LaunchDarkly client (v3 or v4).
export { FLAG_KEY } from '../families.js';
export type { LDClientLike, LDClientV3, LDClientV4, LDContextLike } from './client.js';
export { sdkMajor } from './client.js';
export type { LaunchDarklyFlagSource, LaunchDarklyFlagSourceOptions } from './source.js';
export { createLaunchDarklyFlagSource, withAttributes } from './source.js';
