// Edits of a rollout config value (the flag's JSON) that keep the form it was written in: the seed's
// `{"design-tokens-v2": {...}}` wrapper or the bare object, stages at the top level or under "stages".
// Where the parts are is what the parser read, and every edit is parsed again, so an edit yields a value
// the SDK accepts or the first error with its JSON path. For the Node tools (admin API, gate).
import type { Family } from '../families.js';
import { isRecord } from '../json.js';
import { parseRolloutConfig } from './parse.js';
import type { ConfigIssue, RegionRule, RolloutConfig } from './types.js';

type Json = Record<string, unknown>;

/** An edit's outcome: the new value and its parsed config, or why the edit cannot be made. */
export type ConfigEdit =
  | { ok: true; value: unknown; config: RolloutConfig }
  | { ok: false; error: ConfigIssue };

/** A copy of the config object of a value, where its stages sit, and how to put it back in the value. */
interface Layout {
  config: RolloutConfig;
  body: Json;
  stages: Json;
  wrap(body: Json): unknown;
}

function fail(path: string, message: string): { ok: false; error: ConfigIssue } {
  return { ok: false, error: { path, message } };
}

/** The layout of `value` as the parser read it; the first parse error when it does not parse. */
function layoutOf(value: unknown): { ok: true; layout: Layout } | { ok: false; error: ConfigIssue } {
  const parsed = parseRolloutConfig(value);
  if (!parsed.ok) return { ok: false, error: parsed.errors[0] ?? { path: '$', message: 'invalid config' } };
  const { flagKey } = parsed.config;
  const keys = isRecord(value) ? Object.keys(value) : [];
  // A single key naming the flag is the seed's wrapper (the parser read the config under it).
  const wrapped = isRecord(value) && keys.length === 1 && keys[0] === flagKey;
  const inner = wrapped ? value[flagKey] : value;
  if (!isRecord(inner)) return fail('$', 'the value is the off variation (null): it has no stages to edit');
  const body = structuredClone(inner);
  return {
    ok: true,
    layout: {
      config: parsed.config,
      body,
      stages: isRecord(body.stages) ? body.stages : body,
      wrap: (next) => (wrapped ? { [flagKey]: next } : next),
    },
  };
}

/** Parses the edited config back into the value's form. */
function finish(layout: Layout): ConfigEdit {
  const value = layout.wrap(layout.body);
  const parsed = parseRolloutConfig(value);
  if (parsed.ok) return { ok: true, value, config: parsed.config };
  return { ok: false, error: parsed.errors[0] ?? { path: '$', message: 'invalid config' } };
}

/** The stage names of a config value in the order written (either form); none when it does not parse. */
export function stageNames(value: unknown): string[] {
  const parsed = parseRolloutConfig(value);
  return parsed.ok ? parsed.config.stages.map((s) => s.name) : [];
}

/** The stage a config value names as active (`"stage"`), or null (none named, or it does not parse). */
export function explicitStage(value: unknown): string | null {
  const parsed = parseRolloutConfig(value);
  return parsed.ok ? (parsed.config.activeStage ?? null) : null;
}

/** The value with `stage` as its active stage, or with none (`null`: the `startsAt` schedule decides). */
export function withStage(value: unknown, stage: string | null): ConfigEdit {
  const found = layoutOf(value);
  if (!found.ok) return found;
  if (stage === null) delete found.layout.body.stage;
  else found.layout.body.stage = stage;
  return finish(found.layout);
}

/**
 * The value with the fields of stage `name` (`percentage`, `regions`, `components`, `startsAt`,
 * `monitorEvery`) set to those in `fields`, others kept.
 */
export function withStageFields(value: unknown, name: string, fields: Readonly<Json>): ConfigEdit {
  const found = layoutOf(value);
  if (!found.ok) return found;
  const { layout } = found;
  const stage = layout.config.stages.some((s) => s.name === name) ? layout.stages[name] : undefined;
  if (!isRecord(stage)) return fail('$', `stage "${name}" does not exist`);
  Object.assign(stage, structuredClone(fields));
  return finish(layout);
}

/** The value with `killed` as its list of killed families. */
export function withKilled(value: unknown, killed: readonly Family[]): ConfigEdit {
  const found = layoutOf(value);
  if (!found.ok) return found;
  found.layout.body.killed = [...killed];
  return finish(found.layout);
}

/**
 * A region rule as a stage's `regions` list is written: `["all"]`, `["AU", "NZ"]`, or one entry per
 * excluded code, `["all-except-US", "all-except-CA"]` (exclusions accumulate), so no entry holds a comma.
 */
export function regionsAsWritten(rule: RegionRule): string[] {
  if (rule.kind === 'all') return ['all'];
  if (rule.kind === 'only') return [...rule.codes];
  return rule.codes.map((code) => `all-except-${code}`);
}
