/** Where SDK-internal errors go; set by `init`. The SDK never throws into the host page. */
let report: (error: unknown) => void = () => undefined;

export function setErrorHandler(handler: ((error: unknown) => void) | undefined): void {
  report = (error) => {
    try {
      handler?.(error);
    } catch {
      // the page's own handler failed: nothing left to tell
    }
  };
}

/** Runs `fn`, turning any throw or rejection into an onError report. */
export function safe<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined {
  return (...args) => {
    try {
      const result = fn(...args);
      if (result instanceof Promise) return result.catch(report) as R;
      return result;
    } catch (error) {
      report(error);
      return undefined;
    }
  };
}

export function reportError(error: unknown): void {
  report(error);
}
