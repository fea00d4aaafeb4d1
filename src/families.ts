/** The component families whose tokens roll out independently, in display order. */
export const FAMILIES = [
  'buttons',
  'cards',
  'forms',
  'tables',
  'navigation',
  'feedback',
  'overlays',
  'checkout',
] as const;

/** A component family: the unit of rollout, kill switch and token file. */
export type Family = (typeof FAMILIES)[number];

/** Families on the critical path by default; `"all-except-critical"` leaves them out. */
export const CRITICAL_FAMILIES: readonly Family[] = ['checkout'];

/** The flag key whose JSON value is the rollout config. */
export const FLAG_KEY = 'design-tokens-v2';

/** True when `name` is one of the known families. */
export function isFamily(name: unknown): name is Family {
  return typeof name === 'string' && (FAMILIES as readonly string[]).includes(name);
}
