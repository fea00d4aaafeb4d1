import { describe, expect, it } from 'vitest';
import { afterNextPaint, type PaintClock } from './next-paint.js';

describe('afterNextPaint', () => {
  it('resolves in a task after the next animation frame, not in the frame callback', async () => {
    const order: string[] = [];
    let time = 0;
    let frame: ((t: number) => void) | undefined;
    const clock: PaintClock = {
      requestAnimationFrame: (cb) => {
        frame = cb;
        return 1;
      },
      performance: { now: () => time },
      MessageChannel,
      setTimeout: (cb, ms) => setTimeout(cb, ms),
    };
    const done = afterNextPaint(clock).then((t) => {
      order.push('resolved');
      return t;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]);
    time = 16;
    frame?.(16);
    order.push('frame');
    time = 18;
    expect(await done).toBe(18);
    expect(order).toEqual(['frame', 'resolved']);
  });

  it('falls back to a zero timeout without MessageChannel', async () => {
    const clock: PaintClock = {
      requestAnimationFrame: (cb) => {
        setTimeout(() => cb(0), 1);
        return 1;
      },
      performance: { now: () => 7 },
      setTimeout: (cb, ms) => setTimeout(cb, ms),
    };
    expect(await afterNextPaint(clock)).toBe(7);
  });
});
