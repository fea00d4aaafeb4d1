// JS memory of the page: the precise API where the page is cross-origin isolated, Chrome's heap size else.

/** Where memory figures come from; `unavailable` means memory is not reported at all. */
export type MemorySource = 'uasm' | 'performance.memory' | 'unavailable';

/** The parts of the window memory measurement uses. */
export interface MemoryEnv {
  crossOriginIsolated?: boolean;
  performance?: {
    measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
    memory?: { usedJSHeapSize: number };
  };
}

/** Picks the best available source once per page, so every sample of a page is comparable. */
export function memorySourceOf(env: MemoryEnv): MemorySource {
  // measureUserAgentSpecificMemory exists but throws (SecurityError) unless the page is isolated.
  if (
    env.crossOriginIsolated === true &&
    typeof env.performance?.measureUserAgentSpecificMemory === 'function'
  ) {
    return 'uasm';
  }
  if (typeof env.performance?.memory?.usedJSHeapSize === 'number') return 'performance.memory';
  return 'unavailable';
}

/** One memory sample in bytes from `source`, or undefined when it cannot be measured right now. */
export async function readMemory(env: MemoryEnv, source: MemorySource): Promise<number | undefined> {
  try {
    if (source === 'uasm') {
      const result = await env.performance?.measureUserAgentSpecificMemory?.();
      return result && Number.isFinite(result.bytes) ? result.bytes : undefined;
    }
    if (source === 'performance.memory') {
      const bytes = env.performance?.memory?.usedJSHeapSize;
      return typeof bytes === 'number' && Number.isFinite(bytes) ? bytes : undefined;
    }
  } catch {
    // The measurement can be refused (e.g. the page lost isolation); skip this sample.
  }
  return undefined;
}
