// `token-rollout approve` (record an approval to enter a stage) and `token-rollout report` (write the
// weekly status report, HTML and Markdown), both against a running server.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CommandSpec, type OptionSpec, parseCommand } from '../args.js';
import { instantOption, type ReleaseIo, reach, serverOption } from '../audit/cli.js';
import { adminTokenOption, collectorTokenOption } from '../server-options.js';
import { collectReportInputs } from './report/collect.js';
import { renderReportHtml } from './report/html.js';
import { renderReportMarkdown } from './report/markdown.js';
import { renderPostMortem } from './report/postmortem.js';

/** The `approve` command's options. */
export const APPROVE_COMMAND = {
  name: 'token-rollout approve',
  summary: 'Records an approval to enter (or widen) a stage, in the audit trail; a later rollback voids it.',
  options: {
    stage: { kind: 'string', value: 'NAME', help: 'the stage approved, e.g. week3 (required)' },
    by: { kind: 'string', value: 'NAME', help: 'who approves (required; the calendar may list approvers)' },
    reason: { kind: 'string', value: 'TEXT', help: 'why, for the audit trail' },
    server: serverOption,
    'admin-token': adminTokenOption,
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** The `report` command's options. */
export const REPORT_COMMAND = {
  name: 'token-rollout report',
  summary:
    'Writes the weekly status report of a stage: one self-contained HTML file and its Markdown version.',
  options: {
    stage: { kind: 'string', value: 'NAME', help: 'the stage reported on (default: the active stage)' },
    since: { kind: 'string', value: 'ISO', help: "start of the period (default: the stage's first event)" },
    until: { kind: 'string', value: 'ISO', help: 'end of the period (default: now)' },
    out: { kind: 'string', value: 'DIR', help: 'where to write the files', default: 'reports' },
    server: serverOption,
    'admin-token': adminTokenOption,
    'collector-token': collectorTokenOption,
    'gate-json': {
      kind: 'string',
      value: 'FILE',
      help: 'token-rollout gate --json output to use instead of evaluating here',
    },
    manifest: {
      kind: 'string',
      value: 'FILE|URL',
      help: "the token manifest (default: the server's /tokens/manifest.json, else dist/tokens)",
    },
    'target-users': {
      kind: 'integer',
      value: 'N',
      help: "the gate's --target-users",
      min: 1,
      max: 100_000_000,
    },
    'min-users': { kind: 'integer', value: 'N', help: "the gate's --min-users", min: 0, max: 100_000_000 },
    postmortem: { kind: 'flag', help: 'also draft the incident post-mortem (Markdown) from the audit trail' },
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** Runs `token-rollout approve ARGS`; resolves to the exit code. */
export async function approveCli(argv: readonly string[], io: ReleaseIo): Promise<number> {
  const o = parseCommand(APPROVE_COMMAND, argv, io.env);
  if (!o.stage || !o.by) {
    io.stderr(
      `${APPROVE_COMMAND.name}: --stage and --by are required (token-rollout approve --stage week3 --by NAME)`,
    );
    return 2;
  }
  const url = `${o.server.replace(/\/+$/, '')}/admin/approvals`;
  const response = await reach(io, url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(o['admin-token'] ? { authorization: `Bearer ${o['admin-token']}` } : {}),
    },
    body: JSON.stringify({
      stage: o.stage,
      by: o.by,
      source: 'cli',
      ...(o.reason ? { reason: o.reason } : {}),
    }),
  });
  const text = await response.text();
  if (!response.ok) {
    const body = (() => {
      try {
        return JSON.parse(text) as { error?: string; path?: string };
      } catch {
        return { error: text };
      }
    })();
    io.stderr(
      `${APPROVE_COMMAND.name}: refused (${response.status}): ${body.error ?? text}${body.path ? ` (at ${body.path})` : ''}`,
    );
    return response.status === 400 ? 2 : 1;
  }
  const { approval } = JSON.parse(text) as { approval: { seq: number; target: string; by: string } };
  io.stdout(`approved ${approval.target} by ${approval.by} (audit #${approval.seq})`);
  return 0;
}

/** The report's files for `stage`: `status-week2-2025-02-21.html` and `.md`. */
export function reportPaths(
  dir: string,
  stage: string,
  until: number,
): { html: string; markdown: string; postmortem: string } {
  const name = `${stage.replace(/[^A-Za-z0-9._-]/g, '_')}-${new Date(until).toISOString().slice(0, 10)}`;
  const base = join(resolve(dir), `status-${name}`);
  return {
    html: `${base}.html`,
    markdown: `${base}.md`,
    postmortem: join(resolve(dir), `postmortem-${name}.md`),
  };
}

/** Runs `token-rollout report ARGS`; resolves to the exit code. */
export async function reportCli(argv: readonly string[], io: ReleaseIo): Promise<number> {
  const o = parseCommand(REPORT_COMMAND, argv, io.env);
  const since = instantOption(REPORT_COMMAND.name, 'since', o.since);
  const until = instantOption(REPORT_COMMAND.name, 'until', o.until);
  const inputs = await collectReportInputs(
    {
      server: o.server,
      now: io.now(),
      ...(o.stage ? { stage: o.stage } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(o['admin-token'] ? { adminToken: o['admin-token'] } : {}),
      ...(o['collector-token'] ? { collectorToken: o['collector-token'] } : {}),
      ...(o['gate-json'] ? { gateJson: o['gate-json'] } : {}),
      ...(o.manifest ? { manifest: o.manifest } : {}),
      ...(o['target-users'] !== undefined ? { targetUsers: o['target-users'] } : {}),
      ...(o['min-users'] !== undefined ? { minUsers: o['min-users'] } : {}),
    },
    io.fetch,
  );
  const paths = reportPaths(o.out, inputs.stage, inputs.until);
  await mkdir(resolve(o.out), { recursive: true });
  await writeFile(paths.html, renderReportHtml(inputs));
  await writeFile(paths.markdown, renderReportMarkdown(inputs));
  io.stdout(`report for ${inputs.stage}: ${paths.html}`);
  io.stdout(`markdown:          ${paths.markdown}`);
  if (o.postmortem) {
    await writeFile(paths.postmortem, renderPostMortem(inputs));
    io.stdout(`post-mortem draft: ${paths.postmortem}`);
  }
  if (inputs.gateError) io.stderr(`note: no gate section: ${inputs.gateError}`);
  return 0;
}
