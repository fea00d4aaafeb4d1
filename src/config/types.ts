// The typed rollout config: what `parseRolloutConfig` returns and `resolveAssignment` reads.
import type { Family } from '../families.js';

/** A region selector: an ISO 3166-1 alpha-2 code, everyone, or everyone except some codes. */
export type RegionRule =
  | { kind: 'all' }
  | { kind: 'only'; codes: readonly string[] }
  | { kind: 'all-except'; codes: readonly string[] };

/** One stage of the rollout (the seed's `week1` … `week4`). */
export interface Stage {
  /** The stage's key in the config, e.g. `week1`. */
  name: string;
  /** Share of eligible users on v2, 0..100. */
  percentage: number;
  regions: RegionRule;
  /** Families covered by the stage (a stage without `components` covers every family). */
  families: readonly Family[];
  /** When the stage becomes active on its own (ms since epoch), if scheduled. */
  startsAt?: number;
  /** Monitoring interval in minutes (the plan: 15, 30, 60; standard alerting = 1440). */
  monitorEveryMinutes?: number;
}

/** A valid rollout config. Stages keep the order they were written in. */
export interface RolloutConfig {
  flagKey: string;
  /** Hash salt; LaunchDarkly uses the flag's salt, which defaults to the flag key here. */
  salt: string;
  /** Changes whenever the config changes; local fallbacks persist until it does. */
  version: string;
  stages: readonly Stage[];
  /** Explicitly active stage, overriding `startsAt` schedules. */
  activeStage?: string;
  /** Families rolled back by a kill switch. */
  killed: readonly Family[];
  /** Families on the critical path (excluded by `"all-except-critical"`). */
  critical: readonly Family[];
  /** False when the flag is off (its off variation): everyone on v1. */
  enabled: boolean;
}

/** One problem found in a config, located by a JSON path such as `$["design-tokens-v2"].week1.percentage`. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** What `parseRolloutConfig` returns: a config, or every error found; warnings either way. It never throws. */
export type ParseResult =
  | { ok: true; config: RolloutConfig; warnings: readonly ConfigIssue[] }
  | { ok: false; errors: readonly ConfigIssue[]; warnings: readonly ConfigIssue[] };
