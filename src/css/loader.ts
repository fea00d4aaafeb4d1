// Inserts and removes the token <link>s. Swaps are two-phase: `ensure` adds the new sheets and waits
// until each has loaded (a loaded stylesheet is applied at the next style recalc); only then does the
// caller `prune` the old ones, in the same task, so no frame is painted without token styles.
import { refuseOrigin } from './origin.js';
import type { PlannedSheet } from './plan.js';

/** Attribute naming a token link (`v1`, `v2/core`, `v2/<family>`); the boot snippet sets it too. */
export const LINK_ATTR = 'data-tr';
/** Set by the boot snippet when its link loaded or failed before the runtime started. */
export const LINK_STATE_ATTR = 'data-tr-state';

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

type Outcome = string | null;

/** Creates a loader for `document`; links already there with `data-tr` (the boot snippet's) are adopted. */
export function createSheetLoader(options: SheetLoaderOptions): SheetLoader {
  const doc = options.document;
  const win = doc.defaultView;
  const pending = new Map<HTMLLinkElement, Promise<Outcome>>();
  const done = new Map<HTMLLinkElement, Outcome>();
  const cancels = new Map<HTMLLinkElement, () => void>();
  let destroyed = false;

  const links = () => Array.from(doc.querySelectorAll<HTMLLinkElement>(`link[${LINK_ATTR}]`));
  const find = (sheet: PlannedSheet) =>
    links().find((l) => l.getAttribute(LINK_ATTR) === sheet.id && l.href === sheet.href);

  // A link error event says nothing about the cause; Resource Timing's responseStatus (Chromium)
  // tells a 404/500 from an integrity mismatch, which fails a 200 response.
  const explainFailure = (link: HTMLLinkElement): string => {
    const entries = win?.performance?.getEntriesByName?.(link.href) ?? [];
    const entry = entries[entries.length - 1] as (PerformanceEntry & { responseStatus?: number }) | undefined;
    const status = entry?.responseStatus ?? 0;
    if (status >= 400) return `HTTP ${status} for ${link.href}`;
    if (status >= 200) return `integrity check failed (or blocked) for ${link.href}`;
    return `network error or blocked request for ${link.href}`;
  };

  // Chromium gives a CSP-blocked link a locked sheet at once: only a sheet whose rules can be read
  // counts as loaded (token CSS is CORS-enabled, so a cross-origin token sheet stays readable).
  const readable = (link: HTMLLinkElement): boolean => {
    const sheet = link.sheet;
    if (sheet === null) return false;
    try {
      void sheet.cssRules;
      return true;
    } catch {
      return false;
    }
  };

  const watch = (link: HTMLLinkElement): Promise<Outcome> => {
    const known = done.get(link);
    if (known !== undefined) return Promise.resolve(known);
    const existing = pending.get(link);
    if (existing) return existing;
    const state = link.getAttribute(LINK_STATE_ATTR);
    if (state === 'loaded' || (state === null && readable(link))) {
      done.set(link, null);
      return Promise.resolve(null);
    }
    if (state === 'error') {
      const outcome = explainFailure(link);
      done.set(link, outcome);
      return Promise.resolve(outcome);
    }
    const promise = new Promise<Outcome>((resolve) => {
      const finish = (outcome: Outcome) => {
        link.removeEventListener('load', onLoad);
        link.removeEventListener('error', onError);
        if (timer !== undefined) win?.clearTimeout(timer);
        cancels.delete(link);
        pending.delete(link);
        done.set(link, outcome);
        resolve(outcome);
      };
      const onLoad = () => finish(null);
      const onError = () => finish(explainFailure(link));
      const cancel = () => finish('loading was cancelled');
      link.addEventListener('load', onLoad);
      link.addEventListener('error', onError);
      cancels.set(link, cancel);
      const timer = win?.setTimeout(
        () => finish(`timed out after ${options.timeoutMs} ms loading ${link.href}`),
        options.timeoutMs,
      );
    });
    pending.set(link, promise);
    return promise;
  };

  const insert = (sheet: PlannedSheet, after: Element | undefined): HTMLLinkElement => {
    const link = doc.createElement('link');
    link.rel = 'stylesheet';
    link.crossOrigin = 'anonymous';
    link.integrity = sheet.integrity;
    if (options.nonce) link.nonce = options.nonce;
    link.setAttribute(LINK_ATTR, sheet.id);
    link.href = sheet.href;
    const parent = after?.parentNode ?? doc.head ?? doc.documentElement;
    parent.insertBefore(link, after ? after.nextSibling : null);
    return link;
  };

  const remove = (link: HTMLLinkElement) => {
    cancels.get(link)?.();
    link.remove();
    done.delete(link);
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
          const refused = refuseOrigin(sheet.href, doc.baseURI, options.allowedOrigins);
          if (refused) {
            failures.set(sheet.id, refused);
            continue;
          }
          link = insert(sheet, previous);
        }
        previous = link;
        const el = link;
        waits.push(
          watch(el).then((outcome) => {
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
        if (!wanted.has(`${link.getAttribute(LINK_ATTR)} ${link.href}`)) remove(link);
      }
    },
    loaded() {
      return new Set(
        links()
          .filter((l) => done.get(l) === null)
          .map((l) => l.getAttribute(LINK_ATTR) ?? ''),
      );
    },
    present() {
      return new Set(links().map((l) => l.getAttribute(LINK_ATTR) ?? ''));
    },
    async adoptPresent() {
      await Promise.all(links().map(watch));
    },
    destroy() {
      destroyed = true;
      for (const cancel of [...cancels.values()]) cancel();
      pending.clear();
      done.clear();
    },
  };
}
