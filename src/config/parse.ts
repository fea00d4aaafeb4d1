// parseRolloutConfig: the `design-tokens-v2` flag value (any JSON) -> a typed RolloutConfig, or every
// problem found, each with its JSON path. It never throws. It runs where configs are written (the admin
// API, the CLI, CI: token-rollout/core); the browser reads flags with the compact src/config/read.ts,
// which accepts exactly the same configs (read.test.ts holds the two in agreement).
//
// Hand-written rather than a schema library, on figures (esbuild --minify, gzip -9, measured here):
// classic zod is ~13 KB gzip, most of the SDK's whole 8 KB budget. valibot 1.5 (like zod/mini)
// tree-shakes, but a schema for the config's mere shape (no ISO list, no "all-except" or family semantics, no warnings,
// no version hash) already costs 3.0 KB gzip, and its issues would still need reshaping into our paths
// and "expected …, got …" messages. This parser with all of that is 4.4 KB gzip standalone, 0.9 KB of it
// the SHA-1 that the bucketer needs anyway; parse + resolve together are 5.5 KB.
//
// Accepted forms (documented in src/config/README.md):
// - null, or an object whose `enabled` is false: the flag's off variation (everyone on v1).
// - The seed verbatim: `{"design-tokens-v2": {"week1": {...}, ...}}`. An object whose single key is not a
//   known top-level key, with a value that is null or a non-empty object that is not itself a stage, is
//   read as `{<flagKey>: <config>}`; the key becomes the flag key (and the default salt).
// - The bare inner object `{"week1": {...}, ...}` (flag key `design-tokens-v2`).
// - The extended form: the same, plus top-level `stage`, `salt`, `version`, `killed`, `families`,
//   `enabled`. Stages sit at top level (every key that is not a known top-level key is a stage, as in
//   the seed) or under `"stages": {...}` (then other keys are unknown keys). Stages keep their order.
import { CRITICAL_FAMILIES, FAMILIES, type Family, FLAG_KEY, isFamily } from '../families.js';
import { isRecord } from '../json.js';
import { parseFamilies } from './components.js';
import { parseStartsAt } from './date.js';
import { parseMonitorEvery } from './interval.js';
import { STAGE_KEYS, TOP_KEYS, unwrapConfig } from './keys.js';
import { CONFIG_LINT, type ConfigLint } from './lint.js';
import { childPath, type IssueSink, reject } from './path.js';
import { ALL_REGIONS, parseRegions } from './regions.js';
import type { ParseResult, RolloutConfig, Stage } from './types.js';
import { configVersion } from './version.js';

const STAGE = 'a stage such as {"percentage": 5, "regions": ["AU", "NZ"]}';

/** Reads one stage; undefined after reporting its errors. */
function parseStage(
  name: string,
  value: unknown,
  path: string,
  critical: readonly Family[],
  sink: IssueSink,
) {
  if (!isRecord(value) || Object.keys(value).length === 0) return reject(sink, path, STAGE, value);
  sink.lint?.unknownKeys(sink, value, STAGE_KEYS, path);
  const before = sink.errors.length;
  const { percentage, regions, components, startsAt, monitorEvery } = value;
  const at = (key: string) => childPath(path, key);
  if (typeof percentage !== 'number' || !(percentage >= 0 && percentage <= 100)) {
    reject(sink, at('percentage'), 'a number from 0 to 100', percentage);
  } else sink.lint?.percentage(sink, percentage, at('percentage'));
  const stage: Stage = {
    name,
    percentage: percentage as number,
    regions: regions === undefined ? ALL_REGIONS : parseRegions(regions, at('regions'), sink)!,
    families:
      components === undefined ? [...FAMILIES] : parseFamilies(components, at('components'), sink, critical)!,
  };
  if (startsAt !== undefined) stage.startsAt = parseStartsAt(startsAt, at('startsAt'), sink);
  if (monitorEvery !== undefined)
    stage.monitorEveryMinutes = parseMonitorEvery(monitorEvery, at('monitorEvery'), sink);
  return sink.errors.length > before ? undefined : stage;
}

/** Reads top-level `families` ({name: {critical}}) into the critical families. */
function parseCritical(value: unknown, path: string, sink: IssueSink): Family[] {
  const critical = new Set<Family>(CRITICAL_FAMILIES);
  if (value !== undefined && !isRecord(value))
    reject(sink, path, 'an object such as {"checkout": {"critical": true}}', value);
  for (const [name, spec] of Object.entries(isRecord(value) ? value : {})) {
    const at = childPath(path, name);
    if (!isFamily(name)) reject(sink, at, `a family name key (${FAMILIES.join(', ')})`, name);
    else if (!isRecord(spec) || typeof spec.critical !== 'boolean') {
      reject(sink, childPath(at, 'critical'), 'true or false', isRecord(spec) ? spec.critical : spec);
    } else {
      sink.lint?.unknownKeys(sink, spec, ['critical'], at);
      if (spec.critical) critical.add(name);
      else critical.delete(name);
    }
  }
  return FAMILIES.filter((f) => critical.has(f));
}

