// The smallest structural view of the two LaunchDarkly browser SDKs the app may already use, so this
// package imports neither at runtime (both are optional peer dependencies) and accepts either.

/** A LaunchDarkly context as the SDKs take it (single- or multi-kind, or a legacy user). */
export type LDContextLike = { kind?: string; key?: string; [attribute: string]: unknown };

/** What both majors share. Listener parameters differ by major, so they are read as unknown. */
export interface LDClientCommon {
  variation(key: string, defaultValue?: unknown): unknown;
  allFlags(): Record<string, unknown>;
  on(event: string, listener: (...args: unknown[]) => void): void;
  off(event: string, listener: (...args: unknown[]) => void): void;
  /** Typed `never` so that both SDKs' stricter context types fit; callers pass an LDContextLike. */
  identify(context: never): Promise<unknown>;
  track(key: string, data?: unknown, metricValue?: number): void;
  getContext(): unknown;
}

/** `launchdarkly-js-client-sdk` 3: starts on `initialize`, reports with `waitUntilReady` + `waitForInitialization`. */
export interface LDClientV3 extends LDClientCommon {
  waitUntilReady(): Promise<void>;
  waitForInitialization(timeoutSeconds?: number): Promise<void>;
  setStreaming?(streaming?: boolean): void;
}

/** `@launchdarkly/js-client-sdk` 4: starts on `start()`, which resolves with a status and never rejects. */
export interface LDClientV4 extends LDClientCommon {
  start(options?: unknown): Promise<{ status: string }>;
}

/** Either major. */
export type LDClientLike = LDClientV3 | LDClientV4;

/** Which SDK major a client is, by shape: only v4 has `start()`, only v3 has `waitUntilReady()`. */
export function sdkMajor(client: LDClientLike): 3 | 4 {
  return typeof (client as Partial<LDClientV4>).start === 'function' ? 4 : 3;
}

const REQUIRED = ['variation', 'allFlags', 'on', 'off', 'identify', 'track', 'getContext'] as const;

/** Throws a TypeError saying what is missing when `client` is not a LaunchDarkly browser client. */
export function checkClient(client: unknown): asserts client is LDClientLike {
  const where = 'createLaunchDarklyFlagSource({client})';
  if (typeof client !== 'object' || client === null) {
    throw new TypeError(
      `${where}: expected a LaunchDarkly client (launchdarkly-js-client-sdk 3 or @launchdarkly/js-client-sdk 4), got ${client === null ? 'null' : typeof client}`,
    );
  }
  const record = client as Record<string, unknown>;
  const missing = REQUIRED.filter((name) => typeof record[name] !== 'function');
  const startable = typeof record.start === 'function' || typeof record.waitUntilReady === 'function';
  if (missing.length > 0 || !startable) {
    const names = [...missing, ...(startable ? [] : ['start (v4) or waitUntilReady (v3)'])];
    throw new TypeError(
      `${where}: the client has no ${names.join(', ')}; is it a LaunchDarkly browser client?`,
    );
  }
}
