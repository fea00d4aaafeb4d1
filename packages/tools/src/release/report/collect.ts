// Gathers the report's inputs from a running server (`token-rollout serve` or `npm start`): the flag and
// release state and the audit trail (admin API), the P1 bugs (GET /bugs), the stage's events (the
// collector's export), the gate's report on them (evaluated here with the gate's own `evaluateGate`, or
// read from `token-rollout gate --json` output), and the token manifest. Every failure names the URL or file.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AuditEntry } from '../../audit/types.js';
import type { Bug } from '../../bugs/bug.js';
import type { ReleaseState } from '../../flag-server/release-desk.js';
import { evaluateGate, type GateOptions } from '../../gate/evaluate.js';
import { parseEventsNdjson } from '../../gate/events.js';
import type { ReportGate, ReportInputs, ReportManifest, ReportStage, SummaryEvent } from './inputs.js';
import { summarizeEvents } from './inputs.js';

/** What to report on and where to read it. */
export interface CollectOptions {
  server: string;
  stage?: string;
  since?: number;
  until?: number;
  adminToken?: string;
  collectorToken?: string;
  /** A file of `token-rollout gate --json` output (its last line is used) instead of evaluating here. */
  gateJson?: string;
  /** The token manifest (file or URL); default the server's /tokens/manifest.json, else dist/tokens/manifest.json. */
  manifest?: string;
  targetUsers?: number;
  minUsers?: number;
  now: number;
}

const WEEK = 7 * 86_400_000;

function client(fetcher: typeof fetch, base: string) {
  const url = (path: string) => `${base.replace(/\/+$/, '')}${path}`;
  return async (path: string, token: string | undefined, optional = false): Promise<Response | null> => {
    let response: Response;
    try {
      response = await fetcher(url(path), {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new Error(
        `GET ${url(path)} failed: ${(error as Error).message} (is the server running? --server URL)`,
      );
    }
    if (optional && (response.status === 404 || response.status === 405)) return null;
    if (!response.ok)
      throw new Error(`GET ${url(path)} failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
    return response;
  };
}

async function readManifest(
  source: string | undefined,
  server: string,
  fetcher: typeof fetch,
): Promise<ReportManifest | null> {
  const candidates = source
    ? [source]
    : [`${server.replace(/\/+$/, '')}/tokens/manifest.json`, resolve('dist/tokens/manifest.json')];
  for (const where of candidates) {
    try {
      const text = /^https?:\/\//.test(where)
        ? await fetcher(where, { signal: AbortSignal.timeout(10_000) }).then((r) =>
            r.ok ? r.text() : Promise.reject(new Error(String(r.status))),
          )
        : await readFile(where, 'utf8');
      const json = JSON.parse(text) as ReportManifest;
      if (!Array.isArray(json.files)) throw new Error('$.files must be an array');
      return json;
    } catch (error) {
      if (source) throw new Error(`--manifest ${source}: ${(error as Error).message}`);
    }
  }
  return null;
}

async function readGateJson(file: string): Promise<ReportGate> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1];
  let gate: ReportGate;
  try {
    gate = JSON.parse(last ?? '') as ReportGate;
  } catch (error) {
    throw new Error(`--gate-json ${file}: the last line is not JSON (${(error as Error).message})`);
  }
  if (!gate?.decision || !Array.isArray(gate.metrics)) {
    throw new Error(
      `--gate-json ${file}: expected the output of token-rollout gate --json ({decision, metrics, ...})`,
    );
  }
  return gate;
}

/** Reads everything the report needs; `fetcher` is the only network access. */
export async function collectReportInputs(
  options: CollectOptions,
  fetcher: typeof fetch,
): Promise<ReportInputs> {
  const get = client(fetcher, options.server);
  const state = (await (await get('/admin/state', options.adminToken))!.json()) as {
    on: boolean;
    activeStage: string | null;
    stages: ReportStage[];
    killed: string[];
  };
  const stage = options.stage ?? state.activeStage;
  if (!stage) throw new Error('no --stage given and the flag has no active stage: give --stage NAME');
  if (!state.stages.some((s) => s.name === stage)) {
    throw new Error(
      `--stage ${stage}: the flag has no such stage (stages: ${state.stages.map((s) => s.name).join(', ')})`,
    );
  }
  const exported = await get(`/events/export?stage=${encodeURIComponent(stage)}`, options.collectorToken);
  const { events } = parseEventsNdjson(await exported!.text(), `${options.server}/events/export`);
  const stageEvents = (events as SummaryEvent[]).filter((e) => e.stage === stage);
  const until = options.until ?? options.now;
  const first = stageEvents.reduce<number | null>(
    (min, e) => Math.min(min ?? Number.POSITIVE_INFINITY, e.receivedAt ?? e.ts),
    null,
  );
  const startsAt = state.stages.find((s) => s.name === stage)?.startsAt;
  const since = options.since ?? first ?? (startsAt ? Date.parse(startsAt) : until - WEEK);
  const period = `since=${encodeURIComponent(new Date(since).toISOString())}&until=${encodeURIComponent(new Date(until).toISOString())}`;
  const audit =
    (
      (await (await get(`/admin/audit?${period}`, options.adminToken, true))?.json()) as
        | { entries: AuditEntry[] }
        | undefined
    )?.entries ?? [];
  const release = (await (await get('/admin/release', options.adminToken, true))?.json()) as
    | ReleaseState
    | undefined;
  const bugList = (await (await get('/bugs', options.adminToken, true))?.json()) as
    | { now: number; bugs: Bug[] }
    | undefined;
  const bugs = (bugList?.bugs ?? []).filter((b) => b.reportedAt >= since && b.reportedAt < until);
  const manifest = await readManifest(options.manifest, options.server, fetcher);
  const inPeriod = stageEvents.filter(
    (e) => (e.receivedAt ?? e.ts) >= since && (e.receivedAt ?? e.ts) < until,
  );
  let gate: ReportGate | null = null;
  let gateError: string | undefined;
  try {
    if (options.gateJson) gate = await readGateJson(options.gateJson);
    else {
      const gateOptions: GateOptions = {
        stage,
        stageOrder: state.stages.map((s) => s.name),
        ...(bugList
          ? {
              p1: {
                kind: 'bug-service',
                url: `${options.server}/bugs`,
                bugs: bugList.bugs,
                now: bugList.now,
              },
            }
          : {}),
        ...(manifest
          ? {
              levels: {
                bundle: {
                  bytes: manifest.files.filter((f) => f.version === 'v2').reduce((n, f) => n + f.bytes, 0),
                  source: 'manifest',
                },
              },
            }
          : {}),
        ...(options.targetUsers ? { targetUsers: options.targetUsers } : {}),
        ...(options.minUsers ? { minUsersPerArm: options.minUsers } : {}),
      };
      gate = evaluateGate(inPeriod, gateOptions);
    }
  } catch (error) {
    gateError = (error as Error).message;
  }
  return {
    stage,
    since,
    until,
    generatedAt: options.now,
    source: options.server,
    flag: { on: state.on, activeStage: state.activeStage, stages: state.stages, killed: state.killed },
    release: release
      ? {
          freezes: release.calendar.freezes,
          approvalStages: release.calendar.approvals.stages,
          approvals: release.approvals,
        }
      : null,
    gate,
    ...(gateError ? { gateError } : {}),
    summary: summarizeEvents(inPeriod, stage, since, until),
    audit,
    bugs,
    manifest,
  };
}
