// token-rollout/react: React bindings (useTokens) arrive with the runtime issue.
export { FAMILIES, type Family } from '../families.js';
