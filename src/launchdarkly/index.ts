// token-rollout/launchdarkly: the LaunchDarkly flag source arrives with the flags issue.
export { FLAG_KEY } from '../families.js';
