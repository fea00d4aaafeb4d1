// Sample ratio mismatch (SRM): are the stage's groups the sizes its percentage says they should be? When
// they are not, users were lost unevenly between the groups (v2 pages failing before they report, slower
// pages left before monitoring loads, a bot hitting one group), and every comparison is biased in a way
// the data cannot show. GrowthBook and LaunchDarkly both flag it before anything else.
//
// The expected share needs no config history: a user is treated exactly when their bucket is below the
// percentage, so the percentage lies between the treatment group's highest bucket and the control group's
// lowest, [lower, upper]; the share of treated users among the eligible ones must be some p in there.
//
// The test is anytime-valid, like the gate's confidence sequences (checked every 15 minutes without
// inflating false alarms): Lindon & Malek (2020), "Anytime-valid inference for multinomial count data"
// (the sequential SRM test), with two cells. For a null share p0 and a Beta(k p0, k (1 - p0)) mixture over
// the alternatives, the Bayes factor
//   BF(p0) = B(k p0 + t, k (1 - p0) + c) / B(k p0, k (1 - p0)) / (p0^t (1 - p0)^c)
// is a nonnegative martingale with mean 1 under p0, so by Ville's inequality it ever reaches 1 / alpha
// with probability at most alpha. The null here is the interval, and the true percentage is in it at
// every look (the bounds only close in on it), so BF = min over p0 in [lower, upper] of BF(p0) is never
// above BF(true p0): the same guarantee holds. A mismatch holds the stage; it never rolls back by itself.

/** The mixture's concentration: a prior standard deviation of about p0 / 10 around a 50 % share. */
export const SRM_CONCENTRATION = 100;
/** The default false-alarm level of the check over a whole stage (GrowthBook's SRM threshold). */
export const SRM_ALPHA = 0.001;

/** The group sizes and bucket bounds the check reads. */
export interface SampleRatioInput {
  treatment: number;
  control: number;
  /** The treatment group's highest bucket (null without treated users). */
  treatmentMaxBucket: number | null;
  /** The control group's lowest bucket (null without control users). */
  controlMinBucket: number | null;
}

/** What the check says. */
export type SampleRatio =
  | { kind: 'not-checked'; reason: string }
  | {
      kind: 'checked';
      /** The treated share the percentage allows: between these bucket bounds. */
      expected: { lower: number; upper: number };
      /** The treated share observed. */
      observed: number;
      treatment: number;
      control: number;
      /** The smallest Bayes factor over the expected interval (evidence of a mismatch). */
      bayesFactor: number;
      /** 1 / alpha: a Bayes factor at or above it is a mismatch. */
      threshold: number;
      mismatch: boolean;
      reason: string;
    };

// ln Γ(x) for x > 0: Lanczos (g = 7, n = 9), about 15 significant digits.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x), x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);

/** ln BF(p0) for `t` treated and `c` control users (see the file header). */
export function logBayesFactor(t: number, c: number, p0: number, k = SRM_CONCENTRATION): number {
  const a = k * p0;
  const b = k * (1 - p0);
  return logBeta(a + t, b + c) - logBeta(a, b) - t * Math.log(p0) - c * Math.log(1 - p0);
}

/** The smallest of f over [lo, hi]: golden-section search (f is smooth), and the ends and `guess` checked. */
function minimumOver(f: (x: number) => number, lo: number, hi: number, guess: number): number {
  let best = Math.min(f(lo), f(hi), f(guess));
  const r = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let x1 = b - r * (b - a);
  let x2 = a + r * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < 60 && b - a > 1e-12; i++) {
    if (f1 < f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - r * (b - a);
      f1 = f(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + r * (b - a);
      f2 = f(x2);
    }
  }
  best = Math.min(best, f1, f2);
  return best;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
/** Keeps a share off 0 and 1, where the mixture has no mass. */
const inside = (p: number) => Math.min(1 - 1e-9, Math.max(1e-9, p));

/**
 * Checks the stage's treated share against the shares its bucket bounds allow; `alpha` is the false-alarm
 * level over all looks at the stage.
 */
export function sampleRatio(input: SampleRatioInput, alpha = SRM_ALPHA): SampleRatio {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`the SRM alpha must be in (0, 1), got ${alpha}`);
  const { treatment: t, control: c, treatmentMaxBucket: high, controlMinBucket: low } = input;
  if (t === 0 || c === 0 || high === null || low === null) {
    return { kind: 'not-checked', reason: 'needs users in both groups of the stage' };
  }
  if (high >= low) {
    return {
      kind: 'not-checked',
      reason: `the percentage changed within the stage (treated buckets reach ${high.toFixed(4)}, control buckets start at ${low.toFixed(4)})`,
    };
  }
  const lower = inside(high);
  const upper = inside(low);
  const observed = t / (t + c);
  const guess = Math.min(upper, Math.max(lower, observed));
  const logBf = minimumOver((p) => logBayesFactor(t, c, p), lower, upper, guess);
  const bayesFactor = Math.exp(logBf);
  const threshold = 1 / alpha;
  const mismatch = logBf >= Math.log(threshold);
  const expectedText = upper - lower < 0.0001 ? pct((lower + upper) / 2) : `${pct(lower)} to ${pct(upper)}`;
  const shown = bayesFactor >= 1e6 ? bayesFactor.toExponential(1) : bayesFactor.toPrecision(3);
  const reason = mismatch
    ? `sample ratio mismatch: ${t} treated of ${t + c} eligible users (${pct(observed)}) where the percentage gives ${expectedText}; users were lost unevenly between the groups, so every comparison is suspect (Bayes factor ${shown} ≥ ${threshold})`
    : `treated share ${pct(observed)} (${t} of ${t + c}), percentage ${expectedText}: no mismatch shown (Bayes factor ${shown} < ${threshold})`;
  return {
    kind: 'checked',
    expected: { lower, upper },
    observed,
    treatment: t,
    control: c,
    bayesFactor,
    threshold,
    mismatch,
    reason,
  };
}
