// The LaunchDarkly REST API requests for a gate decision, built from LaunchDarkly's API docs ("Update
// feature flag", semantic patch): PATCH /api/v2/flags/{projectKey}/{flagKey} with
// `Content-Type: application/json; domain-model=launchdarkly.semanticpatch`.
//   rollback  -> {"environmentKey", "instructions": [{"kind": "turnFlagOff"}]} (serves the off variation: all v1)
//   family    -> turnFlagOff on the boolean flag `design-tokens-v2.<family>`
//   advance   -> the flag's value is the rollout config, so the active `stage` changes. When a variation for the
//                next stage exists, the fallthrough is pointed at it (`updateFallthroughVariationOrRollout`,
//                per environment). Otherwise the served variation's value is rewritten (`updateVariation`),
//                which LaunchDarkly applies in every environment that serves that variation: the output says so.
// Requests are printed with a placeholder Authorization header; the token (env LD_API_TOKEN) is only added
// when sending, so it never reaches the output.
import { explicitStage, isRecord, stageNames, withStage } from 'token-rollout/core';
import type { GateDecision } from './report.js';

/** Where the flag lives in LaunchDarkly. */
export interface LaunchDarklyTarget {
  projectKey: string;
  environmentKey: string;
  flagKey: string;
  /** Base URL, default https://app.launchdarkly.com */
  baseUrl: string;
}

