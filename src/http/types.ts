// The HTTP seam: what the request pipeline needs from a transport, so tests and users can inject their own.

export interface HttpRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  /** Sent byte for byte; never re-serialized. */
  body: string;
  /** Aborts the request: the caller's signal combined with the per-attempt timeout. */
  signal: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The raw body text as received (UTF-8). */
  body: string;
}

/** Why a request produced no response. `aborted` is the caller's own signal; `timeout` is ours. */
export type TransportFailureKind = 'timeout' | 'connection' | 'aborted';

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
