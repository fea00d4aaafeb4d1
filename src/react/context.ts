// The React context carrying one TokenRollout to every component below the provider.
import { createContext, createElement, type ReactNode } from 'react';
import type { TokenRollout } from '../rollout.js';

/** The context; null outside a provider. */
export const TokenRolloutContext = createContext<TokenRollout | null>(null);

/** Makes `rollout` (from `createTokenRollout`) available to `useTokens` below it. */
export function TokenRolloutProvider(props: { rollout: TokenRollout; children?: ReactNode }) {
  return createElement(TokenRolloutContext.Provider, { value: props.rollout }, props.children);
}
