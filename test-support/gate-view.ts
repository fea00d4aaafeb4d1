// One comparison row as the gate's view reads it, for the dashboard's and the gate endpoint's tests.
import type { GateReportLike } from '../packages/tools/src/gate-api/view.js';

/** An error-rate comparison shown worse, with `overrides` applied. */
export const metric = (
  overrides: Partial<GateReportLike['metrics'][number]>,
): GateReportLike['metrics'][number] => ({
  metric: 'error-rate',
  label: 'users with a JS error',
  scale: 'absolute',
  worse: 'higher',
  v1: { n: 40 },
  v2: { n: 38 },
  estimate: 0.02,
  interval: { lower: 0.01, upper: 0.03 },
  trigger: 0.005,
  status: { kind: 'rollback', reason: 'shown worse' },
  ...overrides,
});
