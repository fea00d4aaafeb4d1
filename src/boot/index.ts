// token-rollout/boot: the inline <head> snippet, prebuilt as a minified IIFE, and its SSR helper.
import iife from 'virtual:boot-iife';
import type { Family } from '../families.js';
import type { Arm } from '../metrics/event.js';
import type { BootCache } from '../storage/records.js';

/** The boot snippet as a minified IIFE, ready to inline in a `<script>` in `<head>`. */
export const bootSnippet: string = iife;

export { bootCacheFor, type PlannedSheet, planStylesheets } from '../css/plan.js';
export type { BootCache, BootLink } from '../storage/records.js';

/** Options of `bootScriptTag`. */
export interface BootScriptOptions {
  /** The page's CSP nonce; the snippet copies it onto the `<link>`s it adds. */
  nonce?: string;
  /** The v1 monolith, linked for a first-time user (no cached decision, no bootstrap). */
  v1Href?: string;
  v1Integrity?: string;
  /** A server-rendered decision (see `bootCacheFor`), used when nothing is cached. */
  bootstrap?: BootCache;
  /**
   * The page's families (the rollout's `families`): the snippet links only their sheets, and the v1
   * monolith only when one of them is on v1. Default: every family.
   */
  families?: readonly Family[];
  /**
   * Set when the server decided and put the token CSS in the page itself (token-rollout-tools'
   * `createServerDecider`): the page's arm. The snippet then links nothing and only sets the theme.
   */
  decided?: Arm;
}

const escapeAttr = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The `<script>` tag to put first in `<head>` (server-side rendering), with the snippet inlined. */
export function bootScriptTag(options: BootScriptOptions = {}): string {
  const attrs: string[] = [];
  if (options.nonce) attrs.push(`nonce="${escapeAttr(options.nonce)}"`);
  if (options.v1Href) attrs.push(`data-v1-href="${escapeAttr(options.v1Href)}"`);
  if (options.v1Integrity) attrs.push(`data-v1-integrity="${escapeAttr(options.v1Integrity)}"`);
  if (options.bootstrap) attrs.push(`data-bootstrap="${escapeAttr(JSON.stringify(options.bootstrap))}"`);
  if (options.families) attrs.push(`data-families="${escapeAttr(options.families.join(','))}"`);
  if (options.decided) attrs.push(`data-decided="${escapeAttr(options.decided)}"`);
  // `</script` inside the snippet would end the tag early; the minified code has none, but be sure.
  const code = bootSnippet.replace(/<\/script/gi, '<\\/script');
  return `<script${attrs.map((a) => ` ${a}`).join('')}>${code}</script>`;
}
