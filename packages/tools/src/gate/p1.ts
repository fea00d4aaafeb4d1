// The plan's "3+ P1 bugs reported" as data: the P1 bugs reported in the 24 hours before the check and not
// withdrawn, read from the bug service at every check (also under --watch). The window is measured on
// the bug service's clock (its `now`), the same clock that stamped the reports. A count typed with
// --p1-bugs still overrides it (say, while the bug service is down), and the report says which it was.
import type { Bug } from '../bugs/bug.js';
import { P1_WINDOW_MS } from './thresholds.js';

/** Where the P1 count comes from. */
export type P1Source =
  | { kind: 'bug-service'; url: string; bugs: readonly Bug[]; now: number }
  | { kind: 'override'; count: number }
  | { kind: 'not-checked'; reason: string };

/** What the report shows about P1 bugs. */
export interface P1Summary {
  count: number;
  /** `bug-service URL`, `--p1-bugs` or why nothing was checked. */
  source: string;
  windowHours: number;
  /** The P1s counted, newest first. */
  bugs: { id: string; title: string; link: string | null; reportedAt: string }[];
  /** P1s in the window that were withdrawn (shown, not counted). */
  withdrawn: number;
}

/** The P1 bugs that count at `now`: P1, reported in (now - 24 h, now], not withdrawn. */
export function recentP1(bugs: readonly Bug[], now: number, windowMs = P1_WINDOW_MS): Bug[] {
  return bugs
    .filter(
      (b) =>
        b.severity === 'P1' && b.withdrawnAt === null && b.reportedAt > now - windowMs && b.reportedAt <= now,
    )
    .sort((a, b) => b.reportedAt - a.reportedAt);
}

/** Summarises a P1 source for the report and the decision. */
export function p1Summary(source: P1Source): P1Summary {
  const windowHours = P1_WINDOW_MS / 3_600_000;
  if (source.kind === 'override') {
    return {
      count: source.count,
      source: '--p1-bugs (typed count, overrides the bug service)',
      windowHours,
      bugs: [],
      withdrawn: 0,
    };
  }
  if (source.kind === 'not-checked') {
    return { count: 0, source: `not checked: ${source.reason}`, windowHours, bugs: [], withdrawn: 0 };
  }
  const counted = recentP1(source.bugs, source.now);
  const withdrawn = source.bugs.filter(
    (b) => b.severity === 'P1' && b.withdrawnAt !== null && b.reportedAt > source.now - P1_WINDOW_MS,
  ).length;
  return {
    count: counted.length,
    source: `bug service ${source.url}`,
    windowHours,
    bugs: counted.map((b) => ({
      id: b.id,
      title: b.title,
      link: b.link,
      reportedAt: new Date(b.reportedAt).toISOString(),
    })),
    withdrawn,
  };
}
