import { describe, expect, it } from 'vitest';
import { SEED_CONFIG_EXTENDED, SEED_FLAG } from '../../test-support/seed-config.js';
import { parseRolloutConfig } from './parse.js';
import { activeStage } from './stage.js';
import { withSwitches } from './switches.js';
import type { RolloutConfig } from './types.js';

function parsed(json: unknown): RolloutConfig {
  const result = parseRolloutConfig(json);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}
const at = (iso: string) => Date.parse(iso);

describe('activeStage', () => {
  const seed = parsed(SEED_CONFIG_EXTENDED);

  it("follows the plan's calendar: none before Feb 10, then week 1..4", () => {
    expect(activeStage(seed, at('2026-02-09T23:59:59Z'))).toBeNull();
    expect(activeStage(seed, at('2026-02-10T00:00:00Z'))?.name).toBe('week1');
    expect(activeStage(seed, at('2026-02-16T23:59:59Z'))?.name).toBe('week1');
    expect(activeStage(seed, at('2026-02-17T00:00:00Z'))?.name).toBe('week2');
    expect(activeStage(seed, at('2026-02-28T12:00:00Z'))?.name).toBe('week3');
    expect(activeStage(seed, at('2026-03-03T00:00:00Z'))?.name).toBe('week4');
    expect(activeStage(seed, at('2027-01-01T00:00:00Z'))?.name).toBe('week4');
  });

  it('lets an explicit stage override the calendar (e.g. holding at week 2, or rolling back to it)', () => {
    const held = parsed({ ...SEED_CONFIG_EXTENDED['design-tokens-v2'], stage: 'week2' });
    expect(activeStage(held, at('2026-03-10T00:00:00Z'))?.name).toBe('week2');
    expect(activeStage(held, at('2020-01-01T00:00:00Z'))?.name).toBe('week2');
  });

  it('picks the latest started stage even when stages are written out of order', () => {
    const config = parsed({
      b: { percentage: 50, startsAt: '2026-03-01' },
      a: { percentage: 10, startsAt: '2026-02-01' },
    });
    expect(activeStage(config, at('2026-02-15'))?.name).toBe('a');
    expect(activeStage(config, at('2026-03-15'))?.name).toBe('b');
  });

  it('has no stage for the seed verbatim (no dates) until one is named, and none when the flag is off', () => {
    expect(activeStage(parsed(SEED_FLAG), at('2026-03-10'))).toBeNull();
    expect(activeStage(parsed({ ...SEED_FLAG['design-tokens-v2'], stage: 'week3' }), 0)?.name).toBe('week3');
    expect(
      activeStage(parsed({ ...SEED_CONFIG_EXTENDED['design-tokens-v2'], enabled: false }), at('2026-03-10')),
    ).toBeNull();
  });
});

describe('withSwitches', () => {
  const seed = parsed(SEED_CONFIG_EXTENDED);

  it('adds families whose switch is false to killed, keeping the version', () => {
    const next = withSwitches(seed, { forms: false, buttons: true, cards: false });
    expect(next.killed).toEqual(['cards', 'forms']);
    expect(next.version).toBe(seed.version);
    expect(seed.killed).toEqual([]);
  });

  it('returns the same object when nothing changes', () => {
    expect(withSwitches(seed, {})).toBe(seed);
    expect(withSwitches(seed, { buttons: true })).toBe(seed);
    const killed = withSwitches(seed, { forms: false });
    expect(withSwitches(killed, { forms: false })).toBe(killed);
  });
});
