// Reads metric events from NDJSON (an exported file, or the collector's /events/export). A line that is
// not a JSON object is skipped and counted (with up to five samples naming the file and line): one bad
// line in a day's export must not stop the gate. Objects are not judged here: the gate's screen
// (screen.ts) checks each against the event contract and counts what it leaves out.

/** A problem with the gate's input that the user can fix (bad file, bad option); the CLI exits 2. */
export class GateInputError extends Error {
  override name = 'GateInputError';
}

/** What an NDJSON text held: the objects, and the lines that were not objects. */
export interface NdjsonEvents {
  events: unknown[];
  badLines: number;
  /** Up to five of them, as `source:line: why`. */
  samples: string[];
}

const MAX_SAMPLES = 5;

/** Parses NDJSON text; `source` names the file or URL in the samples (`events.ndjson:12: ...`). Never throws. */
export function parseEventsNdjson(text: string, source: string): NdjsonEvents {
  const events: unknown[] = [];
  const samples: string[] = [];
  let badLines = 0;
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    const end = text.indexOf('\n', start);
    const raw = text.slice(start, end === -1 ? text.length : end).trim();
    start = end === -1 ? text.length + 1 : end + 1;
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      badLines++;
      if (samples.length < MAX_SAMPLES)
        samples.push(`${source}:${line}: not JSON (${(error as Error).message})`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      badLines++;
      if (samples.length < MAX_SAMPLES) samples.push(`${source}:${line}: not an event object`);
      continue;
    }
    events.push(value);
  }
  return { events, badLines, samples };
}
