import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../storage/safe.js';
import { DEFAULT_BUDGETS } from './budgets.js';
import { createGuard, type Trip } from './guard.js';
import { addSample, emptyHistory, GUARD_HISTORY_KEY, parseHistory } from './history.js';
import {
  addBaselineSample,
  baselineOf,
  MEMORY_BASELINE_KEY,
  parseBaselineSamples,
} from './memory-baseline.js';

function setup(storage = createMemoryStorage(), start = 1_000_000) {
  let time = start;
  const trips: Trip[] = [];
  const guard = createGuard({
    budgets: DEFAULT_BUDGETS,
    storage,
    now: () => time,
    onTrip: (t) => trips.push(t),
  });
  return {
    guard,
    trips,
    storage,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

describe('createGuard', () => {
  it('keeps FCP evidence across page loads, so a second slow load trips', () => {
    const storage = createMemoryStorage();
    const first = setup(storage);
    first.guard.setPage({ configVersion: 'c1', v2Families: ['buttons'] });
    first.guard.record('fcp', 2500);
    expect(first.trips).toEqual([]);
    const second = setup(storage, 1_060_000); // next load, a minute later
    second.guard.setPage({ configVersion: 'c1', v2Families: ['buttons'] });
    second.guard.record('fcp', 2300);
    expect(second.trips).toMatchObject([{ metric: 'fcp', scope: 'page' }]);
  });

  it('forgets evidence from another config version or older than the window', () => {
    const storage = createMemoryStorage();
    const a = setup(storage);
    a.guard.setPage({ configVersion: 'c1', v2Families: ['buttons'] });
    a.guard.record('fcp', 2500);
    const b = setup(storage, 1_000_100);
    b.guard.setPage({ configVersion: 'c2', v2Families: ['buttons'] });
    b.guard.record('fcp', 2500);
    expect(b.trips).toEqual([]);
    const c = setup(storage, 1_000_200 + DEFAULT_BUDGETS.windowMs);
    c.guard.setPage({ configVersion: 'c2', v2Families: ['buttons'] });
    c.guard.record('fcp', 2500);
    expect(c.trips).toEqual([]);
  });

  it('ignores samples on all-v1 pages and trips at most once', () => {
    const { guard, trips } = setup();
    guard.setPage({ configVersion: 'c1', v2Families: [] });
    for (let i = 0; i < 5; i++) guard.record('themeSwitch', 400);
    expect(trips).toEqual([]);
    guard.setPage({ configVersion: 'c1', v2Families: ['cards'] });
    for (let i = 0; i < 6; i++) guard.record('themeSwitch', 400);
    expect(trips).toHaveLength(1);
    expect(guard.tripped()?.metric).toBe('theme-switch');
  });

  it('counts uncaught errors on v2 towards the error budget', () => {
    const { guard, trips, advance } = setup();
    guard.setPage({ configVersion: 'c1', v2Families: ['cards'] });
    guard.recordError();
    advance(1000);
    guard.recordError();
    expect(trips).toEqual([]);
    guard.recordError();
    expect(trips).toMatchObject([{ metric: 'js-error', observed: 3 }]);
  });

  it('records a v1 memory baseline on v1 pages and trips on a sustained increase on v2', () => {
    const { guard, trips, storage } = setup();
    guard.setPage({ configVersion: 'c1', v2Families: [] });
    for (const mb of [100, 98, 102]) guard.recordMemory(mb * 1e6);
    expect(parseBaselineSamples(storage.getItem(MEMORY_BASELINE_KEY))).toEqual([100e6, 98e6, 102e6]);
    guard.setPage({ configVersion: 'c1', v2Families: ['forms'] });
    guard.recordMemory(140e6);
    guard.recordMemory(100e6);
    guard.recordMemory(140e6);
    expect(trips).toEqual([]);
    guard.recordMemory(130e6);
    guard.recordMemory(128e6);
    expect(trips).toMatchObject([{ metric: 'memory' }]);
  });

  it('survives garbage in storage: it starts from an empty window', () => {
    const storage = createMemoryStorage();
    storage.setItem(
      GUARD_HISTORY_KEY,
      '{"v":1,"configVersion":"c1","fcp":[{"t":"x","v":9999}],"errors":"lots"}',
    );
    storage.setItem(MEMORY_BASELINE_KEY, 'not json');
    const { guard, trips } = setup(storage);
    guard.setPage({ configVersion: 'c1', v2Families: ['buttons'] });
    guard.record('fcp', 2000);
    guard.recordMemory(1e9);
    expect(trips).toEqual([]);
  });
});

describe('history and baseline records', () => {
  it('keeps only the last samples a rule can look at', () => {
    let history = emptyHistory('c1');
    for (let i = 0; i < 20; i++) history = addSample(history, 'themeSwitch', i, 10 + i, 10);
    expect(history.themeSwitch.map((s) => s.v)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const raw = JSON.stringify(history);
    expect(parseHistory(raw, 'c1', 100, 1000).themeSwitch).toHaveLength(10);
    expect(parseHistory(raw, 'c1', 5000, 1000).themeSwitch).toEqual([]);
  });

  it('uses the median of the last v1 samples as the baseline', () => {
    let samples: number[] = [];
    for (const n of [100, 300, 110, 105]) samples = addBaselineSample(samples, n);
    expect(baselineOf(samples)).toBe(107.5);
    expect(baselineOf([])).toBeUndefined();
    for (let i = 0; i < 20; i++) samples = addBaselineSample(samples, 50);
    expect(samples).toHaveLength(9);
  });
});
