// Where a server decision reads the flag value: the LaunchDarkly server SDK (the app's own client), the
// local flag server (`token-rollout serve`, over its LaunchDarkly client-side route), or a fixed value.
// Each answers with the rollout config and the per-family kill switches for one user.
import { FAMILIES, type Family, FLAG_KEY } from 'token-rollout/core';
import type { ServerUser } from './identity.js';

/** The flag value (the rollout config, raw JSON) and the kill switches `design-tokens-v2.<family>`. */
export interface ServerFlagValues {
  config: unknown;
  switches: Partial<Record<Family, boolean>>;
}

/** A flag source for the server: the values for one user (LaunchDarkly may target by context). */
export interface ServerFlags {
  values(user: ServerUser): Promise<ServerFlagValues>;
}

/** The LaunchDarkly context the browser SDK sends for the same user (kind user, key, region). */
export function contextOf(user: ServerUser): Record<string, unknown> {
  return { kind: 'user', key: user.key, ...(user.region ? { region: user.region } : {}) };
}

/** The config and switches out of a map of every flag's value. */
export function valuesFrom(all: Record<string, unknown>): ServerFlagValues {
  const switches: Partial<Record<Family, boolean>> = {};
  for (const family of FAMILIES) {
    const value = all[`${FLAG_KEY}.${family}`];
    if (typeof value === 'boolean') switches[family] = value;
  }
  return { config: all[FLAG_KEY] ?? null, switches };
}

/** What the server SDK client must offer (`@launchdarkly/node-server-sdk`'s LDClient has it). */
export interface LaunchDarklyServerClient {
  allFlagsState(
    context: Record<string, unknown>,
    options?: { clientSideOnly?: boolean },
  ): Promise<{ allValues(): Record<string, unknown> }>;
}

/** Flags from the app's LaunchDarkly server SDK client (initialised by the app). */
export function launchDarklyServerFlags(client: LaunchDarklyServerClient): ServerFlags {
  return {
    async values(user) {
      const state = await client.allFlagsState(contextOf(user), { clientSideOnly: true });
      return valuesFrom(state.allValues());
    },
  };
}

/** Options of `flagServerFlags`. */
export interface FlagServerFlagsOptions {
  /** The flag server's origin, e.g. `http://127.0.0.1:8030`. */
  url: string;
  /** The client-side ID the pages use (the local server answers any). */
  clientSideId: string;
  fetch?: typeof fetch;
}

/** Flags from the local flag server (`token-rollout serve`), by its LaunchDarkly polling route. */
export function flagServerFlags(options: FlagServerFlagsOptions): ServerFlags {
  const get = options.fetch ?? fetch;
  return {
    async values(user) {
      const context = Buffer.from(JSON.stringify(contextOf(user))).toString('base64url');
      const url = `${options.url.replace(/\/$/, '')}/sdk/evalx/${encodeURIComponent(options.clientSideId)}/contexts/${context}`;
      const response = await get(url);
      if (!response.ok) throw new Error(`flag server answered ${response.status} for ${url}`);
      const body = (await response.json()) as Record<string, { value?: unknown } | undefined>;
      const all: Record<string, unknown> = {};
      for (const [key, flag] of Object.entries(body)) all[key] = flag?.value;
      return valuesFrom(all);
    },
  };
}

/** A fixed flag value (tests, examples, a config file). */
export function staticServerFlags(config: unknown, switches: ServerFlagValues['switches'] = {}): ServerFlags {
  return { values: async () => ({ config, switches }) };
}
