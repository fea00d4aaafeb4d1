// token-rollout-tools: the Node side of token-rollout (flag server, collector, gate, CLI). Browser apps never
// install it; it reads configs and events through the SDK's pure core, `token-rollout/core` (ARCHITECTURE.md).

export { FAMILIES, type Family, FLAG_KEY } from 'token-rollout/core';
export {
  type CommandSpec,
  HelpRequested,
  type OptionKind,
  type OptionSpec,
  type ParsedOptions,
  parseCommand,
  UsageError,
  usageOf,
  withUsage,
} from './args.js';
export { type GateEvidence, gateAuditFields, gateReason, launchDarklyAuditBody } from './audit/gate.js';
export { AUDIT_FILE, type AuditLog, openAuditLog } from './audit/log.js';
export type { AuditEntry, AuditKind, AuditMeta, AuditState, RollbackScope } from './audit/types.js';
export type { AggregateQuery, AggregateSummary, MetricRow } from './collector/aggregates.js';
export { deriveIngestKey } from './collector/auth.js';
export { collectorCli } from './collector/cli.js';
export { type Collector, type CollectorOptions, createCollector } from './collector/collector.js';
export {
  type CollectorServer,
  type CollectorServerOptions,
  startCollectorServer,
} from './collector/server.js';
export { defaultFlagsDir, resolveFlagsDir } from './default-flags.js';
export {
  createFlagService,
  type FlagServer,
  type FlagServerOptions,
  type FlagService,
  type FlagServiceOptions,
  type FlagState,
  loadFlagDefinitions,
  type StageState,
  serveFlagsCli,
  startFlagServer,
} from './flag-server/index.js';
export type { ReleaseState } from './flag-server/release-desk.js';
export { EXIT as GATE_EXIT, type GateIo, runGateCli } from './gate/cli.js';
export { decideStage, evaluateGate, GATE_DEFAULTS, type GateOptions } from './gate/evaluate.js';
export { GateInputError, parseEventsNdjson } from './gate/events.js';
export { formatReport as formatGateReport } from './gate/format.js';
export type { FamilyEvidence, GateDecision, GateReport, MetricEvidence } from './gate/report.js';
export { METRIC_RULES, monitorEveryOf, successGateOf } from './gate/thresholds.js';
export { createGateEndpoint, GATE_PATH, type GateSources, gateOptionsFrom } from './gate-api/endpoint.js';
export {
  emptyGateView,
  type GateComparison,
  type GateDecision as GateViewDecision,
  type GateReportLike,
  type GateView,
  gateViewOf,
} from './gate-api/view.js';
export { type AccessOptions, type AccessPolicy, createAccessPolicy, type Refusal } from './http/access.js';
export {
  checkExposure,
  startToolsServer,
  type ToolsServer,
  type ToolsServerOptions,
} from './http/compose.js';
export { isLoopback, localUrl } from './http/loopback.js';
export { type MemoryAsset, memoryAsset, sendJson, sendMemoryAsset } from './http/send.js';
export {
  type Handler,
  type HttpServer,
  type HttpServerOptions,
  type Mount,
  startHttpServer,
} from './http/server.js';
export { createStaticFiles, type StaticFilesOptions } from './http/static-files.js';
export { type FreezeWindow, parseCalendar, type ReleaseCalendar } from './release/calendar.js';
export { classifyChange } from './release/classify.js';
export { type MetricCheck, type RecoveryResult, verifyRecovery } from './release/recovery.js';
export { plainMetricComparison } from './release/recovery-metric.js';
export { renderReportHtml } from './release/report/html.js';
export type { ReportGate, ReportInputs } from './release/report/inputs.js';
export { renderReportMarkdown } from './release/report/markdown.js';
export { type AdvanceRefusal, checkAdvance } from './release/rules.js';
export type { RecoveryCheck, RecoveryEventSource } from './release/watcher.js';
export { portOptionSpec } from './server-options.js';
export {
  parseServicesArgs,
  SERVE_COMMAND,
  SERVICES_OPTIONS,
  type ServicesOptions,
  servicesComposition,
  servicesOptionsOf,
  startServices,
} from './services.js';
export * from './ssr/index.js';
export { gateReportOf, storeGateReport } from './store/gate-report.js';
export {
  gateStatistics,
  type StatisticsRequest,
  type StoreGateStatistics,
} from './store/gate-statistics.js';
export { openStore, parseStoreSpec, type StoreSpec } from './store/open.js';
export type { AppendResult, Engine, EventFilter, EventStore, StoredEvent } from './store/types.js';
