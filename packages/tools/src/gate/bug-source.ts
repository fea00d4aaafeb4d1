// Reads the bug service (`GET /bugs` on the server that mounts it) for the P1 count, at every check.
import type { Bug } from '../bugs/bug.js';
import type { P1Source } from './p1.js';

/** What `GET /bugs` answers, before it is checked. */
type BugList = { now?: unknown; bugs?: unknown };

/** Where to read bugs, and whether the place was given explicitly (--bugs) or assumed. */
export interface BugTarget {
  url: string;
  token?: string;
  explicit: boolean;
}

/**
 * The P1 source at `target`: its bugs and clock. At an assumed place (the collector's or flag server's
 * URL), a server without a bug service (404, or an answer that is not the bug list) is "not checked", said
 * in the report; a refused token or a failing service is an error, as it is at a place given with --bugs.
 */
export async function readBugs(target: BugTarget, fetcher: typeof fetch): Promise<P1Source> {
  const url = `${target.url.replace(/\/+$/, '')}/bugs`;
  const notHere = {
    kind: 'not-checked' as const,
    reason: `no bug service at ${url} (give --bugs URL, or --p1-bugs N)`,
  };
  const response = await fetcher(
    url,
    target.token ? { headers: { Authorization: `Bearer ${target.token}` } } : {},
  );
  if (response.status === 404 && !target.explicit) return notHere;
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url} failed: ${response.status} ${text.slice(0, 300)}`);
  let body: BugList | null = null;
  try {
    body = JSON.parse(text) as BugList | null;
  } catch {
    // Not the bug list: handled below.
  }
  if (typeof body?.now !== 'number' || !Array.isArray(body.bugs)) {
    if (!target.explicit) return notHere;
    throw new Error(`GET ${url} did not answer the bug list {now, bugs: [...]}`);
  }
  return { kind: 'bug-service', url, bugs: body.bugs as Bug[], now: body.now };
}
