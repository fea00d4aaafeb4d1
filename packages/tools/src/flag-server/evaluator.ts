// Evaluates flags per context with LaunchDarkly's own Node server SDK, offline: its TestData source is
// fed the flag definitions, no network, no events. The result is converted to the client-side evalx shape.
import { init, integrations, type LDContext, type LDLogger } from '@launchdarkly/node-server-sdk';
import type { FlagDefinition } from './definitions.js';

/** One flag in the client-side `evalx` format (what `/sdk/evalx` answers and `put`/`patch` events carry). */
export interface EvalxFlag {
  value: unknown;
  variation?: number;
  version: number;
  flagVersion: number;
  trackEvents?: boolean;
  trackReason?: boolean;
  reason?: unknown;
  debugEventsUntilDate?: number;
}

/** Flags by key in the evalx format. */
export type EvalxFlags = Record<string, EvalxFlag>;

/** The bootstrap shape `allFlagsState(...).toJSON()` returns: values at the top, metadata in `$flagsState`. */
interface FlagsStateJson {
  $flagsState?: Record<
    string,
    {
      variation?: number;
      version?: number;
      reason?: unknown;
      trackEvents?: boolean;
      trackReason?: boolean;
      debugEventsUntilDate?: number;
    }
  >;
  [key: string]: unknown;
}

/** Converts the SDK's bootstrap JSON into the evalx format the client SDKs poll and stream. */
export function bootstrapToEvalx(state: FlagsStateJson, withReasons: boolean): EvalxFlags {
  const out: EvalxFlags = {};
  for (const [key, meta] of Object.entries(state.$flagsState ?? {})) {
    const version = meta.version ?? 0;
    const flag: EvalxFlag = { value: state[key] ?? null, version, flagVersion: version };
    if (meta.variation !== undefined) flag.variation = meta.variation;
    if (meta.trackEvents) flag.trackEvents = true;
    if (meta.trackReason) flag.trackReason = true;
    if (meta.debugEventsUntilDate !== undefined) flag.debugEventsUntilDate = meta.debugEventsUntilDate;
    if (withReasons && meta.reason !== undefined) flag.reason = meta.reason;
    out[key] = flag;
  }
  return out;
}

/** An offline evaluator over a set of flags that can be replaced one flag at a time. */
export interface Evaluator {
  /** Every client-side flag evaluated for `context`, in the evalx format. */
  evaluate(context: LDContext, withReasons?: boolean): Promise<EvalxFlags>;
  /** Replaces (or adds) flags; later evaluations see them. */
  upsert(flags: readonly FlagDefinition[]): Promise<void>;
  close(): void;
}

const quiet: LDLogger = {
  error: (...args) => console.error('[flag-server]', ...args),
  warn: () => {},
  info: () => {},
  debug: () => {},
};

/** Starts the Node SDK offline with the given flags. */
export async function createEvaluator(flags: readonly FlagDefinition[], logger: LDLogger = quiet) {
  const td = new integrations.TestData();
  const put = (flag: FlagDefinition) =>
    // biome-ignore lint/correctness/useHookAtTopLevel: LaunchDarkly's TestData method, not a React hook.
    td.usePreconfiguredFlag(flag);
  for (const flag of flags) await put(flag);
  const client = init('sdk-local-flag-server', {
    updateProcessor: td.getFactory(),
    sendEvents: false,
    diagnosticOptOut: true,
    logger,
  });
  await client.waitForInitialization({ timeout: 10 });
  const evaluator: Evaluator = {
    async evaluate(context, withReasons = false) {
      const state = await client.allFlagsState(context, { clientSideOnly: true, withReasons });
      return bootstrapToEvalx(state.toJSON() as FlagsStateJson, withReasons);
    },
    async upsert(changed) {
      // TestData sets version = previous + 1; callers bump versions the same way, so both agree.
      for (const flag of changed) await put(flag);
    },
    close() {
      client.close();
    },
  };
  return evaluator;
}
