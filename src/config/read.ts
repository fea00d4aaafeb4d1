// readRolloutConfig: the browser's config reader. It accepts exactly the configs parseRolloutConfig
// (parse.ts) accepts and returns the same RolloutConfig (the same version hash), but says only *where* the
// first problem is: messages, the full error list and warnings belong where configs are written (the admin
// API, the CLI, CI), and would cost the page about 1.5 KB gzip. read.test.ts holds the two in agreement
// with property tests; keep every rule here in step with parse.ts, components.ts and regions.ts.
import { CRITICAL_FAMILIES, FAMILIES, type Family, FLAG_KEY, isFamily } from '../families.js';
import { isRecord } from '../json.js';
import { startsAtMs } from './date.js';
import { monitorMinutes } from './interval.js';
import { isIsoRegion } from './iso3166.js';
import { TOP_KEYS, unwrapConfig } from './keys.js';
import { asList, childPath } from './path.js';
import { ALL_REGIONS } from './regions.js';
import type { ParseResult, RegionRule, RolloutConfig, Stage } from './types.js';
import { configVersion } from './version.js';

/** What a rejected config says, after the path of its first problem. */
const INVALID = 'not a valid rollout config (parseRolloutConfig or `npx token-rollout validate` says why)';

/**
 * Reads the `design-tokens-v2` flag value like parseRolloutConfig: the same config, or `ok: false` with
 * one error at the path of the first problem (resolveAssignment then puts everyone on v1 with
 * `invalid-config`). No warnings. Never throws.
 */
export function readRolloutConfig(json: unknown): ParseResult {
  let at: string | undefined;
  try {
    const { config, version } = read(json, (path) => {
      at ??= path;
    });
    // The version hash only for a valid config: an invalid one may hold values JSON.stringify refuses.
    if (at === undefined) {
      const v = version === undefined ? configVersion(config) : String(version);
      return { ok: true, config: { ...config, version: v }, warnings: [] };
    }
  } catch {
    // A value no JSON parser produces (a throwing getter, a proxy): unreadable, like parse.ts says.
    at = '$';
  }
  return { ok: false, errors: [{ path: at, message: INVALID }], warnings: [] };
}

/** Records a problem at a path; reading goes on (the result is dropped once anything was recorded). */
type Bad = (path: string) => void;

/** A config as read, before its version: the explicit `version` as written (or undefined). */
interface Read {
  config: Omit<RolloutConfig, 'version'>;
  version: unknown;
}

/** The whole read; the result is meaningful only when `bad` was never called. */
function read(json: unknown, bad: Bad): Read {
  const unwrapped = unwrapConfig(json, FLAG_KEY, isRecord);
  const { flagKey } = unwrapped;
  const base = unwrapped.wrapped ? childPath('$', flagKey) : '$';
  let body = unwrapped.body;
  if (!isRecord(body)) {
    bad('$');
    body = {};
  }
  return readBody(body as Record<string, unknown>, base, flagKey, bad);
}

/** The config object: settings, critical families, stages (top level or under `stages`). */
function readBody(body: Record<string, unknown>, base: string, flagKey: string, bad: Bad): Read {
  const at = (key: string) => childPath(base, key);
  const { enabled = true, stage, salt = flagKey, version, killed = [], families, stages } = body;
  if (typeof enabled !== 'boolean') bad(at('enabled'));
  const critical = readCritical(families, at('families'), bad);
  let entries: [string, unknown, string][];
  if (stages === undefined) {
    entries = Object.keys(body)
      .filter((k) => !TOP_KEYS.includes(k))
      .map((k) => [k, body[k], at(k)]);
    if (entries.length === 0 && enabled !== false) bad(base);
  } else {
    if (!isRecord(stages)) bad(at('stages'));
    entries = Object.entries(isRecord(stages) ? stages : {}).map(([k, v]) => [
      k,
      v,
      childPath(at('stages'), k),
    ]);
  }
  const parsed = entries.map(([name, value, path]) => readStage(name, value, path, critical, bad));
  if (stage !== undefined && (typeof stage !== 'string' || !entries.some(([name]) => name === stage))) {
    bad(at('stage'));
  }
  if (typeof salt !== 'string' || salt === '') bad(at('salt'));
  if (
    version !== undefined &&
    !(typeof version === 'number' || (typeof version === 'string' && version !== ''))
  ) {
    bad(at('version'));
  }
  const config: Omit<RolloutConfig, 'version'> = {
    flagKey,
    salt: salt as string,
    stages: parsed,
    killed: readFamilies(killed, at('killed'), bad),
    critical,
    enabled: enabled as boolean,
  };
  if (stage !== undefined) config.activeStage = stage as string;
  return { config, version };
}

