import { describe, expect, it } from 'vitest';
import { allFamilies, deriveArm, sameFamilies } from './state.js';

describe('state derivation', () => {
  it('derives the arm over the page families only', () => {
    const families = allFamilies('no-stage');
    families.buttons = { version: 'v2', reason: 'in-rollout', loaded: true };
    expect(deriveArm(families, ['buttons'])).toBe('v2');
    expect(deriveArm(families, ['buttons', 'forms'])).toBe('mixed');
    expect(deriveArm(families, ['forms'])).toBe('v1');
    expect(deriveArm(families, [])).toBe('v1');
  });

  it('compares family maps by value', () => {
    const a = allFamilies('flag-off');
    const b = allFamilies('flag-off');
    expect(sameFamilies(a, b)).toBe(true);
    b.forms = { ...b.forms, error: 'HTTP 404' };
    expect(sameFamilies(a, b)).toBe(false);
  });
});
