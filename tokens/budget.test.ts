import { describe, expect, it } from 'vitest';
import { checkBudget, V2_BUDGET } from './budget.js';

describe('v2 size budget', () => {
  it('passes a set within the goal and says so', () => {
    const verdict = checkBudget({ 'core.css': 13_000, 'buttons.css': 2_300, 'cards.css': 1_300 });
    expect(verdict).toMatchObject({ status: 'ok', totalBytes: 16_600 });
    expect(verdict.message).toContain('within the 27000-byte goal');
  });

  it('is still ok but reports being over the goal between 27,000 and 30,000 bytes', () => {
    const verdict = checkBudget({ 'core.css': 20_000, 'forms.css': 8_000 });
    expect(verdict.status).toBe('ok');
    expect(verdict.message).toContain('over the 27000-byte goal');
  });

  it('warns over 30,000 bytes and names the largest files', () => {
    const verdict = checkBudget({ 'core.css': 25_000, 'forms.css': 5_001 });
    expect(verdict.status).toBe('warn');
    expect(verdict.message).toBe(
      'v2 token CSS is 30001 bytes, over the 30000-byte target (largest: core.css 25000 B, forms.css 5001 B)',
    );
  });

  it('fails over 40,000 bytes (the rollback trigger), exactly at the limit is allowed', () => {
    expect(checkBudget({ 'core.css': 40_000 }).status).toBe('warn');
    const verdict = checkBudget({ 'core.css': 30_000, 'a.css': 6_000, 'b.css': 4_001, 'c.css': 1 });
    expect(verdict.status).toBe('error');
    expect(verdict.message).toContain('40002 bytes, over the 40000-byte rollback limit');
    expect(verdict.message).toContain('core.css 30000 B, a.css 6000 B, b.css 4001 B');
    expect(verdict.message).not.toContain('c.css');
  });

  it('takes other limits', () => {
    expect(checkBudget({ a: 11 }, { ...V2_BUDGET, errorBytes: 10 }).status).toBe('error');
  });
});
