import { describe, expect, it } from 'vitest';
import { FAMILIES, type Family } from './families.js';
import { deriveArm, type FamilyState } from './state.js';

describe('state derivation', () => {
  it('derives the arm over the page families only', () => {
    const families = {} as Record<Family, FamilyState>;
    for (const family of FAMILIES) families[family] = { version: 'v1', reason: 'no-stage', loaded: false };
    families.buttons = { version: 'v2', reason: 'in-rollout', loaded: true };
    expect(deriveArm(families, ['buttons'])).toBe('v2');
    expect(deriveArm(families, ['buttons', 'forms'])).toBe('mixed');
    expect(deriveArm(families, ['forms'])).toBe('v1');
    expect(deriveArm(families, [])).toBe('v1');
  });
});
