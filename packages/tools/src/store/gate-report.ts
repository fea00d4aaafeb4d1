// The gate's report from the store's statistics: what `evaluateTally` (gate/evaluate.ts) does around
// `aggregateStage`, with the aggregate computed in SQL. The decision itself is the gate's `decideStage`.
import { aggregateStage } from '../gate/aggregate.js';
import { decideStage, emptyStage, type GateOptions } from '../gate/evaluate.js';
import { GateInputError } from '../gate/events.js';
import { p1Summary } from '../gate/p1.js';
import type { GateReport, InputSummary, StageSource } from '../gate/report.js';
import { gateStatistics, type StoreGateStatistics } from './gate-statistics.js';
import type { EventStore } from './types.js';

/**
 * The gate's report from statistics the store computed for `options.stage` (or the stage they chose).
 * Throws a GateInputError where `evaluateGate` would: no data to judge, or a named stage without data.
 */
export function gateReportOf(
  stats: StoreGateStatistics,
  options: GateOptions = {},
  input: Partial<InputSummary> = {},
): GateReport {
  if (options.p1Bugs !== undefined && !(Number.isInteger(options.p1Bugs) && options.p1Bugs >= 0)) {
    throw new GateInputError(`p1Bugs must be a whole number >= 0, got ${options.p1Bugs}`);
  }
  const source: StageSource =
    options.stageSource ?? (options.stage !== undefined ? { kind: 'option' } : { kind: 'latest-data' });
  const context = { stagesInData: stats.stagesInData, input: { ...stats.input, ...input } };
  const p1 = p1Summary(
    options.p1Bugs !== undefined
      ? { kind: 'override', count: options.p1Bugs }
      : (options.p1 ?? { kind: 'not-checked', reason: 'no bug service given (--bugs URL)' }),
  );
  if (stats.stage === null || stats.aggregate === null) {
    if (p1.count >= 3) {
      return decideStage(aggregateStage(emptyStage('unknown')), { ...options, stageSource: source }, context);
    }
    throw new GateInputError(
      'no usable events in a stage: nothing to judge (were they recorded while a stage was active, with an assignment and a receive time?)',
    );
  }
  if (!stats.stagesInData.includes(stats.stage) && source.kind === 'option' && p1.count < 3) {
    const list = stats.stagesInData.length > 0 ? stats.stagesInData.join(', ') : 'none';
    throw new GateInputError(`stage "${stats.stage}" has no usable events; stages in the data: ${list}`);
  }
  return decideStage(stats.aggregate, { ...options, stageSource: source }, context);
}

/** Statistics in the store, then the decision: `evaluateGate` without raw events in Node. */
export async function storeGateReport(store: EventStore, options: GateOptions = {}): Promise<GateReport> {
  const stats = await gateStatistics(store, { stage: options.stage, stageOrder: options.stageOrder });
  return gateReportOf(stats, options);
}
