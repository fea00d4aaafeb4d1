// A first visit decided on the server (issue 17): the user from the request, the flag value from
// LaunchDarkly or the local flag server, the decision from the SDK's own core (resolveAssignment), and the
// page's token CSS rendered into the HTML (v2 inline, the v1 monolith linked), so the first paint needs no
// round trip after the HTML and the browser runtime adopts it with no network wait and no swap.
import type { IncomingMessage } from 'node:http';
import {
  type Arm,
  type Assignment,
  type BootCache,
  bootCacheFor,
  FAMILIES,
  type Family,
  FLAG_KEY,
  isWellFormedSri,
  type PlannedSheet,
  parseRolloutConfig,
  planStylesheets,
  resolveAssignment,
  type TokenManifest,
  type TokenVersion,
  withSwitches,
} from 'token-rollout/core';
import type { ServerFlags, ServerFlagValues } from './flags.js';
import { type IdentitySource, readServerUser, type ServerUser } from './identity.js';
import { createCssReader, linkTag, styleTag } from './tags.js';

/** Options of `createServerDecider`. */
export interface ServerDeciderOptions {
  /** The token build's manifest (dist/tokens/manifest.json). */
  manifest: TokenManifest;
  /** The directory its files are in, to read the CSS to inline. */
  tokensDir: string;
  /** The URL prefix the files are served under (the rollout's `tokenBase`), e.g. `/tokens/`. */
  tokenBase: string;
  flags: ServerFlags;
  /** Where requests carry the user (see `readServerUser`). */
  identity?: IdentitySource;
  /** The page's families: the same list as the rollout's `families` and the boot snippet's (default: all). */
  families?: readonly Family[];
  /** Inline the v2 CSS (default true); false renders `<link>`s only (cacheable, one round trip more). */
  inline?: boolean;
  /**
   * Inline the v1 monolith too when the page needs it (default false: it is about 120 KB, 10 KB gzip; worth
   * it on a first visit over a slow network, where its round trip costs more than its bytes).
   */
  inlineV1?: boolean;
  /** Longest wait for the flag value before deciding without it (all v1, `flag-off`); default 1000 ms. */
  flagTimeoutMs?: number;
  now?: () => number;
}

/** One request's decision, ready to render. */
export interface ServerDecision {
  user: ServerUser;
  /** For `createTokenRollout({ bootstrap })`: the runtime starts from this decision. */
  bootstrap: Assignment;
  /** The page's arm, for `bootScriptTag({ decided })` (the snippet then links nothing). */
  arm: Arm;
  families: readonly Family[];
  /** The sheets the page uses, in cascade order. */
  sheets: readonly PlannedSheet[];
  /** The `<link>` tags (the v1 monolith while a page family is on v1; v2 files when not inlined). */
  links: string;
  /** The `<style>` tags with the page's v2 CSS (core + its families), carrying the nonce. */
  styles: string;
  /** Links and styles in cascade order: put it in `<head>` right after the boot snippet. */
  head: string;
  /** The boot snippet's cache for this decision, for pages that let the snippet link it instead. */
  bootCache: BootCache;
  /** Why the decision could not use the flag value or the manifest, if anything went wrong. */
  errors: readonly string[];
}

/** Per-call options of `decide`: the response's CSP nonce, and the decider's inlining overridden. */
export interface DecideOptions {
  nonce?: string;
  inline?: boolean;
  inlineV1?: boolean;
}

/** Makes server decisions for one token build. */
export interface ServerDecider {
  /** The request's user (cookie or header), or null when it has no user key. */
  userOf(req: Pick<IncomingMessage, 'headers'>): ServerUser | null;
  /**
   * The decision for `user`; `nonce` goes on every tag, `inline` overrides the decider's (e.g. inline a
   * first visit only: a returning visitor has the files cached). Never rejects for flag or file problems.
   */
  decide(user: ServerUser, options?: DecideOptions): Promise<ServerDecision>;
}

