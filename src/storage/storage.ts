// Storage is passed in (localStorage by default) so that tests and hostile browsers can replace it.

/** The subset of the Web Storage API the SDK uses. Any method may throw; callers must catch. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Storage keys, shared by the runtime and the boot snippet. */
export const STORAGE_KEYS = {
  /** The user's theme choice: 'light' | 'dark' | 'system'. */
  theme: 'token-rollout:theme',
  /** The last decision, for the boot snippet: see `BootCache`. */
  decision: 'token-rollout:decision',
  /** '1' when the user opted out. */
  optOut: 'token-rollout:opt-out',
  /** Local fallbacks: `{configVersion, families: {family: reason}}`. */
  fallback: 'token-rollout:fallback',
  /** '1' once the v2 notice was dismissed. */
  notice: 'token-rollout:notice',
  /** Cached flag snapshot. */
  flags: 'token-rollout:flags',
} as const;
