// The storefront's server-side decision (issue 17, item 6): the visitor from the URL (the simulator's
// ?user=&region=), else the demo's cookies, else a new guest; the flag value from the dev server's own
// flag service; the decision and the page's token CSS from token-rollout-tools' server decider.
import type { IncomingMessage } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createServerDecider,
  FAMILIES,
  flagServerFlags,
  type ServerDecision,
  type ServerUser,
} from 'token-rollout-tools';
import type { TokenManifest } from '../../tokens/manifest.js';
import { IDENTITY_COOKIES, type Identity, identityCookies, readIdentity } from './identity.js';

const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Where the demo's decisions come from. */
export interface DemoDecisionSources {
  manifest: TokenManifest;
  /** The token build's directory (default dist/tokens), to inline the CSS. */
  tokensDir?: string;
  /** The flag service's origin (the dev server itself) and the client-side ID the pages use. */
  flagsUrl(): string;
  clientSideId: string;
}

/** A visitor's decision, and the cookies to set when the visitor is new or switched by URL. */
export interface DemoDecision {
  identity: Identity;
  decision: ServerDecision;
  setCookies: string[];
}

/** Creates the per-request decider of the storefront page. */
export function createDemoDecider(sources: DemoDecisionSources) {
  const decider = createServerDecider({
    manifest: sources.manifest,
    tokensDir: sources.tokensDir ?? join(projectRoot, 'dist/tokens'),
    tokenBase: '/tokens/',
    // The storefront renders every family on one page (main.tsx declares the same list).
    families: FAMILIES,
    identity: IDENTITY_COOKIES,
    flags: {
      // The flag service is mounted on the same server: read it over loopback, as any app server would.
      values: (user: ServerUser) =>
        flagServerFlags({ url: sources.flagsUrl(), clientSideId: sources.clientSideId }).values(user),
    },
  });
  return async (req: IncomingMessage, nonce: string, random: () => number): Promise<DemoDecision> => {
    const search = new URL(req.url ?? '/', 'http://x').search;
    const fromCookies = decider.userOf(req);
    const stored = fromCookies
      ? JSON.stringify({ key: fromCookies.key, region: fromCookies.region ?? 'AU' })
      : null;
    const identity = readIdentity(search, stored, random);
    const forced = new URLSearchParams(search).has('user');
    // A first visit inlines the page's token CSS, the v1 monolith too (nothing is cached yet: no request
    // before first paint, 10 KB gzip against a round trip). Later visits, and visitors the simulator or the
    // tests force by URL (hundreds of pages), get the same decision as <link>s to the immutable files,
    // which the browser caches.
    const inline = fromCookies === null && !forced;
    const user = { ...identity, ...(fromCookies?.optedOut ? { optedOut: true } : {}) };
    const decision = await decider.decide(user, { nonce, inline, inlineV1: inline });
    const same = fromCookies?.key === identity.key && fromCookies.region === identity.region;
    return { identity, decision, setCookies: same ? [] : identityCookies(identity) };
  };
}
