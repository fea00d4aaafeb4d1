// One quantile for every benchmark, so "p95" means the same in every table as in the product: the core's
// linear interpolation between the closest ranks (R-7, numpy's and Excel's default).
export { quantile } from '../src/quantile.js';
