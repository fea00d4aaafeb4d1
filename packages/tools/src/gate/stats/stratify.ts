// Post-stratification by region: each group's mean is the average of its per-region means weighted by the
// region's share of all users in the comparison, w_h = N_h / N (both groups). Randomization already makes
// the plain difference unbiased; weighting by the realised region mix removes the part of its variance
// that comes from the groups' chance imbalance across regions whose baselines differ (Miratrix, Sekhon &
// Yu 2013, "Adjusting treatment effect estimates by post-stratification in randomized experiments").
//   mean_g = Σ_h w_h ȳ_{g,h}        var(mean_g) = Σ_h w_h² s²_{g,h} / n_{g,h}
// For a 0/1 metric s² is p~(1 - p~) with p~ = (x + 1) / (n + 2) (Agresti-Caffo), so a region with no
// errors yet does not claim zero variance; the pseudo-counts enter only the variance, never the mean
// (added to every region's mean they would push the smaller group up once per region).
import { type Moments, type Summary, summaryOfMoments } from './summary.js';

/** One region's per-user sufficient statistics in each group. */
export interface StratumMoments {
  stratum: string;
  control: Moments;
  treatment: Moments;
}

/** Each group's estimate as a Summary whose `variance / n` is the variance of the (weighted) mean. */
export interface GroupEstimates {
  control: Summary;
  treatment: Summary;
}

/** The stratified estimates and which regions were used, merged or dropped. */
export interface Stratified {
  groups: GroupEstimates;
  /** The strata the estimate used (after merging small ones). */
  strata: string[];
  /** Regions with too few users in a group, pooled into one residual stratum. */
  merged: string[];
  /** Regions left out because one group has nobody there (only for a historical control). */
  dropped: string[];
}

/** Fewer users than this in either group and a region is pooled with the other small ones. */
export const MIN_STRATUM_USERS = 10;

function add(a: Moments, b: Moments): Moments {
  return { n: a.n + b.n, sum: a.sum + b.sum, sumSquares: a.sumSquares + b.sumSquares };
}

function addStrata(list: readonly StratumMoments[], name: string): StratumMoments {
  let control: Moments = { n: 0, sum: 0, sumSquares: 0 };
  let treatment: Moments = { n: 0, sum: 0, sumSquares: 0 };
  for (const s of list) {
    control = add(control, s.control);
    treatment = add(treatment, s.treatment);
  }
  return { stratum: name, control, treatment };
}

const small = (s: StratumMoments) => s.control.n < MIN_STRATUM_USERS || s.treatment.n < MIN_STRATUM_USERS;

/** A group's variance of one per-user value in a stratum (binary: Agresti-Caffo, see the header). */
function unitVariance(m: Moments, binary: boolean): number {
  if (binary) {
    const p = (m.sum + 1) / (m.n + 2);
    return p * (1 - p);
  }
  return summaryOfMoments(m).variance;
}

function weighted(strata: readonly StratumMoments[], binary: boolean): GroupEstimates {
  let total = 0;
  for (const s of strata) total += s.control.n + s.treatment.n;
  const group = (pick: (s: StratumMoments) => Moments): Summary => {
    let n = 0;
    let mean = 0;
    let variance = 0;
    for (const s of strata) {
      const m = pick(s);
      if (m.n === 0) return { n: 0, mean: 0, variance: 0 };
      const w = (s.control.n + s.treatment.n) / total;
      n += m.n;
      mean += (w * m.sum) / m.n;
      variance += (w * w * unitVariance(m, binary)) / m.n;
    }
    return { n, mean, variance: variance * n };
  };
  return { control: group((s) => s.control), treatment: group((s) => s.treatment) };
}

/** Leaves out regions where one group has nobody (a historical control that did not cover them). */
function matched(strata: readonly StratumMoments[], unmatched: 'merge' | 'drop') {
  if (unmatched === 'merge') return { kept: [...strata], dropped: [] as string[] };
  const kept = strata.filter((s) => s.control.n > 0 && s.treatment.n > 0);
  const dropped = strata.filter((s) => !kept.includes(s) && s.control.n + s.treatment.n > 0);
  return { kept, dropped: dropped.map((s) => s.stratum) };
}

/**
 * Post-stratified group estimates. Regions with fewer than MIN_STRATUM_USERS users in a group are pooled
 * into one residual stratum; a residual that is still too small joins the largest region. `unmatched`:
 * 'merge' keeps every user (a concurrent control: every region has both groups in expectation), 'drop'
 * leaves out regions one group never covered (a historical control: there the difference is not an effect).
 */
export function stratify(
  strata: readonly StratumMoments[],
  binary: boolean,
  unmatched: 'merge' | 'drop',
): Stratified {
  const { kept, dropped } = matched(strata, unmatched);
  const large = kept.filter((s) => !small(s));
  const smallOnes = kept.filter((s) => small(s) && s.control.n + s.treatment.n > 0);
  let used: StratumMoments[] = [...large];
  let merged: string[] = [];
  if (smallOnes.length > 0) {
    merged = smallOnes.map((s) => s.stratum);
    const residual = addStrata(smallOnes, 'other');
    if (!small(residual) || used.length === 0) used.push(residual);
    else {
      // The residual joins the largest region (by users), which keeps its weight honest.
      let largest = 0;
      for (let i = 1; i < used.length; i++) {
        const size = (s: StratumMoments) => s.control.n + s.treatment.n;
        if (size(used[i]!) > size(used[largest]!)) largest = i;
      }
      const into = used[largest]!;
      used = used.map((s, i) => (i === largest ? addStrata([into, residual], `${into.stratum}+other`) : s));
    }
  }
  return { groups: weighted(used, binary), strata: used.map((s) => s.stratum), merged, dropped };
}

/** The same users without stratification (one stratum), for the variance comparison and the report. */
export function pooled(
  strata: readonly StratumMoments[],
  binary: boolean,
  unmatched: 'merge' | 'drop',
): GroupEstimates {
  return weighted([addStrata(matched(strata, unmatched).kept, 'all')], binary);
}
