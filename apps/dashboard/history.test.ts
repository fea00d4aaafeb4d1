import { describe, expect, it } from 'vitest';
import { appendSample, emptyHistory } from './history.js';

describe('live chart history', () => {
  it('keeps one column per series, aligned with the sample times', () => {
    let h = emptyHistory();
    h = appendSample(h, 1_000, { 'sessions:v1': 3 });
    h = appendSample(h, 3_000, { 'sessions:v1': 5, 'sessions:v2': 1 });
    expect(h.x).toEqual([1, 3]);
    expect(h.series['sessions:v1']).toEqual([3, 5]);
    // A series that appears later is back-filled, so uPlot's columns stay aligned.
    expect(h.series['sessions:v2']).toEqual([null, 1]);
  });

  it('drops the oldest samples beyond the window', () => {
    let h = emptyHistory();
    for (let i = 0; i < 10; i++) h = appendSample(h, i * 1000, { a: i }, 4);
    expect(h.x).toEqual([6, 7, 8, 9]);
    expect(h.series.a).toEqual([6, 7, 8, 9]);
  });
});
