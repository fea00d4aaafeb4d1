// The plan's "Lighthouse score 95+" from a recorded run: Lighthouse's own JSON result (`lighthouse URL
// --output json`, or the LHR that scripts/lighthouse.ts gets from the Node API), read as it is. One run
// is a measurement, not a sample: the report says so; run-to-run spread is not modelled.
import { readFile } from 'node:fs/promises';
import { GateInputError } from './events.js';

/** The performance score (0-100), the form factor the run emulated, and the file. */
export interface LighthouseRun {
  score: number;
  formFactor: string | null;
  source: string;
}

/** Reads the score from a parsed Lighthouse result; errors name the file and the JSON path. */
export function lighthouseOf(json: unknown, source: string): LighthouseRun {
  const lhr = json as {
    categories?: { performance?: { score?: unknown } };
    configSettings?: { formFactor?: unknown };
  } | null;
  const score = lhr?.categories?.performance?.score;
  if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
    throw new GateInputError(
      `--lighthouse ${source}: $.categories.performance.score must be a number from 0 to 1 (Lighthouse's JSON output)`,
    );
  }
  const formFactor = lhr?.configSettings?.formFactor;
  return {
    score: Math.round(score * 100),
    formFactor: typeof formFactor === 'string' ? formFactor : null,
    source,
  };
}

/** Reads a Lighthouse JSON file. */
export async function readLighthouse(path: string): Promise<LighthouseRun> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new GateInputError(
      `--lighthouse: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return lighthouseOf(JSON.parse(text), path);
  } catch (error) {
    if (error instanceof GateInputError) throw error;
    throw new GateInputError(`--lighthouse ${path}: not JSON (${(error as Error).message})`);
  }
}
