// The storefront's page at `/`, rendered per request with a fresh CSP nonce, mounted by apps/serve.ts on
// the tools' server composition. The page learns where the flag service and the collector are from the
// origin it was requested at, never from the bound address (0.0.0.0 is not an address a browser can use).
// The server decides the visitor's tokens (decision.ts) and puts them in the page before first paint.
import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type AccessPolicy, type Handler, memoryAsset, sendMemoryAsset } from 'token-rollout-tools';
import type { TokenManifest } from '../../tokens/manifest.js';
import type { BootModule, DemoBuild } from './build.js';
import { createDemoDecider } from './decision.js';
import { demoCsp, renderDemoPage } from './page.js';

/** The LaunchDarkly client-side ID the local flag server answers to (any ID works; this one is the demo's). */
export const DEMO_CLIENT_SIDE_ID = 'local-dev';

/** What the storefront page is rendered from. */
export interface DemoPageSources {
  demo: DemoBuild;
  boot: BootModule;
  manifest: TokenManifest;
  /** The app script's URL path. */
  appUrl: string;
  /** The server's host rules: a Host header they accept is the page's origin. */
  access: AccessPolicy;
  /** The origin to use when the Host header is not one of this server's names. */
  fallbackOrigin(): string;
  /** The collector's ingest key, which the page's beacons must carry, or null. */
  ingestKey: string | null;
  /** The token build's directory (default dist/tokens), whose CSS the page inlines on a first visit. */
  tokensDir?: string;
}

/** The origin the browser used for this request, when the Host header is one of this server's names. */
export function pageOrigin(req: IncomingMessage, access: AccessPolicy, fallback: string): string {
  return access.hostAllowed(req) && req.headers.host ? `http://${req.headers.host}` : fallback;
}

/** The handler of `/` and `/index.html`. */
export function createDemoHandler(sources: DemoPageSources): Handler {
  const v1 = sources.manifest.files.find((f) => f.version === 'v1');
  const decide = createDemoDecider({
    manifest: sources.manifest,
    tokensDir: sources.tokensDir,
    // The flag service is on this very server.
    flagsUrl: sources.fallbackOrigin,
    clientSideId: DEMO_CLIENT_SIDE_ID,
  });
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/' && path !== '/index.html') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    const origin = pageOrigin(req, sources.access, sources.fallbackOrigin());
    const key = sources.ingestKey === null ? '' : `?key=${encodeURIComponent(sources.ingestKey)}`;
    const nonce = randomBytes(16).toString('base64');
    const { identity, decision, setCookies } = await decide(req, nonce, () => randomInt(2 ** 31) / 2 ** 31);
    const html = renderDemoPage({
      bootTag: sources.boot.bootScriptTag({
        nonce,
        v1Href: v1 ? `/tokens/${v1.file}` : undefined,
        v1Integrity: v1?.integrity,
        families: decision.families,
        decided: decision.arm,
      }),
      tokenHead: decision.head,
      css: sources.demo.css,
      appHtml: sources.demo.html,
      appUrl: sources.appUrl,
      config: {
        clientSideId: DEMO_CLIENT_SIDE_ID,
        flagOrigin: origin,
        manifestUrl: `${origin}/tokens/manifest.json`,
        manifest: sources.manifest,
        collectUrl: `${origin}/collect${key}`,
        nonce,
        identity,
        bootstrap: decision.bootstrap,
      },
    });
    if (setCookies.length > 0) res.setHeader('set-cookie', setCookies);
    sendMemoryAsset(req, res, memoryAsset('text/html; charset=utf-8', html), 'no-store', {
      'content-security-policy': demoCsp(nonce),
    });
    return true;
  };
}
