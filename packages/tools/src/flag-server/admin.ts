// The admin API's changes as pure functions over the flag definitions: each returns new flags (with
// bumped versions) or a reason with a JSON path, so a request is applied whole or not at all. The config
// inside the flag is read and edited only through the SDK's config model (token-rollout/core), so every
// form the SDK accepts (the seed's, the bare object, stages under "stages") is read the same way here.
import {
  activeStage,
  type ConfigEdit,
  FAMILIES,
  type Family,
  FLAG_KEY,
  isFamily,
  isRecord,
  parseRolloutConfig,
  regionsAsWritten,
  type Stage,
  withKilled,
  withStage,
  withStageFields,
} from 'token-rollout/core';
import type { FlagDefinition } from './definitions.js';

/** A change the admin API accepts (already routed; bodies still unchecked). */
export type AdminChange =
  | { kind: 'flag'; body: unknown }
  | { kind: 'stage'; body: unknown }
  | { kind: 'patch-stage'; stage: string; body: unknown }
  | { kind: 'family'; family: string; body: unknown };

/** Why a change was refused: a message and the JSON path (in the request body or the config) at fault. */
export interface AdminError {
  status: 400 | 404;
  error: string;
  path: string;
}

/** A change's outcome: the flags that changed (versions bumped), or the reason it was refused. */
export type AdminResult = { ok: true; changed: FlagDefinition[] } | { ok: false; error: AdminError };

/** One stage as the admin state shows it: the SDK's reading of the config, in the admin API's terms. */
export interface StageState {
  name: string;
  percentage: number;
  /** As a PATCH takes them: `["all"]`, `["AU", "NZ"]` or `["all-except-US"]`. */
  regions: string[];
  /** The families the stage covers, listed out ("all-except-critical" becomes the names). */
  components: Family[];
  /** When the schedule makes it active (ISO 8601, UTC), if it is scheduled. */
  startsAt: string | null;
  /** The monitoring interval in minutes, if set. */
  monitorEveryMinutes: number | null;
}

/** What `GET /admin/state` answers. */
export interface FlagState {
  flagKey: string;
  on: boolean;
  /** The `design-tokens-v2` flag's version; every admin change bumps it. */
  version: number;
  /** The rollout config's version (changes with every config change). */
  configVersion: string | null;
  /** The explicitly active stage (`stage` in the config), else the scheduled one, else null. */
  activeStage: string | null;
  stages: StageState[];
  killed: Family[];
  /** Every flag the server serves, with its on/off state and version. */
  flags: { key: string; on: boolean; version: number }[];
  /** Problems in the served config (the app would fall back to v1). */
  errors: { path: string; message: string }[];
}

type Json = Record<string, unknown>;

function refuse(error: string, path: string, status: 400 | 404 = 400): AdminResult {
  return { ok: false, error: { status, error, path } };
}

/** The index of the variation that holds the rollout config (the fallthrough's, else the first object). */
export function configVariationIndex(flag: FlagDefinition): number {
  const fallthrough = flag.fallthrough.variation;
  if (fallthrough !== undefined && isRecord(flag.variations[fallthrough])) return fallthrough;
  return flag.variations.findIndex((value) => isRecord(value) && value.enabled !== false);
}

function stageState(stage: Stage): StageState {
  return {
    name: stage.name,
    percentage: stage.percentage,
    regions: regionsAsWritten(stage.regions),
    components: [...stage.families],
    startsAt: stage.startsAt === undefined ? null : new Date(stage.startsAt).toISOString(),
    monitorEveryMinutes: stage.monitorEveryMinutes ?? null,
  };
}

/** Summarises the served flags for the admin API and the dashboard. */
export function flagState(flags: readonly FlagDefinition[], now: number, flagKey = FLAG_KEY): FlagState {
  const main = flags.find((f) => f.key === flagKey);
  const index = main ? configVariationIndex(main) : -1;
  const value = main && index >= 0 ? (main.variations[index] as Json) : null;
  const parsed = value ? parseRolloutConfig(value) : null;
  const config = parsed?.ok ? parsed.config : null;
  const killed = new Set<Family>(config?.killed ?? []);
  for (const family of FAMILIES) {
    const flag = flags.find((f) => f.key === `${flagKey}.${family}`);
    if (flag && familyFlagValue(flag) === false) killed.add(family);
  }
  return {
    flagKey,
    on: main?.on ?? false,
    version: main?.version ?? 0,
    configVersion: config?.version ?? null,
    activeStage: config ? (activeStage(config, now)?.name ?? null) : null,
    // An invalid config has no stages to show: `errors` says what to fix in the flag definition.
    stages: (config?.stages ?? []).map(stageState),
    killed: FAMILIES.filter((f) => killed.has(f)),
    flags: flags.map((f) => ({ key: f.key, on: f.on, version: f.version })),
    errors:
      parsed && !parsed.ok ? [...parsed.errors] : main ? [] : [{ path: '$', message: 'flag not defined' }],
  };
}