/** Top-level `families` ({name: {critical}}) into the critical families, in FAMILIES order. */
function readCritical(value: unknown, path: string, bad: Bad): Family[] {
  const critical = new Set<Family>(CRITICAL_FAMILIES);
  if (value !== undefined && !isRecord(value)) bad(path);
  for (const [name, spec] of Object.entries(isRecord(value) ? value : {})) {
    const at = childPath(path, name);
    if (!isFamily(name)) bad(at);
    else if (!isRecord(spec) || typeof spec.critical !== 'boolean') bad(childPath(at, 'critical'));
    else if (spec.critical) critical.add(name);
    else critical.delete(name);
  }
  return FAMILIES.filter((f) => critical.has(f));
}

/** One stage: a non-empty object with a percentage and optional regions, components, dates, interval. */
function readStage(name: string, value: unknown, path: string, critical: readonly Family[], bad: Bad): Stage {
  if (!isRecord(value) || Object.keys(value).length === 0) {
    bad(path);
    return { name, percentage: 0, regions: ALL_REGIONS, families: [] };
  }
  const at = (key: string) => childPath(path, key);
  const { percentage, regions, components, startsAt, monitorEvery } = value;
  if (typeof percentage !== 'number' || !(percentage >= 0 && percentage <= 100)) bad(at('percentage'));
  const stage: Stage = {
    name,
    percentage: percentage as number,
    regions: regions === undefined ? ALL_REGIONS : readRegions(regions, at('regions'), bad),
    families:
      components === undefined ? [...FAMILIES] : readFamilies(components, at('components'), bad, critical),
  };
  if (startsAt !== undefined) {
    stage.startsAt = startsAtMs(startsAt);
    if (stage.startsAt === undefined) bad(at('startsAt'));
  }
  if (monitorEvery !== undefined) {
    stage.monitorEveryMinutes = monitorMinutes(monitorEvery);
    if (stage.monitorEveryMinutes === undefined) bad(at('monitorEvery'));
  }
  return stage;
}

/** Region entries: codes (a union), "all", and "all-except-…" exclusions that add up; a listed code puts one back. */
function readRegions(value: unknown, path: string, bad: Bad): RegionRule {
  const entries = asList(value);
  if (!entries?.length) bad(path);
  let all = false;
  let except = false;
  const codes = new Set<string>();
  const excluded = new Set<string>();
  entries?.forEach((entry, i) => {
    const upper = typeof entry === 'string' ? entry.trim().toUpperCase() : '';
    if (upper === 'ALL') all = true;
    else if (upper.startsWith('ALL-EXCEPT-')) {
      except = true;
      for (const part of upper.slice(11).split(',')) {
        const code = part.trim();
        if (isIsoRegion(code)) excluded.add(code);
        else bad(childPath(path, i));
      }
    } else if (isIsoRegion(upper)) codes.add(upper);
    else bad(childPath(path, i));
  });
  if (all) return ALL_REGIONS;
  if (!except) return { kind: 'only', codes: [...codes] };
  for (const code of codes) excluded.delete(code);
  return excluded.size === 0 ? ALL_REGIONS : { kind: 'all-except', codes: [...excluded].sort() };
}

/**
 * Family entries as a union in FAMILIES order. With `critical` (a stage's `components`), "all",
 * "all-except-critical" and "all-except-<families>" too, and the result must not be empty.
 */
function readFamilies(value: unknown, path: string, bad: Bad, critical?: readonly Family[]): Family[] {
  const entries = asList(value);
  if (!entries) bad(path);
  const covered = new Set<Family>();
  entries?.forEach((entry, i) => {
    const name = typeof entry === 'string' ? entry.trim().toLowerCase() : '';
    if (isFamily(name)) covered.add(name);
    else if (critical && (name === 'all' || name.startsWith('all-except-'))) {
      const left =
        name === 'all' ? [] : name === 'all-except-critical' ? critical : name.slice(11).split(',');
      if (left.some((f) => !isFamily(f.trim()))) bad(childPath(path, i));
      for (const f of FAMILIES) if (!left.some((l) => l.trim() === f)) covered.add(f);
    } else bad(childPath(path, i));
  });
  if (entries && critical && covered.size === 0) bad(path);
  return FAMILIES.filter((f) => covered.has(f));
}
