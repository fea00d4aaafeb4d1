// `token-rollout audit`: lists the audit trail of a running server (GET /admin/audit), as a table or JSON.
import { type CommandSpec, type OptionSpec, parseCommand, UsageError } from '../args.js';
import { adminTokenOption } from '../server-options.js';
import { parseInstant } from './query.js';
import type { AuditEntry } from './types.js';

/** `--server URL`: the running tools server (shared by audit, approve and report). */
export const serverOption = {
  kind: 'string',
  value: 'URL',
  help: 'the running server (token-rollout serve or npm start)',
  default: 'http://127.0.0.1:8030',
  env: 'TOKEN_ROLLOUT_SERVER',
} as const satisfies OptionSpec;

/** The `audit` command's options. */
export const AUDIT_COMMAND = {
  name: 'token-rollout audit',
  summary: 'Lists the audit trail: every flag change, approval and recovery check, oldest first.',
  options: {
    server: serverOption,
    'admin-token': adminTokenOption,
    since: { kind: 'string', value: 'ISO', help: 'only entries at or after this date or time' },
    until: { kind: 'string', value: 'ISO', help: 'only entries before this date or time' },
    kind: {
      kind: 'list',
      value: 'KIND',
      help: 'rollback, advance, edit, approval, verification, external, notice',
    },
    limit: { kind: 'integer', value: 'N', help: 'only the newest N entries', min: 1, max: 1_000_000 },
    json: { kind: 'flag', help: 'print the entries as JSON lines' },
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** The effects the commands use. */
export interface ReleaseIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  now: () => number;
}

/** One entry as a line: `#12 2025-02-11 10:02 rollback flag-off design-tokens-v2 by local/gate: reason`. */
export function formatEntry(e: AuditEntry): string {
  const versions = e.before && e.after ? ` v${e.before.flagVersion}→v${e.after.flagVersion}` : '';
  const who = `${e.actor}${e.by ? ` (${e.by})` : ''} via ${e.source}`;
  const changes = e.changes.length ? ` [${e.changes.join('; ')}]` : '';
  return `#${e.seq} ${e.at.slice(0, 19).replace('T', ' ')}Z ${e.kind} ${e.action} ${e.target}${versions}${changes} by ${who}: ${e.reason ?? '(no reason given)'}`;
}

/** Fetches `url`; a server that cannot be reached is named, with the option that points at it. */
export async function reach(io: ReleaseIo, url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await io.fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message;
    throw new Error(
      `${init.method ?? 'GET'} ${url} failed: ${(error as Error).message}${cause ? ` (${cause})` : ''}; is the server running? (--server URL)`,
    );
  }
}

/** Checks an ISO option; the error names it. */
export function instantOption(command: string, name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseInstant(text);
  if (ms === null)
    throw new UsageError(`${command}: --${name} expects an ISO 8601 date or time, got "${text}"`);
  return ms;
}

/** Runs `token-rollout audit ARGS`; resolves to the exit code (1 when the server cannot be read). */
export async function auditCli(argv: readonly string[], io: ReleaseIo): Promise<number> {
  const o = parseCommand(AUDIT_COMMAND, argv, io.env);
  const params = new URLSearchParams();
  for (const name of ['since', 'until'] as const) {
    const ms = instantOption(AUDIT_COMMAND.name, name, o[name]);
    if (ms !== undefined) params.set(name, new Date(ms).toISOString());
  }
  if (o.kind.length > 0) params.set('kind', o.kind.join(','));
  if (o.limit !== undefined) params.set('limit', String(o.limit));
  const url = `${o.server.replace(/\/+$/, '')}/admin/audit${params.size ? `?${params}` : ''}`;
  const response = await reach(io, url, {
    headers: o['admin-token'] ? { authorization: `Bearer ${o['admin-token']}` } : {},
  });
  const text = await response.text();
  if (!response.ok) {
    io.stderr(`token-rollout audit: GET ${url} failed: ${response.status} ${text.slice(0, 300)}`);
    return 1;
  }
  const { entries } = JSON.parse(text) as { entries: AuditEntry[] };
  for (const e of entries) io.stdout(o.json ? JSON.stringify(e) : formatEntry(e));
  if (!o.json && entries.length === 0) io.stdout('(no entries)');
  return 0;
}
