// The HTTP seam: what the request pipeline needs from a transport, so tests and users can inject their own.

export interface HttpRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  /** Sent byte for byte; never re-serialized. */
  body: string;
  /** Aborts the request: the caller's signal combined with the per-attempt timeout. */
  signal: AbortSignal;
  /**
   * The most response body bytes to accept; past it the transport drops the connection and fails with kind
   * `too_large`. The client always sets it (its `maxResponseBytes`); a transport's own option is the fallback.
   */
  maxResponseBytes?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The raw body text as received (UTF-8). */
  body: string;
}

/**
 * Why a request produced no response. `aborted` is the caller's own signal; `timeout` is ours; `too_large` a body
 * past the byte limit (the connection is dropped, as on any broken exchange).
 */
export type TransportFailureKind = 'timeout' | 'connection' | 'aborted' | 'too_large';

/** AMS answers are a few KB; a body past this is not an AMS answer, and reading it on would risk the process. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** The bounds of `maxResponseBytes`, for the client and the transports alike. */
export const MAX_RESPONSE_BYTES_RANGE = Object.freeze({ min: 1024, max: 256 * 1024 * 1024 });

/** The failure for a body past `limit` bytes. */
export function tooLargeFailure(limit: number): TransportFailure {
  return new TransportFailure('too_large', `the response body exceeded maxResponseBytes (${limit} bytes)`);
}

export class TransportFailure extends Error {
  override name = 'TransportFailure';
  constructor(
    readonly kind: TransportFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Sends one request. Resolves with any HTTP status; rejects only with TransportFailure. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** The failure for a request whose signal fired: our per-attempt timeout (a TimeoutError reason) or the caller's abort. */
export function abortedFailure(signal: AbortSignal, cause?: unknown): TransportFailure {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return new TransportFailure(timedOut ? 'timeout' : 'aborted', timedOut ? 'request timed out' : 'request aborted', { cause });
}

/** Response headers as one lower-case string per name (repeated headers joined with ", "). */
export function flattenHeaders(raw: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {};
  // for…in rather than Object.entries: this runs once per response, and node:http's record has no inherited keys.
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined || value === null) continue;
    headers[name.toLowerCase()] = typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

/**
 * The package's own transports, which stop listening to a request's signal when they settle and derive no other
 * signal from it: the client may hand such a signal, unfired, to a later attempt (api/attempt-signal.ts).
 */
export const RELEASES_SIGNAL = new WeakSet<Transport>();