/** Each family's version. */
type Versions = Readonly<Record<Family, TokenVersion>>;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The flag values, or none (the off variation) with why, within `timeoutMs`. */
async function valuesWithin(flags: ServerFlags, user: ServerUser, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no flag value within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return { values: await Promise.race([flags.values(user), timeout]), error: undefined };
  } catch (error) {
    const values: ServerFlagValues = { config: null, switches: {} };
    return { values, error: `flag ${FLAG_KEY}: ${errorText(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** The page's arm over its sheets: the snippet sets the v1 theme class unless it is v2. */
function armOf(sheets: readonly PlannedSheet[]): Arm {
  const v1 = sheets.some((s) => s.version === 'v1');
  const v2 = sheets.some((s) => s.version === 'v2');
  return v1 ? (v2 ? 'mixed' : 'v1') : 'v2';
}

/** An absolute URL to plan with, and the way back to `tokenBase`'s form (a path stays a path). */
function baseOf(tokenBase: string): { base: string; shown(href: string): string } {
  const placeholder = 'http://token-base.invalid';
  const base = new URL(tokenBase, `${placeholder}/`).href;
  const shown = (href: string) =>
    href.startsWith(`${placeholder}/`) ? href.slice(placeholder.length) : href;
  return { base, shown };
}

/** Creates the decider; the CSS files are read once each, on first use. */
export function createServerDecider(options: ServerDeciderOptions): ServerDecider {
  const { manifest } = options;
  const families = options.families ?? FAMILIES;
  const read = createCssReader(options.tokensDir);
  const { base, shown } = baseOf(options.tokenBase);
  const plan = (versions: Versions, of: readonly Family[]) => {
    const planned = planStylesheets(manifest, versions, of, base);
    return { ...planned, sheets: planned.sheets.map((s) => ({ ...s, href: shown(s.href) })) };
  };
  const fileOf = (sheet: PlannedSheet) =>
    manifest.files.find((f) => f.version === sheet.version && f.family === sheet.part)?.file ?? '';
  const readSheet = (sheet: PlannedSheet) => read(fileOf(sheet));
  return {
    userOf: (req) => readServerUser(req, options.identity ?? {}),
    async decide(
      user,
      { nonce, inline = options.inline ?? true, inlineV1 = options.inlineV1 ?? false } = {},
    ) {
      const { values, error } = await valuesWithin(options.flags, user, options.flagTimeoutMs ?? 1000);
      const parsed = parseRolloutConfig(values.config);
      const result = parsed.ok ? { ...parsed, config: withSwitches(parsed.config, values.switches) } : parsed;
      const context = { key: user.key, region: user.region, optedOut: user.optedOut };
      const bootstrap = resolveAssignment(result, context, (options.now ?? Date.now)());
      const versions = versionsOf(bootstrap);
      const page = plan(versions, families);
      const errors = [error, page.missingV1].filter((e): e is string => e !== undefined);
      const inlined = (sheet: PlannedSheet) => inline && (sheet.version === 'v2' || inlineV1);
      const tags = await renderTags(page.sheets, inlined, readSheet, nonce, errors);
      return {
        user,
        bootstrap,
        arm: armOf(page.sheets),
        families,
        sheets: page.sheets,
        ...tags,
        // Planned for every family, as the runtime caches it: any page of the app can boot from it.
        bootCache: bootCacheFor(plan(versions, FAMILIES).sheets),
        errors,
      };
    },
  };
}

/** Each family's version in `assignment`, as the sheet plan reads it. */
function versionsOf(assignment: Assignment): Versions {
  const out = {} as Record<Family, TokenVersion>;
  for (const family of FAMILIES) out[family] = assignment.families[family].version;
  return out;
}

/** The tags for `sheets`: inline those `inline` picks (a file that cannot be read is linked instead). */
async function renderTags(
  sheets: readonly PlannedSheet[],
  inline: (sheet: PlannedSheet) => boolean,
  read: (sheet: PlannedSheet) => Promise<string>,
  nonce: string | undefined,
  errors: string[],
): Promise<{ links: string; styles: string; head: string }> {
  const links: string[] = [];
  const styles: string[] = [];
  const head: string[] = [];
  for (const sheet of sheets) {
    // A malformed SRI digest would make the browser load the file unchecked: never link it; the file read
    // from this server's own disk is inlined instead (issue 18, item 3).
    const unlinkable = !isWellFormedSri(sheet.integrity);
    if (unlinkable)
      errors.push(`${sheet.id}: malformed integrity in the manifest, inlined instead of linked`);
    let tag = unlinkable ? '' : linkTag(sheet, nonce);
    if (inline(sheet) || unlinkable) {
      try {
        tag = styleTag(sheet, await read(sheet), nonce);
      } catch (error) {
        errors.push(`inline ${sheet.id}: ${errorText(error)}`);
      }
    }
    if (tag === '') continue;
    (tag.startsWith('<style') ? styles : links).push(tag);
    head.push(tag);
  }
  return { links: links.join(''), styles: styles.join(''), head: head.join('') };
}
