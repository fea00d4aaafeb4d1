// One check of `token-rollout gate`: read the events, the judged stage, the P1 bugs, the bundle size and
// the Lighthouse run (each again at every check, so --watch sees new bugs and a changed stage), then
// evaluate. Every effect comes in through `io`.
import { readFile } from 'node:fs/promises';
import { gateReportOf } from '../store/gate-report.js';
import { statisticsFrom } from '../store/gate-source.js';
import { readBugs } from './bug-source.js';
import type { CliOptions } from './cli-args.js';
import { evaluateGate, type GateOptions } from './evaluate.js';
import { GateInputError, type NdjsonEvents, parseEventsNdjson } from './events.js';
import { readLighthouse } from './lighthouse.js';
import { readBundleSize } from './manifest.js';
import type { GateReport } from './report.js';
import { type JudgedStage, stageFromFlagServer, stageFromLaunchDarkly } from './stage-source.js';

/** The effects a check uses. */
export interface CheckIo {
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  now: () => number;
}

async function loadEvents(source: Extract<CliOptions['source'], { kind: 'file' }>): Promise<NdjsonEvents> {
  let text: string;
  try {
    text = await readFile(source.path, 'utf8');
  } catch (error) {
    throw new GateInputError(
      `--events: cannot read ${source.path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseEventsNdjson(text, source.path);
}

/** The stage to judge: --stage, else the flag server's, else LaunchDarkly's (with a token), else none. */
async function judgedStage(options: CliOptions, io: CheckIo): Promise<JudgedStage | null> {
  if (options.gate.stage !== undefined) return null;
  if (options.admin) return stageFromFlagServer(options.admin, io.fetch);
  const token = io.env.LD_API_TOKEN;
  if (options.launchdarkly && token)
    return stageFromLaunchDarkly(options.launchdarkly, token, io.fetch, io.now());
  return null;
}

/** Runs one check and returns the report, with a note for anything the stage source said. */
export async function runCheck(options: CliOptions, io: CheckIo): Promise<GateReport> {
  const judged = await judgedStage(options, io);
  const gate: GateOptions = { ...options.gate };
  if (judged !== null) {
    if (judged.stage !== undefined) gate.stage = judged.stage;
    gate.stageSource = judged.source;
    if (judged.order) gate.stageOrder = judged.order;
  }
  if (gate.p1Bugs === undefined && options.bugs) gate.p1 = await readBugs(options.bugs, io.fetch);
  if (options.manifest || options.lighthouse) {
    const [bundle, lighthouse] = await Promise.all([
      options.manifest ? readBundleSize(options.manifest, io.fetch) : null,
      options.lighthouse ? readLighthouse(options.lighthouse) : null,
    ]);
    gate.levels = { bundle, lighthouse };
  }
  let report: GateReport;
  if (options.source.kind === 'file') {
    const input = await loadEvents(options.source);
    report = evaluateGate(input.events, gate, { badLines: input.badLines, badLineSamples: input.samples });
  } else {
    // The store (the collector's, or the one named) aggregates per user in SQL: only statistics come back.
    const request = { stage: gate.stage, stageOrder: gate.stageOrder };
    report = gateReportOf(await statisticsFrom(options.source, request, io.fetch), gate);
  }
  if (judged?.note) report.notes.unshift(`stage source: ${judged.note}`);
  if (judged !== null && judged.stage === undefined) {
    report.notes.unshift('stage source named no stage: the stage with the latest data was judged');
  }
  return report;
}
