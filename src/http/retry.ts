// Retry policy: which failures are retried, and how long to wait (0.5 s × 2ⁿ with jitter, Retry-After ≤ 60 s).

export const INITIAL_RETRY_DELAY_MS = 500;
export const MAX_RETRY_DELAY_MS = 8_000;
/** A Retry-After longer than this is ignored in favour of our own backoff, so a call never stalls for minutes. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** HTTP statuses worth another attempt: rate limiting and server-side trouble. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** Parses Retry-After (seconds, or an HTTP date relative to `nowMs`) and `retry-after-ms`; undefined when absent or unusable. */
export function parseRetryAfter(headers: Record<string, string>, nowMs: number): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Delay before retry number `retry` (0 for the first retry). Honours a server's Retry-After up to 60 s;
 * otherwise 0.5 s × 2ⁿ capped at 8 s, minus up to 25 % jitter so many clients do not retry in lockstep.
 */
export function retryDelayMs(retry: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0 && retryAfterMs <= MAX_RETRY_AFTER_MS) return retryAfterMs;
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retry, MAX_RETRY_DELAY_MS);
  return base * (1 - random() * 0.25);
}