/** The value a boolean family flag serves to everyone (no per-context rules are read here). */
function familyFlagValue(flag: FlagDefinition): unknown {
  const index = flag.on ? flag.fallthrough.variation : flag.offVariation;
  return index === undefined ? undefined : flag.variations[index];
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** `main` with its config variation replaced by the edit's value, or the edit's error as a refusal. */
function applyEdit(main: FlagDefinition, index: number, edit: ConfigEdit): AdminResult {
  if (!edit.ok) {
    return refuse(`the change would make the rollout config invalid: ${edit.error.message}`, edit.error.path);
  }
  const variations = [...main.variations];
  variations[index] = edit.value;
  return { ok: true, changed: [bump({ ...main, variations })] };
}

function bump(flag: FlagDefinition): FlagDefinition {
  return { ...flag, version: flag.version + 1 };
}

/** Applies one admin change to the flags; pure: the inputs are not modified. */
export function applyAdminChange(
  flags: readonly FlagDefinition[],
  change: AdminChange,
  flagKey = FLAG_KEY,
): AdminResult {
  const original = flags.find((f) => f.key === flagKey);
  if (!original) return refuse(`flag "${flagKey}" is not defined`, '$', 404);
  const main = clone(original);
  const body = change.body;
  if (!isRecord(body)) return refuse('the request body must be a JSON object', '$');
  const index = configVariationIndex(main);
  const variation = index >= 0 ? main.variations[index] : undefined;
  const parsed = variation === undefined ? null : parseRolloutConfig(variation);
  const config = parsed?.ok ? parsed.config : null;
  const names = config?.stages.map((s) => s.name) ?? [];
  const noConfig = () =>
    parsed && !parsed.ok
      ? refuse(
          `the served rollout config is invalid (${parsed.errors[0]?.message ?? 'unknown error'}): fix the flag definition first`,
          parsed.errors[0]?.path ?? '$',
        )
      : refuse('the flag has no variation holding a rollout config', '$');

  switch (change.kind) {
    case 'flag': {
      if (typeof body.on !== 'boolean') return refuse('"on" must be true or false', '$.on');
      if (body.on === main.on) return { ok: true, changed: [] };
      main.on = body.on;
      return { ok: true, changed: [bump(main)] };
    }
    case 'stage': {
      if (!config) return noConfig();
      const stage = body.stage;
      if (stage !== null && (typeof stage !== 'string' || !names.includes(stage))) {
        return refuse(`"stage" must be one of ${names.map((n) => `"${n}"`).join(', ')} or null`, '$.stage');
      }
      return applyEdit(main, index, withStage(variation, stage));
    }
    case 'patch-stage': {
      if (!config) return noConfig();
      if (!names.includes(change.stage)) {
        return refuse(`stage "${change.stage}" does not exist`, `$["${change.stage}"]`, 404);
      }
      const allowed = ['percentage', 'regions', 'components', 'startsAt', 'monitorEvery'];
      const unknown = Object.keys(body).find((k) => !allowed.includes(k));
      if (unknown) return refuse(`unknown field (allowed: ${allowed.join(', ')})`, `$.${unknown}`);
      if (Object.keys(body).length === 0)
        return refuse(`nothing to change (send ${allowed.join(', ')})`, '$');
      if ('percentage' in body) {
        const p = body.percentage;
        if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 100) {
          return refuse('"percentage" must be a number from 0 to 100', '$.percentage');
        }
      }
      for (const list of ['regions', 'components'] as const) {
        if (list in body) {
          const v = body[list];
          const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
          if (!ok) return refuse(`"${list}" must be a string or an array of strings`, `$.${list}`);
        }
      }
      return applyEdit(main, index, withStageFields(variation, change.stage, body));
    }
    case 'family': {
      if (!isFamily(change.family)) {
        return refuse(`unknown family "${change.family}": expected one of ${FAMILIES.join(', ')}`, '$', 404);
      }
      if (typeof body.killed !== 'boolean') return refuse('"killed" must be true or false', '$.killed');
      return killFamily(flags, main, index, change.family, body.killed, flagKey);
    }
  }
}

/** Kills through the family's boolean flag when it exists (as LaunchDarkly would), else the config's `killed`. */
function killFamily(
  flags: readonly FlagDefinition[],
  main: FlagDefinition,
  index: number,
  family: Family,
  killed: boolean,
  flagKey: string,
): AdminResult {
  const changed: FlagDefinition[] = [];
  const original = flags.find((f) => f.key === `${flagKey}.${family}`);
  if (original) {
    const flag = clone(original);
    const allowIndex = flag.variations.indexOf(true);
    if (killed && flag.on) flag.on = false;
    if (!killed) {
      if (allowIndex < 0) return refuse(`flag "${flag.key}" has no true variation`, '$.killed');
      flag.on = true;
      flag.fallthrough = { variation: allowIndex };
    }
    if (JSON.stringify(flag) !== JSON.stringify(original)) changed.push(bump(flag));
  }
  const value = index >= 0 ? main.variations[index] : undefined;
  const parsed = value === undefined ? null : parseRolloutConfig(value);
  if (parsed?.ok) {
    const list = parsed.config.killed.filter((f) => f !== family);
    if (killed && !original) list.push(family);
    if (JSON.stringify(list) !== JSON.stringify(parsed.config.killed)) {
      const result = applyEdit(main, index, withKilled(value, list));
      if (!result.ok) return result;
      changed.push(...result.changed);
    }
  } else if (!original) {
    return refuse(`neither flag "${flagKey}.${family}" nor a rollout config exists`, '$', 404);
  }
  return { ok: true, changed };
}
