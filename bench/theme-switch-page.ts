// Runs inside the gallery page (bundled by theme-switch.bench.ts as an IIFE, global `__themeBench`):
// the theme-switch mechanisms the benchmark compares, and a sampler that times one switch from the
// call until the new theme is fully painted.
//
// "Fully painted" is the end of the first rendered frame at which (a) the mechanism's own promise has
// settled (a view transition's `finished`: its pseudo-elements are gone and the live page shows) and
// (b) no animation is left running (the components' `transition: background-color` on every button).
// A frame loop checks both from the second frame on in each frame's requestAnimationFrame callback,
// where the frame's animation time is fixed and already applied (HTML "update the rendering":
// animations are updated before rAF callbacks), so the state it sees is the state that frame paints;
// after the first frame it checks once that frame is rendered (transitions just started are all still
// running then). A MessageChannel task posted from the rAF callback runs once the frame's style,
// layout and paint are done (src/theme/next-paint.ts), and its time is the sample. The first frame's
// time is kept too: "call to next paint", what `setTheme` reports today. A view transition's
// `finished` may settle during the frame that already paints without it: then the sample is one frame
// late, never early.

/** How a theme switch is made. */
export type Mechanism =
  /** v2 today: `data-theme` on <html> (through the gallery's `setTheme`). */
  | 'attribute'
  /** next-themes' `disableTransitionOnChange`: `*{transition:none!important}`, switch, forced restyle, removal next frame. */
  | 'suppress-transitions'
  /** The same rule, no forced restyle: the frame computes the new theme once, the rule goes after that frame is painted. */
  | 'suppress-until-painted'
  /** `document.startViewTransition(() => switch)`: a cross-fade of snapshots, animated by the compositor. */
  | 'view-transition'
  /** `data-theme` on a page whose tokens use light-dark() and whose dark theme is only `color-scheme: dark`. */
  | 'light-dark'
  /** `data-theme`, then the transitions that switch started are finished at once (`Animation.finish()`). */
  | 'finish-transitions'
  /** v1 today: the legacy `theme--<name>` class (through the gallery's `setTheme` on a v1 page). */
  | 'legacy-class'
  /** A change to <html> that no rule reads: the harness's own cost and the wait for a frame. */
  | 'noop';

export type Theme = 'light' | 'dark';

/** One switch, in ms from the call. */
export interface Sample {
  /** Until the next frame was rendered (what `setTheme` resolves with today). */
  firstFrameMs: number;
  /** Until the frame that paints the new theme in full (no transition or view transition left). */
  fullyPaintedMs: number;
  /** Frames rendered until then. */
  frames: number;
  /** Most animations seen running in one frame (CSS transitions started by the switch, view-transition pseudos). */
  animations: number;
}

interface GalleryWindow {
  gallery: { setTheme(theme: Theme): void };
}

export const SUPPRESS_TRANSITIONS_CSS =
  '*,*::before,*::after{-webkit-transition:none!important;transition:none!important}';

/** Runs `task` once the next frame was rendered (rAF, then a task posted from it: src/theme/next-paint.ts). */
function afterNextFrame(task: () => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      task();
    };
    channel.port2.postMessage(undefined);
  });
}

const gallerySetTheme = (theme: Theme) => (window as unknown as GalleryWindow).gallery.setTheme(theme);

/**
 * Switches to `theme` by `mechanism`; resolves when the mechanism's own work is over. `later` schedules
 * what the mechanism leaves for the next frame (suppression's removal); `forcedWork` runs it at once.
 */
export function switchTheme(
  mechanism: Mechanism,
  theme: Theme,
  later: (task: () => void) => void = (task) => requestAnimationFrame(task),
  afterPaint: (task: () => void) => void = afterNextFrame,
): Promise<void> {
  const root = document.documentElement;
  switch (mechanism) {
    case 'attribute':
    case 'light-dark':
    case 'legacy-class':
      gallerySetTheme(theme);
      return Promise.resolve();
    case 'noop':
      root.dataset.benchNoop = theme;
      return Promise.resolve();
    case 'suppress-transitions': {
      // As next-themes does it, with the restyle actually forced: `getComputedStyle()` alone computes
      // nothing in Blink until a property is read.
      const style = document.createElement('style');
      style.textContent = SUPPRESS_TRANSITIONS_CSS;
      document.head.append(style);
      gallerySetTheme(theme);
      void getComputedStyle(document.body).backgroundColor;
      // Removed before the next frame renders: that frame restyles again (the rule leaves every element),
      // but the colours are already the new ones, so no transition starts.
      later(() => style.remove());
      return Promise.resolve();
    }
    case 'suppress-until-painted': {
      // One restyle before the paint (the frame's own, with transitions off), not two: the rule leaves
      // only once that frame was rendered. Its removal restyles again in the next frame, but the colours
      // are the new ones by then, so no transition starts, and the new theme is already on screen.
      const style = document.createElement('style');
      style.textContent = SUPPRESS_TRANSITIONS_CSS;
      document.head.append(style);
      gallerySetTheme(theme);
      afterPaint(() => style.remove());
      return Promise.resolve();
    }
    case 'finish-transitions': {
      // Transitions already running (the app's own: a hover, an opening panel) are left alone; only the
      // ones this switch starts jump to their end. `getAnimations()` computes the new styles now (one
      // restyle, transitions created), and the frame then restyles only the finished elements.
      const before = new Set(document.getAnimations());
      gallerySetTheme(theme);
      for (const a of document.getAnimations()) {
        if (!before.has(a) && a instanceof CSSTransition) a.finish();
      }
      return Promise.resolve();
    }
    case 'view-transition': {
      if (typeof document.startViewTransition !== 'function') {
        gallerySetTheme(theme);
        return Promise.resolve();
      }
      return document.startViewTransition(() => gallerySetTheme(theme)).finished;
    }
  }
}