/** Reads the config object (what sits under the flag key, or the bare object). */
function parseBody(
  body: Record<string, unknown>,
  base: string,
  flagKey: string,
  sink: IssueSink,
): RolloutConfig | undefined {
  const at = (key: string) => childPath(base, key);
  const { enabled = true, stage, salt = flagKey, version, killed = [], families, stages } = body;
  if (typeof enabled !== 'boolean') reject(sink, at('enabled'), 'true or false', enabled);
  const critical = parseCritical(families, at('families'), sink);

  // Stages: under "stages", or every key that is not a known top-level key.
  let entries: [string, unknown, string][];
  if (stages === undefined) {
    entries = Object.keys(body)
      .filter((k) => !TOP_KEYS.includes(k))
      .map((k) => [k, body[k], at(k)]);
    if (entries.length === 0 && enabled !== false)
      reject(sink, base, `at least one stage, e.g. {"week1": ${STAGE.slice(13)}}`, body);
  } else {
    sink.lint?.unknownKeys(sink, body, TOP_KEYS, base);
    if (!isRecord(stages))
      reject(sink, at('stages'), `an object of stages: {"week1": ${STAGE.slice(13)}}`, stages);
    entries = Object.entries(isRecord(stages) ? stages : {}).map(([k, v]) => [
      k,
      v,
      childPath(at('stages'), k),
    ]);
  }
  const parsed: Stage[] = [];
  const paths: string[] = [];
  for (const [name, value, path] of entries) {
    const s = parseStage(name, value, path, critical, sink);
    if (s) parsed.push(s);
    paths.push(path);
  }
  const names = entries.map(([n]) => `"${n}"`);
  if (stage !== undefined && (typeof stage !== 'string' || !names.includes(`"${stage}"`))) {
    reject(sink, at('stage'), `a stage name (${names.join(', ') || 'none defined'})`, stage);
  }
  if (typeof salt !== 'string' || salt === '') reject(sink, at('salt'), 'a non-empty string', salt);
  if (
    version !== undefined &&
    !(typeof version === 'number' || (typeof version === 'string' && version !== ''))
  ) {
    reject(sink, at('version'), 'a non-empty string or a number', version);
  }
  const killedFamilies = parseFamilies(killed, at('killed'), sink);
  if (sink.errors.length > 0) return undefined;
  sink.lint?.stages(sink, parsed, paths);
  const config: Omit<RolloutConfig, 'version'> = {
    flagKey,
    salt: salt as string,
    stages: parsed,
    killed: killedFamilies!,
    critical,
    enabled: enabled as boolean,
  };
  if (stage !== undefined) config.activeStage = stage as string;
  return { ...config, version: version === undefined ? configVersion(config) : String(version) };
}

/** The whole parse; may throw only on values no JSON parser produces (getters, proxies). */
function parse(json: unknown, lint: ConfigLint | undefined): ParseResult {
  const sink: IssueSink = { errors: [], warnings: [], lint };
  const unwrapped = unwrapConfig(json, FLAG_KEY, isRecord);
  const { flagKey } = unwrapped;
  const base = unwrapped.wrapped ? childPath('$', flagKey) : '$';
  const body = unwrapped.body;
  if (!isRecord(body)) {
    reject(
      sink,
      '$',
      `the rollout config, an object such as {"${FLAG_KEY}": {"week1": ${STAGE.slice(13)}}}, or null`,
      body,
    );
  }
  const config = isRecord(body) ? parseBody(body, base, flagKey, sink) : undefined;
  return config
    ? { ok: true, config, warnings: sink.warnings }
    : { ok: false, errors: sink.errors, warnings: sink.warnings };
}

/**
 * Parses the `design-tokens-v2` flag value: the seed's form verbatim, the bare inner object, or the
 * extended form. Returns the typed config, or every error with its JSON path; warnings either way. Never throws.
 */
export function parseRolloutConfig(json: unknown): ParseResult {
  try {
    return parse(json, CONFIG_LINT);
  } catch (error) {
    // Values from a flag service are plain JSON; an app may still hand us an object whose getters throw.
    const reason = error instanceof Error ? error.message : 'unreadable value';
    return {
      ok: false,
      errors: [{ path: '$', message: `could not read the config: ${reason}` }],
      warnings: [],
    };
  }
}

/**
 * The browser runtime's reader (src/config/read.ts), under the name the runtime imports: the same
 * configs accepted, the same config returned, and for the rest only where the first problem is.
 */
export { readRolloutConfig as parseRolloutConfigForRuntime } from './read.js';
