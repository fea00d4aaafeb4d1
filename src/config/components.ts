// A stage's `components` (family names, "all", "all-except-critical", "all-except-<family>[,<family>]")
// and the top-level `killed` list (family names).
import { FAMILIES, type Family, isFamily } from '../families.js';
import { asList, childPath, type IssueSink, reject } from './path.js';

const NAMES = `one of ${FAMILIES.join(', ')}`;

/** The families in `set`, in the canonical order of FAMILIES. */
function ordered(set: ReadonlySet<Family>): Family[] {
  return FAMILIES.filter((f) => set.has(f));
}

/**
 * Parses a list of family entries into the families covered (their union), in FAMILIES order. With
 * `critical` given (stage `components`), "all", "all-except-critical" and "all-except-<families>" are
 * allowed too. Undefined after reporting errors; an empty result is an error.
 */
export function parseFamilies(
  value: unknown,
  path: string,
  sink: IssueSink,
  critical?: readonly Family[],
): Family[] | undefined {
  const what = critical ? `${NAMES}, "all" or "all-except-critical"` : NAMES;
  const entries = asList(value);
  if (!entries) return reject(sink, path, `a list of component families (${what})`, value);
  const before = sink.errors.length;
  const covered = new Set<Family>();
  entries.forEach((entry, i) => {
    const name = typeof entry === 'string' ? entry.trim().toLowerCase() : '';
    if (isFamily(name)) covered.add(name);
    else if (critical && (name === 'all' || name.startsWith('all-except-'))) {
      const left =
        name === 'all' ? [] : name === 'all-except-critical' ? critical : name.slice(11).split(',');
      const bad = left.find((f) => !isFamily(f.trim()));
      if (bad !== undefined) reject(sink, childPath(path, i), `${NAMES} after "all-except-"`, entry);
      for (const f of FAMILIES) if (!left.some((l) => l.trim() === f)) covered.add(f);
    } else reject(sink, childPath(path, i), what, entry);
  });
  if (sink.errors.length > before) return undefined;
  if (critical && covered.size === 0) return reject(sink, path, 'at least one component family', value);
  return ordered(covered);
}
