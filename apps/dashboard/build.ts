// Builds and renders the dashboard page: its script (React + uPlot) bundled by esbuild, its CSS (uPlot's,
// the storefront's token-based components, and the dashboard layout), and the HTML that links the v2 tokens.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { bundleBrowserEntry } from '../demo/build.js';

const here = resolve(fileURLToPath(new URL('.', import.meta.url)));
const root = resolve(here, '../..');

/** The built dashboard: one script and one stylesheet. */
export interface DashboardBuild {
  entry: string;
  scripts: Map<string, string>;
  css: string;
}

/** Bundles apps/dashboard/client.tsx and concatenates its CSS with the shared component styles. */
export async function buildDashboard(): Promise<DashboardBuild> {
  const bundle = await bundleBrowserEntry(join(here, 'client.tsx'));
  const source = [
    bundle.css,
    readFileSync(join(root, 'apps/demo/styles.css'), 'utf8'),
    readFileSync(join(here, 'styles.css'), 'utf8'),
  ].join('\n');
  const css = await transform(source, { loader: 'css', minify: true });
  return { entry: bundle.entry, scripts: bundle.scripts, css: css.code };
}

/** The dashboard's Content-Security-Policy: same-origin scripts and styles only. */
export function dashboardCsp(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Renders the dashboard's HTML: the v2 token sheets (the dashboard itself dogfoods v2), its CSS and script. */
export function renderDashboardPage(parts: {
  scriptUrl: string;
  cssUrl: string;
  tokenSheets: readonly { href: string; integrity: string }[];
}): string {
  const links = parts.tokenSheets
    .map((s) => `<link rel="stylesheet" href="${escapeAttr(s.href)}" integrity="${escapeAttr(s.integrity)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rollout dashboard · token-rollout</title>
${links}
<link rel="stylesheet" href="${escapeAttr(parts.cssUrl)}">
<script type="module" src="${escapeAttr(parts.scriptUrl)}"></script>
</head>
<body>
<div id="dashboard"></div>
</body>
</html>
`;
}
