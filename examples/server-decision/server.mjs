// A framework-free app server that decides each visitor's design tokens before first paint (README
// "Server-side decision"). Plain Node: `node:http`, the installed packages by name, no build of its own
// (esbuild bundles the browser script once at start). Run `npm run build` first, then
// `node examples/server-decision/server.mjs` and open the printed URL.
//
// Per request: the user key from a cookie (a new visitor gets one), the region from a header a CDN would
// set (or a cookie), the flag value from the local flag server (FLAG_SERVER=http://127.0.0.1:8030, as
// `npx token-rollout serve` runs it) or from flag.json; the decision from token-rollout-tools, whose tags
// put the page's v2 CSS inline. A v2 page's first paint needs no request after the HTML; a page with a
// family on v1 (the control arm) links the v1 monolith, render-blocking.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bootScriptTag } from 'token-rollout/boot';
import { createServerDecider, flagServerFlags, staticServerFlags } from 'token-rollout-tools';

const here = fileURLToPath(new URL('.', import.meta.url));
// In an app: join(dirname(require.resolve('token-rollout/package.json')), 'dist/tokens').
const tokensDir = process.env.TOKENS_DIR ?? join(here, '../../dist/tokens');
const manifest = JSON.parse(await readFile(join(tokensDir, 'manifest.json'), 'utf8'));
const flagValue = JSON.parse(await readFile(join(here, 'flag.json'), 'utf8'));
const flags = process.env.FLAG_SERVER
  ? flagServerFlags({ url: process.env.FLAG_SERVER, clientSideId: 'example' })
  : staticServerFlags(flagValue);

/** The families this page renders: the server plans them, the boot snippet and the rollout are told so. */
const FAMILIES = ['buttons', 'cards'];
const decider = createServerDecider({
  manifest,
  tokensDir,
  tokenBase: '/tokens/',
  flags,
  families: FAMILIES,
  identity: { userCookie: 'uid', regionCookie: 'region', regionHeader: 'x-country' },
});

// The browser script, bundled once from the installed SDK (the package's own build, not its sources).
const bundled = await build({
  entryPoints: [join(here, 'app.mjs')],
  bundle: true,
  format: 'esm',
  minify: true,
  write: false,
  tsconfigRaw: {},
  logLevel: 'silent',
});
const appJs = bundled.outputFiles[0].text;
const pageCss = await readFile(join(here, 'page.css'), 'utf8');

const csp = (nonce) =>
  `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; connect-src 'self'; object-src 'none'; base-uri 'none'`;
const json = (value) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The page for one visitor. */
async function page(req, res) {
  const nonce = randomBytes(16).toString('base64');
  let user = decider.userOf(req);
  if (!user) {
    // A first visit: the server names the visitor, so that its decision and the browser's agree.
    user = { key: randomUUID(), region: 'AU' };
    res.setHeader('set-cookie', [
      `uid=${user.key}; Path=/; Max-Age=31536000; SameSite=Lax`,
      'region=AU; Path=/; Max-Age=31536000; SameSite=Lax',
    ]);
  }
  const decision = await decider.decide(user, { nonce });
  for (const error of decision.errors) console.warn(`decision for ${user.key}: ${error}`);
  const config = { user, families: FAMILIES, bootstrap: decision.bootstrap, flag: flagValue, nonce };
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Server-decided design tokens</title>
${bootScriptTag({ nonce, families: FAMILIES, decided: decision.arm })}
${decision.head}
<style nonce="${nonce}">${pageCss}</style>
</head>
<body>
<main>
  <article class="card">
    <h1>Trail pack, 28 l</h1>
    <p>Decided on the server for <code>${user.key}</code>: <strong>${decision.arm}</strong>
      (${decision.bootstrap.group}, bucket ${(decision.bootstrap.bucket * 100).toFixed(1)} %).</p>
    <button class="button" type="button">Add to cart</button>
  </article>
</main>
<script type="application/json" id="rollout-config">${json(config)}</script>
<script type="module" nonce="${nonce}" src="/app.js"></script>
</body>
</html>
`;
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': csp(nonce),
  });
  res.end(html);
}

/** The token files, immutable by their hashed names (the manifest may change with a rebuild). */
async function tokens(res, path) {
  const file = normalize(path.slice('/tokens/'.length));
  if (file.startsWith('..') || file.includes('\0')) return res.writeHead(404).end();
  try {
    const body = await readFile(join(tokensDir, file));
    const type = extname(file) === '.css' ? 'text/css' : 'application/json';
    const cache = file === 'manifest.json' ? 'no-cache' : 'public, max-age=31536000, immutable';
    res.writeHead(200, { 'content-type': type, 'cache-control': cache }).end(body);
  } catch {
    res.writeHead(404).end();
  }
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const answer =
    path === '/'
      ? page(req, res)
      : path === '/app.js'
        ? res.writeHead(200, { 'content-type': 'text/javascript' }).end(appJs)
        : path.startsWith('/tokens/')
          ? tokens(res, path)
          : res.writeHead(404).end();
  Promise.resolve(answer).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`server-decision example: http://127.0.0.1:${server.address().port}/`);
});
