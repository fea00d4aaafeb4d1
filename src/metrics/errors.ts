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
  const onErrorEvent = (event: Event) => onError({ kind: 'error', message: describeErrorEvent(event) });
  const onRejection = (event: Event) =>
    onError({ kind: 'unhandledrejection', message: describeThrown((event as { reason?: unknown }).reason) });
  target.addEventListener('error', onErrorEvent);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('error', onErrorEvent);
    target.removeEventListener('unhandledrejection', onRejection);
  };
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
