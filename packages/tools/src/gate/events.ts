// Reads metric events from NDJSON (an exported file, or the collector's /events/export), checked against
// the event contract. Bad lines are errors that name the file and line: a gate must not decide on data
// it silently skipped.
import type { MetricEvent } from 'token-rollout/core';
import { validateEvent } from 'token-rollout/core';

/** A problem with the gate's input that the user can fix (bad file, bad option); the CLI exits 2. */
export class GateInputError extends Error {
  override name = 'GateInputError';
}

const MAX_REPORTED = 5;

/**
 * Parses NDJSON text into events. `source` names the file or URL in messages (`events.ndjson:12: ...`).
 * Blank lines are allowed; anything else that is not a valid event throws a GateInputError listing up
 * to five problems.
 */
export function parseEventsNdjson(text: string, source: string): MetricEvent[] {
  const events: MetricEvent[] = [];
  const problems: string[] = [];
  let problemCount = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${source}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problemCount++;
      if (problems.length < MAX_REPORTED) problems.push(`${where}: not JSON (${(error as Error).message})`);
      continue;
    }
    const found = validateEvent(value);
    if (found.length > 0) {
      problemCount++;
      if (problems.length < MAX_REPORTED) {
        problems.push(`${where}: ${found.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      }
      continue;
    }
    events.push(value as MetricEvent);
  }
  if (problemCount > 0) {
    const more =
      problemCount > problems.length ? `\n… and ${problemCount - problems.length} more bad lines` : '';
    throw new GateInputError(`${problemCount} bad event line(s):\n${problems.join('\n')}${more}`);
  }
  return events;
}