/** One HTTP request, printable and sendable. */
export interface ApiRequest {
  method: 'GET' | 'PATCH' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** A request with what it is for, or an explanation when none can be built yet. */
export interface PlannedRequest {
  request: ApiRequest;
  purpose: string;
  warning?: string;
}

/** Placeholder shown instead of the token. */
export const TOKEN_PLACEHOLDER = '<LD_API_TOKEN>';

const SEMANTIC_PATCH = 'application/json; domain-model=launchdarkly.semanticpatch';

function flagUrl(target: LaunchDarklyTarget, flagKey: string): string {
  return `${target.baseUrl}/api/v2/flags/${encodeURIComponent(target.projectKey)}/${encodeURIComponent(flagKey)}`;
}

function patch(
  target: LaunchDarklyTarget,
  flagKey: string,
  instructions: unknown[],
  comment: string,
): ApiRequest {
  return {
    method: 'PATCH',
    url: flagUrl(target, flagKey),
    headers: { Authorization: TOKEN_PLACEHOLDER, 'Content-Type': SEMANTIC_PATCH },
    body: { environmentKey: target.environmentKey, comment, instructions },
  };
}

/** GET of the flag with its environment, needed to find variation ids for an advance. */
export function getFlagRequest(target: LaunchDarklyTarget): ApiRequest {
  return {
    method: 'GET',
    url: `${flagUrl(target, target.flagKey)}?env=${encodeURIComponent(target.environmentKey)}`,
    headers: { Authorization: TOKEN_PLACEHOLDER },
  };
}

/** Turning a flag off: the whole rollout (the main flag) or one family (its boolean kill flag). */
export function turnOffRequests(
  decision: GateDecision,
  target: LaunchDarklyTarget,
  comment: string,
): PlannedRequest[] {
  if (decision.kind !== 'rollback') return [];
  if (decision.scope === 'flag') {
    return [
      {
        request: patch(target, target.flagKey, [{ kind: 'turnFlagOff' }], comment),
        purpose: 'roll back: flag off',
      },
    ];
  }
  return decision.families.map((family) => ({
    request: patch(target, `${target.flagKey}.${family}`, [{ kind: 'turnFlagOff' }], comment),
    purpose: `roll back family ${family}: kill flag off`,
  }));
}

interface Variation {
  id: string;
  value: unknown;
}

/** A JSON object, or null: the flag's REST shape is read defensively, field by field. */
function record(value: unknown): Record<string, unknown> | null {
  return isRecord(value) ? value : null;
}

/** Reads variations and the environment's fallthrough variation index from a GET flag response. */
function parseFlag(
  flag: unknown,
  environmentKey: string,
): { variations: Variation[]; served: number | null } {
  const f = record(flag);
  const list = Array.isArray(f?.variations) ? f.variations : [];
  const variations: Variation[] = [];
  for (const v of list) {
    const r = record(v);
    if (r && typeof r._id === 'string') variations.push({ id: r._id, value: r.value });
  }
  const env = record(record(f?.environments)?.[environmentKey]);
  const served = record(env?.fallthrough)?.variation;
  return { variations, served: typeof served === 'number' ? served : null };
}

/**
 * The advance request. With the flag (GET response) at hand it is exact; without it (dry run with no
 * token) the variation id is a placeholder and the output says which GET fills it in.
 */
export function advanceRequest(
  target: LaunchDarklyTarget,
  currentStage: string,
  fallbackNext: string | null,
  flag: unknown | null,
  comment: string,
): PlannedRequest | { error: string } {
  if (flag === null) {
    if (fallbackNext === null) return { error: `${currentStage} is the last stage: nothing to advance` };
    return {
      request: patch(
        target,
        target.flagKey,
        [
          {
            kind: 'updateFallthroughVariationOrRollout',
            variationId: `<_id of the variation whose stage is ${fallbackNext}>`,
          },
        ],
        comment,
      ),
      purpose: `advance to ${fallbackNext}`,
      warning: `variation ids come from ${getFlagRequest(target).url}; set LD_API_TOKEN to resolve them`,
    };
  }
  const { variations, served } = parseFlag(flag, target.environmentKey);
  const current = served === null ? undefined : variations[served];
  if (!current)
    return { error: `the flag's ${target.environmentKey} fallthrough does not serve a single variation` };
  // The stage list and the edit come from the SDK's config model, so every form it accepts (the seed's
  // wrapper, the bare object, stages under "stages") is read and written back the same way.
  const order = stageNames(current.value);
  const at = order.indexOf(explicitStage(current.value) ?? currentStage);
  const next = at >= 0 ? (order[at + 1] ?? null) : fallbackNext;
  if (next === null)
    return { error: `${currentStage} is the last stage in the flag's value: nothing to advance` };
  const dedicated = variations.find((v) => explicitStage(v.value) === next);
  if (dedicated) {
    return {
      request: patch(
        target,
        target.flagKey,
        [{ kind: 'updateFallthroughVariationOrRollout', variationId: dedicated.id }],
        comment,
      ),
      purpose: `advance to ${next}: serve the variation for ${next}`,
    };
  }
  const edited = withStage(current.value, next);
  if (!edited.ok) {
    return {
      error: `the served variation's value cannot take stage ${next}: ${edited.error.path}: ${edited.error.message}`,
    };
  }
  return {
    request: patch(
      target,
      target.flagKey,
      [{ kind: 'updateVariation', variationId: current.id, value: edited.value }],
      comment,
    ),
    purpose: `advance to ${next}: set "stage" in the served variation's value`,
    warning: 'updateVariation changes the value in every environment that serves this variation',
  };
}

/** The request as text: method, URL, headers (token placeholder only) and JSON body. */
export function formatRequest(request: ApiRequest): string {
  const headers = Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`);
  const body = request.body === undefined ? [] : ['', JSON.stringify(request.body, null, 2)];
  return [`${request.method} ${request.url}`, ...headers, ...body].join('\n');
}

/** Sends a request with the real token in place of the placeholder; throws with the status on failure. */
export async function sendRequest(
  request: ApiRequest,
  token: string,
  fetcher: typeof fetch,
): Promise<unknown> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k] = v === TOKEN_PLACEHOLDER ? token : v;
  const response = await fetcher(request.url, {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${request.method} ${request.url} failed: ${response.status} ${text.slice(0, 300)}`);
  return text === '' ? null : (JSON.parse(text) as unknown);
}
