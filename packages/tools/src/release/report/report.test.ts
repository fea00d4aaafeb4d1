import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASELINE, V2_BASELINE } from '../../../../../test-support/gate/simulate.js';
import { createTraffic, trafficScenario } from '../../../../../test-support/gate/traffic.js';
import { mulberry32 } from '../../../../../test-support/random.js';
import type { AuditEntry } from '../../audit/types.js';
import { evaluateGate } from '../../gate/evaluate.js';
import type { GateReport } from '../../gate/report.js';
import { renderReportHtml } from './html.js';
import { type ReportGate, type ReportInputs, summarizeEvents } from './inputs.js';
import { renderReportMarkdown } from './markdown.js';
import { SECTIONS } from './model.js';

const T0 = Date.parse('2025-02-17T00:00:00Z');

function normal(uniform: () => number) {
  return () => {
    let a = 0;
    for (let i = 0; i < 12; i++) a += uniform();
    return a - 6;
  };
}

/** A week-2 stage's traffic through the gate's real pipeline, and the inputs of its report. */
async function inputs(): Promise<ReportInputs> {
  const uniform = mulberry32(3);
  const traffic = createTraffic(
    { uniform, normal: normal(uniform) },
    trafficScenario({
      stage: 'week2',
      percentage: 25,
      regions: [
        { code: 'AU', usersPerHour: 60, eligible: true, fcpFactor: 1 },
        { code: 'CA', usersPerHour: 40, eligible: true, fcpFactor: 1.1 },
        { code: 'US', usersPerHour: 30, eligible: false, fcpFactor: 1 },
      ],
      v1: BASELINE,
      v2: V2_BASELINE,
      fallbackSlowestShare: 0.05,
    }),
    T0,
    0,
  );
  const events = traffic.until(T0 + 30 * 3_600_000);
  // The gate's report type must fit the report's narrow input.
  const gate: ReportGate = evaluateGate(events, {
    stage: 'week2',
    targetUsers: 4000,
    minUsersPerArm: 100,
  }) satisfies GateReport;
  const manifest = JSON.parse(
    await readFile(join(import.meta.dirname, '../../../../../dist/tokens/manifest.json'), 'utf8').catch(
      () => '{"files":[]}',
    ),
  );
  const audit: AuditEntry[] = [
    {
      seq: 4,
      at: '2025-02-17T09:00:00.000Z',
      actor: 'local',
      by: 'dana',
      source: 'dashboard',
      kind: 'advance',
      action: 'set-stage',
      target: 'week2',
      changes: ['stage week1 → week2'],
      before: { flagVersion: 3, configVersion: 'a', on: true, stage: 'week1', killed: [] },
      after: { flagVersion: 4, configVersion: 'b', on: true, stage: 'week2', killed: [] },
      flags: [{ key: 'design-tokens-v2', from: 3, to: 4 }],
      scope: null,
      reason: 'week 1 gate met <script>',
      evidence: null,
    },
  ];
  return {
    stage: 'week2',
    since: T0,
    until: T0 + 30 * 3_600_000,
    generatedAt: T0 + 31 * 3_600_000,
    source: 'http://127.0.0.1:8030',
    flag: {
      on: true,
      activeStage: 'week2',
      killed: [],
      stages: [
        {
          name: 'week2',
          percentage: 25,
          regions: ['AU', 'NZ', 'CA'],
          components: ['buttons', 'cards'],
          startsAt: '2025-02-17T00:00:00.000Z',
        },
        {
          name: 'week3',
          percentage: 50,
          regions: ['all-except-US'],
          components: ['buttons'],
          startsAt: '2025-02-24T00:00:00.000Z',
        },
      ],
    },
    release: { freezes: [], approvalStages: ['week3'], approvals: [] },
    gate,
    summary: summarizeEvents(events, 'week2', T0, T0 + 30 * 3_600_000),
    audit,
    bugs: [
      {
        id: 'WEB-7',
        severity: 'P1',
        title: 'Checkout button invisible in dark mode',
        link: null,
        reportedAt: T0 + 3_600_000,
        withdrawnAt: null,
      },
    ],
    manifest,
  };
}

describe('the weekly status report', () => {
  it('has every section, charts as inline SVG, and nothing to fetch', async () => {
    const html = renderReportHtml(await inputs());
    for (const [id] of SECTIONS) expect(html).toContain(`<section id="${id}"`);
    expect(html.match(/<svg /g)?.length).toBeGreaterThan(5);
    expect(html).not.toMatch(/<script|<link|src=|url\(/);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('week 1 gate met &lt;script&gt;');
    expect(html).toContain('An approval for week3: token-rollout approve --stage week3 --by NAME.');
    expect(html).toContain('WEB-7');
  });

  it('says the same in Markdown', async () => {
    const md = renderReportMarkdown(await inputs());
    for (const [, heading] of SECTIONS) expect(md).toContain(`## ${heading}`);
    expect(md).toMatch(/\| AU \| \d+ \| \d+ \|/);
  });
});
