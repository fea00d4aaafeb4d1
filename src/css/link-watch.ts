// Whether a token <link> loaded: from its load/error events, a timeout, or the state the boot snippet
// recorded before the runtime started. Each link's outcome is kept until the link is forgotten. A token
// sheet inlined by the server (`<style data-tr>`) is known at once: applied, or blocked by the CSP.

/** Set by the boot snippet when its link loaded or failed before the runtime started. */
export const LINK_STATE_ATTR = 'data-tr-state';

/** A token sheet in the page: a `<link>`, or a `<style>` the server inlined (server-side decision). */
export type TokenSheetElement = HTMLLinkElement | HTMLStyleElement;

/** True for a server-inlined `<style data-tr>` (read by tag name: tests use plain objects). */
export const isInline = (el: TokenSheetElement): boolean => el.localName === 'style';

/** null when the sheet applies, else why it does not (HTTP status, integrity, timeout, cancelled). */
export type Outcome = string | null;

/** Watches links of one document. */
export interface LinkWatcher {
  /** The link's outcome, once known; the same promise for repeated calls while pending. */
  watch(link: TokenSheetElement): Promise<Outcome>;
  /** True once the link is known to have loaded. */
  succeeded(link: TokenSheetElement): boolean;
  /** Forgets a link (being removed): a pending watch resolves as cancelled. */
  forget(link: TokenSheetElement): void;
  /** Cancels every pending watch and forgets all outcomes. */
  destroy(): void;
}

/**
 * A link error event says nothing about the cause; Resource Timing's responseStatus (Chromium) tells a
 * 404/500 from an integrity mismatch, which fails a 200 response.
 */
function explainFailure(win: Window | null, link: HTMLLinkElement): string {
  const entries = win?.performance?.getEntriesByName?.(link.href) ?? [];
  const entry = entries[entries.length - 1] as (PerformanceEntry & { responseStatus?: number }) | undefined;
  const status = entry?.responseStatus ?? 0;
  if (status >= 400) return `HTTP ${status} for ${link.href}`;
  if (status >= 200) return `integrity check failed (or blocked) for ${link.href}`;
  return `network error or blocked request for ${link.href}`;
}

/**
 * Chromium gives a CSP-blocked link a locked sheet at once: only a sheet whose rules can be read counts
 * as loaded (token CSS is CORS-enabled, so a cross-origin token sheet stays readable).
 */
function readable(link: TokenSheetElement): boolean {
  const sheet = link.sheet;
  if (sheet === null) return false;
  try {
    void sheet.cssRules;
    return true;
  } catch {
    return false;
  }
}

/** Creates a watcher; a link still pending after `timeoutMs` counts as failed. */
export function createLinkWatcher(win: Window | null, timeoutMs: number): LinkWatcher {
  const pending = new Map<TokenSheetElement, Promise<Outcome>>();
  const done = new Map<TokenSheetElement, Outcome>();
  const cancels = new Map<TokenSheetElement, () => void>();

  const wait = (link: HTMLLinkElement) =>
    new Promise<Outcome>((resolve) => {
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
      const onError = () => finish(explainFailure(win, link));
      link.addEventListener('load', onLoad);
      link.addEventListener('error', onError);
      cancels.set(link, () => finish('loading was cancelled'));
      const timer = win?.setTimeout(
        () => finish(`timed out after ${timeoutMs} ms loading ${link.href}`),
        timeoutMs,
      );
    });

  /** Records an outcome known at once. */
  const settle = (link: TokenSheetElement, outcome: Outcome): Promise<Outcome> => {
    done.set(link, outcome);
    return Promise.resolve(outcome);
  };

  const watch = (link: TokenSheetElement): Promise<Outcome> => {
    const known = done.get(link);
    if (known !== undefined) return Promise.resolve(known);
    const existing = pending.get(link);
    if (existing) return existing;
    if (isInline(link)) {
      // Inline CSS has no load event: it applies as it is parsed, unless the CSP refused its nonce.
      return settle(
        link,
        readable(link) ? null : `inline token CSS ${link.getAttribute('data-tr')} is blocked (CSP nonce?)`,
      );
    }
    return watchLink(link as HTMLLinkElement);
  };

  const watchLink = (link: HTMLLinkElement): Promise<Outcome> => {
    const state = link.getAttribute(LINK_STATE_ATTR);
    if (state === 'loaded' || (state === null && readable(link))) return settle(link, null);
    if (state === 'error') return settle(link, explainFailure(win, link));
    const promise = wait(link);
    pending.set(link, promise);
    return promise;
  };

  return {
    watch,
    succeeded: (link) => done.get(link) === null,
    forget(link) {
      cancels.get(link)?.();
      done.delete(link);
    },
    destroy() {
      for (const cancel of [...cancels.values()]) cancel();
      pending.clear();
      done.clear();
    },
  };
}
