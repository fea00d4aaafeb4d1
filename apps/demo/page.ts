// The storefront's HTML, rendered per request: a fresh CSP nonce, the boot snippet inline in <head>
// (before any paint), the server-decided token CSS (inline on a first visit), the storefront CSS inline (no
// render-blocking request), the page config as JSON.
import { CONFIG_ELEMENT_ID, type DemoPageConfig, serializePageConfig } from './page-config.js';

/** What the page is made of: the boot script, the storefront CSS, the app script URL and the page config. */
export interface DemoPageParts {
  /** The boot snippet's whole `<script>` tag (from `bootScriptTag`, with this response's nonce). */
  bootTag: string;
  /** The server decision's token tags (`ServerDecision.head`): right after the boot snippet, cascade order. */
  tokenHead: string;
  css: string;
  /** The server-rendered storefront markup, hydrated by the app script. */
  appHtml: string;
  appUrl: string;
  config: DemoPageConfig;
}

/** The Content-Security-Policy for a demo page with `nonce`: scripts only by nonce, everything same-origin. */
export function demoCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Renders the storefront's HTML document. */
export function renderDemoPage(parts: DemoPageParts): string {
  const { nonce } = parts.config;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Longway outfitters · token-rollout demo</title>
<meta name="description" content="A demo storefront that rolls out a new design-token system safely.">
${parts.bootTag}
${parts.tokenHead}
<style nonce="${nonce}">${parts.css}</style>
<script type="application/json" id="${CONFIG_ELEMENT_ID}">${serializePageConfig(parts.config)}</script>
<script type="module" nonce="${nonce}" src="${parts.appUrl}"></script>
</head>
<body>
<div id="app">${parts.appHtml}</div>
</body>
</html>
`;
}
