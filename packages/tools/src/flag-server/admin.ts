// The admin API's changes as pure functions over the flag definitions: each returns new flags (with
// bumped versions) or a reason with a JSON path, so a request is applied whole or not at all.

import type { RolloutConfig } from 'token-rollout/core';
import {
  activeStage,
  FAMILIES,
  type Family,
  FLAG_KEY,
  isFamily,
  parseRolloutConfig,
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

/** One stage as the admin state shows it. */
export interface StageState {
  name: string;
  percentage: number;
  regions: unknown;
  components: unknown;
  startsAt: string | null;
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

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refuse(error: string, path: string, status: 400 | 404 = 400): AdminResult {
  return { ok: false, error: { status, error, path } };
}

/** The index of the variation that holds the rollout config (the fallthrough's, else the first object). */
export function configVariationIndex(flag: FlagDefinition): number {
  const fallthrough = flag.fallthrough.variation;
  if (fallthrough !== undefined && isRecord(flag.variations[fallthrough])) return fallthrough;
  return flag.variations.findIndex((value) => isRecord(value) && value.enabled !== false);
}

/** The config object inside a variation value: the value itself, or its `design-tokens-v2` member. */
function innerConfig(value: Json, flagKey: string): Json {
  const inner = value[flagKey];
  return isRecord(inner) ? inner : value;
}

function stageNames(config: Json, parsed: RolloutConfig | null): string[] {
  if (parsed) return parsed.stages.map((s) => s.name);
  return Object.keys(config).filter((k) => isRecord(config[k]));
}

/** Summarises the served flags for the admin API and the dashboard. */
export function flagState(flags: readonly FlagDefinition[], now: number, flagKey = FLAG_KEY): FlagState {
  const main = flags.find((f) => f.key === flagKey);
  const index = main ? configVariationIndex(main) : -1;
  const value = main && index >= 0 ? (main.variations[index] as Json) : null;
  const parsed = value ? parseRolloutConfig(value) : null;
  const config = parsed?.ok ? parsed.config : null;
  const inner = value ? innerConfig(value, flagKey) : {};
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
    stages: stageNames(inner, config).map((name) => {
      const raw = isRecord(inner[name]) ? (inner[name] as Json) : {};
      return {
        name,
        percentage: typeof raw.percentage === 'number' ? raw.percentage : 0,
        regions: raw.regions ?? ['all'],
        components: raw.components ?? ['all'],
        startsAt: typeof raw.startsAt === 'string' ? raw.startsAt : null,
      };
    }),
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

/** Validates the config in `flag` with the engine's parser; the first error becomes the refusal. */
function checkConfig(flag: FlagDefinition): AdminError | null {
  const index = configVariationIndex(flag);
  if (index < 0)
    return { status: 400, error: 'the flag has no variation holding a rollout config', path: '$' };
  const parsed = parseRolloutConfig(flag.variations[index]);
  if (parsed.ok) return null;
  const first = parsed.errors[0];
  return {
    status: 400,
    error: `the change would make the rollout config invalid: ${first?.message ?? 'unknown error'}`,
    path: first?.path ?? '$',
  };
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
  const variation = index >= 0 ? (main.variations[index] as Json) : null;
  const config = variation ? innerConfig(variation, flagKey) : null;

  switch (change.kind) {
    case 'flag': {
      if (typeof body.on !== 'boolean') return refuse('"on" must be true or false', '$.on');
      if (body.on === main.on) return { ok: true, changed: [] };
      main.on = body.on;
      return { ok: true, changed: [bump(main)] };
    }
    case 'stage': {
      if (!config) return refuse('the flag has no variation holding a rollout config', '$');
      const parsed = parseRolloutConfig(variation);
      const names = stageNames(config, parsed.ok ? parsed.config : null);
      if (body.stage === null) delete config.stage;
      else if (typeof body.stage !== 'string' || !names.includes(body.stage)) {
        return refuse(`"stage" must be one of ${names.map((n) => `"${n}"`).join(', ')} or null`, '$.stage');
      } else config.stage = body.stage;
      return finish(main);
    }
    case 'patch-stage': {
      if (!config) return refuse('the flag has no variation holding a rollout config', '$');
      const stage = config[change.stage];
      if (!isRecord(stage) || ['stage', 'salt', 'version', 'killed', 'families'].includes(change.stage)) {
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
      Object.assign(stage, body);
      return finish(main);
    }
    case 'family': {
      if (!isFamily(change.family)) {
        return refuse(`unknown family "${change.family}": expected one of ${FAMILIES.join(', ')}`, '$', 404);
      }
      if (typeof body.killed !== 'boolean') return refuse('"killed" must be true or false', '$.killed');
      return killFamily(flags, main, config, change.family, body.killed, flagKey);
    }
  }
}

function finish(main: FlagDefinition): AdminResult {
  const error = checkConfig(main);
  if (error) return { ok: false, error };
  return { ok: true, changed: [bump(main)] };
}

/** Kills through the family's boolean flag when it exists (as LaunchDarkly would), else the config's `killed`. */
function killFamily(
  flags: readonly FlagDefinition[],
  main: FlagDefinition,
  config: Json | null,
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
  if (config) {
    const list = Array.isArray(config.killed) ? config.killed.filter((f) => f !== family) : [];
    if (killed && !original) list.push(family);
    const before = JSON.stringify(config.killed ?? []);
    if (JSON.stringify(list) !== before) {
      config.killed = list;
      const error = checkConfig(main);
      if (error) return { ok: false, error };
      changed.push(bump(main));
    }
  } else if (!original) {
    return refuse(`neither flag "${flagKey}.${family}" nor a rollout config exists`, '$', 404);
  }
  return { ok: true, changed };
}
