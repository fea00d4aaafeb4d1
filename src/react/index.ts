// token-rollout/react: React bindings. React is an optional peer dependency of the package.
export { FAMILIES, type Family } from '../families.js';
export { TokenRolloutContext, TokenRolloutProvider } from './context.js';
export { type TokensView, useTokenRollout, useTokens } from './use-tokens.js';
