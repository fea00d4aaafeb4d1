// The subscriber list every flag source keeps: one listener throwing must not stop the others.

/** A set of listeners called in subscription order. */
export interface Listeners<T> {
  add(listener: (value: T) => void): () => void;
  emit(value: T): void;
  clear(): void;
}

/** Creates a listener list; a throwing listener is reported asynchronously and the rest still run. */
export function createListeners<T>(report: (error: unknown) => void = rethrowLater): Listeners<T> {
  const listeners = new Set<(value: T) => void>();
  return {
    add(listener) {
      // A wrapper per subscription, so subscribing the same function twice unsubscribes independently.
      const entry = (value: T) => listener(value);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    emit(value) {
      for (const listener of [...listeners]) {
        try {
          listener(value);
        } catch (error) {
          report(error);
        }
      }
    },
    clear() {
      listeners.clear();
    },
  };
}

function rethrowLater(error: unknown): void {
  // Surfaces in the console and window.onerror like any uncaught error, without breaking the loop.
  setTimeout(() => {
    throw error;
  }, 0);
}
