// Timing "from the call to the next painted frame".
//
// web-vitals measures INP with the Event Timing API, whose `duration` ends at the next paint after an
// input; a programmatic attribute change has no such entry. web-vitals' own fallback for "the next
// frame" (bfcache restores) is a double requestAnimationFrame, which overshoots by up to one frame.
// We use rAF + a MessageChannel message: the rAF callback runs just before the frame's style, layout
// and paint, and a task posted from it runs right after that rendering step, i.e. once the frame that
// contains the change was produced. That is the tightest main-thread observable "painted" point.

/** The subset of `window` this needs, injectable for tests. */
export interface PaintClock {
  requestAnimationFrame(callback: (time: number) => void): number;
  performance: { now(): number };
  MessageChannel?: typeof MessageChannel;
  setTimeout(callback: () => void, ms: number): unknown;
}

/** Resolves with `performance.now()` just after the next frame was rendered. */
export function afterNextPaint(clock: PaintClock): Promise<number> {
  return new Promise((resolve) => {
    clock.requestAnimationFrame(() => {
      const done = () => resolve(clock.performance.now());
      if (clock.MessageChannel) {
        const channel = new clock.MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          done();
        };
        channel.port2.postMessage(undefined);
      } else {
        // No MessageChannel (very old engines): a zero timeout also runs after the rendering step.
        clock.setTimeout(done, 0);
      }
    });
  });
}