const isRunning = (a: Animation) => a.playState === 'running' || a.pending;

/**
 * Switches to `theme` by `mechanism` and times it (see the file comment). `mark` names a User Timing
 * mark made at the call, so a trace can find the switch.
 *
 * The harness must not add work of its own: `getAnimations()` flushes style, so it is called only after
 * a frame was rendered (style is clean then, the call costs nothing); the animations it returns are kept,
 * and each later frame's rAF callback reads their `playState` (for a running CSS transition that restyles
 * only what the frame would restyle anyway). After the first frame the post-render check decides: new
 * transitions are all still running then, so nothing can be taken for finished early.
 */
export function timedSwitch(mechanism: Mechanism, theme: Theme, mark: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    performance.mark(mark);
    let own = false;
    let firstFrameMs: number | undefined;
    let frames = 0;
    let animations = 0;
    const tracked = new Set<Animation>();
    switchTheme(mechanism, theme).then(
      () => {
        own = true;
      },
      (error: unknown) => reject(error),
    );
    const frame = () => {
      frames++;
      // From the second frame on: decided here, with this frame's animation time.
      let settledAtRaf = false;
      if (frames > 1) {
        let stillRunning = 0;
        for (const a of tracked) if (isRunning(a)) stillRunning++;
        settledAtRaf = own && stillRunning === 0;
      }
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        const elapsed = performance.now() - start;
        firstFrameMs ??= elapsed;
        // Style is clean after the frame: collect what runs now (transitions this frame started).
        let fresh = 0;
        let runningNow = 0;
        for (const a of document.getAnimations()) {
          if (!isRunning(a)) continue;
          runningNow++;
          if (!tracked.has(a)) {
            tracked.add(a);
            fresh++;
          }
        }
        animations = Math.max(animations, runningNow);
        const settled = frames === 1 ? own && runningNow === 0 : settledAtRaf && fresh === 0;
        if (settled) resolve({ firstFrameMs, fullyPaintedMs: elapsed, frames, animations });
        else requestAnimationFrame(frame);
      };
      channel.port2.postMessage(undefined);
    };
    requestAnimationFrame(frame);
  });
}

/** A mechanism under a name (one mechanism may be compared on several pages). */
export interface Candidate {
  key: string;
  mechanism: Mechanism;
}

/** One timed switch: which candidate, its User Timing mark, and the sample. */
export interface Timed {
  key: string;
  mark: string;
  sample: Sample;
}

let seq = 0;

/**
 * `rounds` rounds of one switch per candidate, the order rotated each round, so that machine noise hits
 * every candidate alike. Each switch goes to the other theme; the next call waits `gapMs` after the
 * switch was fully painted and at least `spacingMs` after the previous call. Marks are
 * `<markPrefix>:<key>:<n>`.
 */
export async function interleavedSwitches(
  candidates: readonly Candidate[],
  rounds: number,
  markPrefix: string,
  spacingMs = 0,
  gapMs = 40,
): Promise<Timed[]> {
  const root = document.documentElement;
  const out: Timed[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < candidates.length; k++) {
      const { key, mechanism } = candidates[(k + r) % candidates.length] as Candidate;
      const dark =
        mechanism === 'noop'
          ? root.dataset.benchNoop === 'dark'
          : root.matches('[data-theme="dark"], .theme--dark');
      const mark = `${markPrefix}:${key}:${seq++}`;
      const start = performance.now();
      out.push({ key, mark, sample: await timedSwitch(mechanism, dark ? 'light' : 'dark', mark) });
      await new Promise((resolve) => setTimeout(resolve, gapMs));
      const wait = spacingMs - (performance.now() - start);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  return out;
}

/**
 * Main-thread ms of each switch's own work without the frame: `mechanism` switches (suppression's
 * removal runs at once instead of in the next frame), then style and layout are forced (`offsetHeight`).
 * Paint is left out and so is any wait for a frame, so this compares what each mechanism costs the main
 * thread with little of the noise of frame timing. Candidates alternate switch by switch; between two
 * switches the page settles (no animation running) and idles `gapMs`. Not for `view-transition` (its
 * update runs after a captured frame).
 */
export async function forcedWork(
  candidates: readonly Candidate[],
  rounds: number,
  gapMs = 30,
): Promise<Array<{ key: string; ms: number }>> {
  const root = document.documentElement;
  const out: Array<{ key: string; ms: number }> = [];
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < candidates.length; k++) {
      const { key, mechanism } = candidates[(k + r) % candidates.length] as Candidate;
      const dark = root.matches('[data-theme="dark"], .theme--dark');
      const start = performance.now();
      // Work left for later runs at once, after style is computed (as a frame would have done it).
      const now = (task: () => void) => {
        void getComputedStyle(document.body).backgroundColor;
        task();
      };
      void switchTheme(mechanism, dark ? 'light' : 'dark', now, now);
      void document.body.offsetHeight;
      out.push({ key, ms: performance.now() - start });
      await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)));
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  }
  return out;
}

/** Resolves after `n` rendered frames (lets a page that was just brought to the front repaint first). */
export async function waitFrames(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
}

/** Switches to `theme` and waits until it is fully painted (for screenshots). */
export async function settleTo(mechanism: Mechanism, theme: Theme): Promise<Sample> {
  const sample = await timedSwitch(mechanism, theme, `settle:${mechanism}:${theme}`);
  await new Promise((r) => setTimeout(r, 50));
  return sample;
}
