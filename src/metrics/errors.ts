// Uncaught JS errors and unhandled promise rejections on the page.

/** One uncaught error, described without its stack (stacks can carry URLs with user data). */
export interface ErrorInfo {
  kind: 'error' | 'unhandledrejection';
  /** `Name: message`, e.g. `TypeError: x is undefined`. */
  message: string;
}

/**
 * Calls `onError` for every uncaught error and unhandled rejection dispatched on `target` (the window).
 * Listens in the bubbling phase, so failed `<img>`/`<link>` loads (which do not bubble) are not counted.
 */
export function observeErrors(target: EventTarget, onError: (info: ErrorInfo) => void): () => void {
  const listener = (event: Event) => onError(errorInfoOf(event));
  target.addEventListener('error', listener);
  target.addEventListener('unhandledrejection', listener);
  return () => {
    target.removeEventListener('error', listener);
    target.removeEventListener('unhandledrejection', listener);
  };
}

/** The ErrorInfo of an `error` or `unhandledrejection` event (also for events held until monitoring loads). */
export function errorInfoOf(event: Event): ErrorInfo {
  return event.type === 'unhandledrejection'
    ? { kind: 'unhandledrejection', message: describeThrown((event as { reason?: unknown }).reason) }
    : { kind: 'error', message: describeErrorEvent(event) };
}

function describeErrorEvent(event: Event): string {
  const { error, message } = event as { error?: unknown; message?: unknown };
  if (error !== undefined && error !== null) return describeThrown(error);
  return typeof message === 'string' && message !== '' ? message : 'Error';
}

/** `Name: message` for an Error, the value itself for anything else that was thrown. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  if (typeof thrown === 'object' && thrown !== null) {
    const { name, message } = thrown as { name?: unknown; message?: unknown };
    if (typeof message === 'string') return `${typeof name === 'string' ? name : 'Error'}: ${message}`;
    return 'non-Error object';
  }
  return String(thrown);
}
