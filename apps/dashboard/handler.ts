// The dashboard's page at `/dashboard/`, mounted by apps/serve.ts on the tools' server composition. Its
// data comes from the tools' own routes (/admin/state, /aggregates, /api/gate), on the same origin.
import { type Handler, memoryAsset, sendMemoryAsset } from 'token-rollout-tools';
import { dashboardCsp, renderDashboardPage } from './build.js';

/** What the dashboard page links: its script and stylesheet, and the v2 token sheets it dogfoods. */
export interface DashboardPageParts {
  scriptUrl: string;
  cssUrl: string;
  tokenSheets: readonly { href: string; integrity: string }[];
}

/** The handler of `/dashboard` (a redirect) and `/dashboard/`. */
export function createDashboardHandler(parts: DashboardPageParts): Handler {
  const page = memoryAsset('text/html; charset=utf-8', renderDashboardPage(parts));
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/dashboard') {
      res.writeHead(308, { location: '/dashboard/' }).end();
      return true;
    }
    if (path !== '/dashboard/') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    sendMemoryAsset(req, res, page, 'no-store', { 'content-security-policy': dashboardCsp() });
    return true;
  };
}
