// token-rollout/node: the Node side (flag server, collector, gate, dev server). Never imported by browser entries.

export { EXIT as GATE_EXIT, type GateIo, runGateCli } from '../gate/cli.js';
export { decideStage, evaluateGate, GATE_DEFAULTS, type GateOptions } from '../gate/evaluate.js';
export { GateInputError, parseEventsNdjson } from '../gate/events.js';
export { formatReport as formatGateReport } from '../gate/format.js';
export type { FamilyEvidence, GateDecision, GateReport, MetricEvidence } from '../gate/report.js';
export { METRIC_RULES, monitorEveryOf, successGateOf } from '../gate/thresholds.js';
export { FAMILIES, type Family, FLAG_KEY } from '../src/families.js';
export { SEED_CONFIG_EXTENDED, SEED_FLAG, SEED_STAGE_DATES } from '../src/fixtures/seed-config.js';
export type {
  AggregateQuery,
  AggregateSummary,
  UserSummary,
} from './collector/aggregates.js';
export { deriveIngestKey } from './collector/auth.js';
export { collectorCli } from './collector/cli.js';
export { type Collector, type CollectorOptions, createCollector } from './collector/collector.js';
export {
  type CollectorServer,
  type CollectorServerOptions,
  startCollectorServer,
} from './collector/server.js';
export {
  createFlagService,
  type FlagServer,
  type FlagServerOptions,
  type FlagService,
  type FlagServiceOptions,
  type FlagState,
  loadFlagDefinitions,
  serveFlagsCli,
  startFlagServer,
} from './flag-server/index.js';
export { parseServicesArgs, type ServicesOptions, startServices } from './services.js';
