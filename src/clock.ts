// The seams every layer shares: the clock (every part that reads the time or waits takes a `Clock`, so tests are
// deterministic and fast) and the logger.

/** Time source and waiting. `sleep` is optional: parts that only read the time never call it. */
export interface Clock {
  now(): Date;
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Sleeps, waking early (rejecting with the signal's reason) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The real clock. */
export const systemClock: Required<Clock> = { now: () => new Date(), sleep };

/** Receives one line per event; `meta` never holds key material, a full signature or the Agent-Token. */
export interface Logger {
  debug?(message: string, meta?: Record<string, unknown>): void;
  info?(message: string, meta?: Record<string, unknown>): void;
  warn?(message: string, meta?: Record<string, unknown>): void;
  error?(message: string, meta?: Record<string, unknown>): void;
}
