// Flag definitions in LaunchDarkly's flag data model (what its SDKs receive and the Node SDK's FileData
// source reads; the REST API wraps the same fields per environment): one flag per `*.json` file.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from 'token-rollout/core';

/** The subset of LaunchDarkly's flag model this server reads or changes; other fields pass through. */
export interface FlagDefinition {
  key: string;
  on: boolean;
  /** The values served, by index (the SDK data model holds bare values, not `{value}` objects). */
  variations: unknown[];
  offVariation?: number;
  fallthrough: { variation?: number; rollout?: unknown };
  salt?: string;
  version: number;
  clientSideAvailability?: { usingEnvironmentId?: boolean; usingMobileKey?: boolean };
  [field: string]: unknown;
}

/** A user-caused problem in a flag file, naming the file and the JSON path. */
export class FlagDefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    message: string,
  ) {
    super(`${file}: ${path}: ${message}`);
    this.name = 'FlagDefinitionError';
  }
}

/** Checks one parsed flag object; throws a FlagDefinitionError naming `file` and the field. */
export function validateFlagDefinition(raw: unknown, file: string): FlagDefinition {
  if (!isRecord(raw)) throw new FlagDefinitionError(file, '$', 'a flag must be a JSON object');
  if (typeof raw.key !== 'string' || raw.key === '') {
    throw new FlagDefinitionError(file, '$.key', 'must be a non-empty string');
  }
  if (typeof raw.on !== 'boolean') throw new FlagDefinitionError(file, '$.on', 'must be true or false');
  if (!Array.isArray(raw.variations) || raw.variations.length === 0) {
    throw new FlagDefinitionError(file, '$.variations', 'must be a non-empty array of values');
  }
  const count = raw.variations.length;
  const index = (value: unknown, path: string) => {
    if (value === undefined || value === null) return;
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= count) {
      throw new FlagDefinitionError(file, path, `must be a variation index 0..${count - 1}`);
    }
  };
  index(raw.offVariation, '$.offVariation');
  if (!isRecord(raw.fallthrough)) {
    throw new FlagDefinitionError(file, '$.fallthrough', 'must be {"variation": n} or {"rollout": …}');
  }
  index(raw.fallthrough.variation, '$.fallthrough.variation');
  if (raw.fallthrough.variation === undefined && raw.fallthrough.rollout === undefined) {
    throw new FlagDefinitionError(file, '$.fallthrough', 'needs "variation" or "rollout"');
  }
  const version = raw.version ?? 1;
  if (!Number.isInteger(version) || (version as number) < 1) {
    throw new FlagDefinitionError(file, '$.version', 'must be a positive integer');
  }
  return { ...raw, version } as FlagDefinition;
}

/** The release calendar kept beside the flags (release/calendar-file.ts): not a flag. */
const NOT_FLAGS = new Set(['release.json']);

/**
 * Reads every `*.json` flag in `dir` (except the release calendar, `release.json`), sorted by file name.
 * Duplicate keys and bad JSON are errors.
 */
export async function loadFlagDefinitions(dir: string): Promise<FlagDefinition[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json') && !NOT_FLAGS.has(name)).sort();
  const flags: FlagDefinition[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    const text = await readFile(file, 'utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new FlagDefinitionError(file, '$', `not valid JSON (${(error as Error).message})`);
    }
    const flag = validateFlagDefinition(raw, file);
    const previous = seen.get(flag.key);
    if (previous)
      throw new FlagDefinitionError(file, '$.key', `"${flag.key}" is also defined in ${previous}`);
    seen.set(flag.key, file);
    flags.push(flag);
  }
  return flags;
}
