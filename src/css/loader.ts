// Inserts and removes the token <link>s. Swaps are two-phase: `ensure` adds the new sheets and waits
// until each has loaded (a loaded stylesheet is applied at the next style recalc); only then does the
// caller `prune` the old ones, in the same task, so no frame is painted without token styles.
import { createLinkWatcher, isInline, type TokenSheetElement } from './link-watch.js';
import { refuseOrigin } from './origin.js';
import type { PlannedSheet } from './plan.js';
import { refuseIntegrity } from './sri.js';

/** Attribute naming a token link (`v1`, `v2/core`, `v2/<family>`); the boot snippet sets it too. */
export const LINK_ATTR = 'data-tr';
/** Set by the boot snippet when its link loaded or failed before the runtime started (see link-watch.ts). */
export { LINK_STATE_ATTR } from './link-watch.js';
/** On a server-inlined `<style data-tr>`: the URL of the file it holds, so the runtime adopts it as that sheet. */
export const INLINE_HREF_ATTR = 'data-href';

/** Options of `createSheetLoader`. */
export interface SheetLoaderOptions {
  document: Document;
  nonce?: string;
  /** Origins token CSS may come from (e.g. `https://cdn.example.com`). */
  allowedOrigins: readonly string[];
  timeoutMs: number;
}

/** Loads, tracks and removes the token stylesheets of one document. */
export interface SheetLoader {
  /** Adds the missing sheets and waits for all; resolves with an error message per failed sheet id. */
  ensure(sheets: readonly PlannedSheet[]): Promise<Map<string, string>>;
  /** Removes every token link that is not one of `keep` (same id and same file). */
  prune(keep: readonly PlannedSheet[]): void;
  /** Ids of token links present and loaded. */
  loaded(): Set<string>;
  /** Ids of token links present in the document (loaded or not). */
  present(): Set<string>;
  /** Waits for the links already present (the boot snippet's) to load or fail; `loaded()` then has them. */
  adoptPresent(): Promise<void>;
  /** Stops waiting (pending loads resolve as failed) and forgets the links; it leaves the links. */
  destroy(): void;
}

/** Adds the `<link>` for `sheet` right after `after` (cascade order), or at the end of <head>. */
function insertLink(
  doc: Document,
  sheet: PlannedSheet,
  after: Element | undefined,
  nonce: string | undefined,
): HTMLLinkElement {
  const link = doc.createElement('link');
  link.rel = 'stylesheet';
  link.crossOrigin = 'anonymous';
  link.integrity = sheet.integrity;
  if (nonce) link.nonce = nonce;
  link.setAttribute(LINK_ATTR, sheet.id);
  link.href = sheet.href;
  const parent = after?.parentNode ?? doc.head ?? doc.documentElement;
  parent.insertBefore(link, after ? after.nextSibling : null);
  return link;
}

/** The token sheets in `doc`; the server's inlined ones count as present (`data-href` names their file). */
function tokenSheets(doc: Document): TokenSheetElement[] {
  return Array.from(doc.querySelectorAll<TokenSheetElement>(`link[${LINK_ATTR}], style[${LINK_ATTR}]`));
}

/** The URL of the file a token sheet holds: a link's href, an inlined sheet's `data-href` (resolved). */
function hrefOf(el: TokenSheetElement, doc: Document): string {
  if (!isInline(el)) return (el as HTMLLinkElement).href;
  try {
    return new URL(el.getAttribute(INLINE_HREF_ATTR) ?? '', doc.baseURI).href;
  } catch {
    return '';
  }
}

/**
 * Creates a loader for `document`; token sheets already there with `data-tr` (the boot snippet's links,
 * the server's links and inlined styles) are adopted.
 */
export function createSheetLoader(options: SheetLoaderOptions): SheetLoader {
  const doc = options.document;
  const watcher = createLinkWatcher(doc.defaultView, options.timeoutMs);
  let destroyed = false;

  const links = () => tokenSheets(doc);
  const find = (sheet: PlannedSheet) =>
    links().find((l) => l.getAttribute(LINK_ATTR) === sheet.id && hrefOf(l, doc) === sheet.href);

  const remove = (link: TokenSheetElement) => {
    watcher.forget(link);
    link.remove();
  };

  return {
    async ensure(sheets) {
      const failures = new Map<string, string>();
      const waits: Array<Promise<void>> = [];
      let previous: Element | undefined;
      for (const sheet of sheets) {
        // A link with the same id but another file (a new build) is swapped like any other sheet.
        let link = find(sheet);
        if (!link) {
          // A malformed `integrity` would make Chromium load the file unchecked: never link one.
          const refused =
            refuseOrigin(sheet.href, doc.baseURI, options.allowedOrigins) ??
            refuseIntegrity(sheet.integrity, sheet.href);
          if (refused) {
            failures.set(sheet.id, refused);
            continue;
          }
          link = insertLink(doc, sheet, previous, options.nonce);
        }
        previous = link;
        const el = link;
        waits.push(
          watcher.watch(el).then((outcome) => {
            if (outcome === null) return;
            failures.set(sheet.id, outcome);
            // A failed link is dropped so that a late response cannot apply it.
            if (el.isConnected) remove(el);
          }),
        );
      }
      await Promise.all(waits);
      if (destroyed) {
        for (const sheet of sheets) if (!failures.has(sheet.id)) failures.set(sheet.id, 'destroyed');
      }
      return failures;
    },
    prune(keep) {
      const wanted = new Set(keep.map((s) => `${s.id} ${s.href}`));
      for (const link of links()) {
        if (!wanted.has(`${link.getAttribute(LINK_ATTR)} ${hrefOf(link, doc)}`)) remove(link);
      }
    },
    loaded() {
      return new Set(
        links()
          .filter((l) => watcher.succeeded(l))
          .map((l) => l.getAttribute(LINK_ATTR) ?? ''),
      );
    },
    present() {
      return new Set(links().map((l) => l.getAttribute(LINK_ATTR) ?? ''));
    },
    async adoptPresent() {
      await Promise.all(links().map(watcher.watch));
    },
    destroy() {
      destroyed = true;
      watcher.destroy();
    },
  };
}
