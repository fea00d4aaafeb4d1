// Which stage the gate judges: the flag's current stage, read from where the flag lives (the local flag
// server's admin state, or LaunchDarkly's flag), unless --stage names one. Never "the stage with the
// latest client timestamp": one future-dated week-1 event would make the gate judge week 1 while week 2
// is live. With no flag source and no --stage, the stage with the latest data by server time is used and
// the report says so.
import { activeStage, isRecord, parseRolloutConfig } from 'token-rollout/core';
import { type AdminTarget, readFlagServerState } from './admin.js';
import { getFlagRequest, type LaunchDarklyTarget, sendRequest } from './launchdarkly.js';
import type { StageSource } from './report.js';

/** The stage to judge and where it came from; `order` is the flag's stage list when it was read. */
export interface JudgedStage {
  stage: string | undefined;
  source: StageSource;
  order: string[] | null;
  /** Something the reader should know (the flag is off, the stage has no name). */
  note: string | null;
}

function record(value: unknown): Record<string, unknown> | null {
  return isRecord(value) ? value : null;
}

/** The current stage of the flag server at `target`. */
export async function stageFromFlagServer(target: AdminTarget, fetcher: typeof fetch): Promise<JudgedStage> {
  const state = await readFlagServerState(target, fetcher);
  return {
    stage: state.stage ?? undefined,
    source: { kind: 'flag-server', url: target.url },
    order: state.stages.map((s) => s.name),
    note:
      state.stage === null
        ? 'the flag server has no active stage'
        : state.on
          ? null
          : 'the flag is off (rolled back?)',
  };
}

/** The stage LaunchDarkly serves in the environment's fallthrough, at time `now` (scheduled stages). */
export async function stageFromLaunchDarkly(
  target: LaunchDarklyTarget,
  token: string,
  fetcher: typeof fetch,
  now: number,
): Promise<JudgedStage> {
  const flag = record(await sendRequest(getFlagRequest(target), token, fetcher));
  const env = record(record(flag?.environments)?.[target.environmentKey]);
  const served = record(env?.fallthrough)?.variation;
  const variations = Array.isArray(flag?.variations) ? flag.variations : [];
  const value = typeof served === 'number' ? record(variations[served])?.value : undefined;
  const source: StageSource = { kind: 'launchdarkly', environment: target.environmentKey };
  const parsed = parseRolloutConfig(value);
  if (!parsed.ok) {
    return {
      stage: undefined,
      source,
      order: null,
      note: `the ${target.environmentKey} fallthrough does not serve a valid rollout config`,
    };
  }
  const stage = activeStage(parsed.config, now);
  return {
    stage: stage?.name,
    source,
    order: parsed.config.stages.map((s) => s.name),
    note:
      stage === null
        ? 'LaunchDarkly serves no active stage'
        : env?.on === false
          ? 'the flag is off (rolled back?)'
          : null,
  };
}
