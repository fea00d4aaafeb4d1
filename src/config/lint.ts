// The config's warnings: things that parse but are probably not what the operator meant. Only
// `parseRolloutConfig` (the CLI, the admin, tests) passes these checks to the parser; the browser runtime
// never shows warnings, so their code and messages stay out of the SDK bundle.
import { childPath, type IssueSink } from './path.js';
import { regionCovers } from './regions.js';
import type { Stage } from './types.js';

/** The warning checks the parser calls at the spots where it reads the values concerned. */
export interface ConfigLint {
  /** Keys of `value` that are not in `known`: ignored, which is often a typo. */
  unknownKeys(sink: IssueSink, value: Record<string, unknown>, known: readonly string[], path: string): void;
  /** A valid percentage that LaunchDarkly's weights (steps of 0.001 %) cannot represent exactly. */
  percentage(sink: IssueSink, percentage: number, path: string): void;
  /** `"all"` listed together with other region entries, which then change nothing. */
  regionsBesideAll(sink: IssueSink, path: string): void;
  /** Checks over the parsed stages, in written order (`paths` are theirs). */
  stages(sink: IssueSink, stages: readonly Stage[], paths: readonly string[]): void;
}

export const CONFIG_LINT: ConfigLint = {
  unknownKeys(sink, value, known, path) {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        sink.warnings.push({
          path: childPath(path, key),
          message: `unknown key ignored (known: ${known.join(', ')})`,
        });
      }
    }
  },
  percentage(sink, percentage, path) {
    if (Math.abs(percentage * 1000 - Math.round(percentage * 1000)) > 1e-6) {
      sink.warnings.push({
        path,
        message: `LaunchDarkly weights step by 0.001 %: ${percentage} acts as ${Math.round(percentage * 1000) / 1000}`,
      });
    }
  },
  regionsBesideAll(sink, path) {
    sink.warnings.push({
      path,
      message: '"all" already covers every region: the other entries change nothing',
    });
  },
  stages: warnShrinking,
};

/** Warns when a later stage covers less than the one before it (monotonicity broken, maybe on purpose). */
function warnShrinking(sink: IssueSink, stages: readonly Stage[], paths: readonly string[]): void {
  for (let i = 1; i < stages.length; i++) {
    const prev = stages[i - 1]!;
    const next = stages[i]!;
    const warn = (key: string, what: string) =>
      sink.warnings.push({
        path: childPath(paths[i]!, key),
        message: `${what} than stage "${prev.name}": its v2 users go back to v1 (fine for a deliberate partial rollback)`,
      });
    if (next.percentage < prev.percentage) warn('percentage', `a lower percentage (${next.percentage})`);
    if (!regionCovers(next.regions, prev.regions)) warn('regions', 'fewer regions');
    const lost = prev.families.filter((f) => !next.families.includes(f));
    if (lost.length > 0) warn('components', `fewer families (no ${lost.join(', ')})`);
    if ((next.startsAt ?? Infinity) < (prev.startsAt ?? -Infinity)) {
      sink.warnings.push({
        path: childPath(paths[i]!, 'startsAt'),
        message: `starts before stage "${prev.name}": the schedule follows dates, not the written order`,
      });
    }
  }
}
