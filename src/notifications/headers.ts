// Reads notification headers case-insensitively from whatever a framework hands over: Node, Fetch or a plain record.
import { AmsSignatureError } from '../errors';

/** Something with a Fetch-style `get` (a `Headers` object, Hono's and undici's headers). */
export interface HeaderGetter {
  get(name: string): string | null | undefined;
}

/**
 * Request headers in any of the shapes frameworks use: Node's `IncomingHttpHeaders` (string or string[] values),
 * a Fetch `Headers` object, or a plain record. Names are matched case-insensitively.
 */
export type NotificationHeaders = HeaderGetter | Readonly<Record<string, string | readonly string[] | number | undefined>>;

function isGetter(headers: unknown): headers is HeaderGetter {
  return typeof (headers as HeaderGetter | null)?.get === 'function';
}

// Frameworks hand over strings (or numbers, or string lists); anything else is not a header we can trust.
function take<N extends string>(out: Record<N, string | undefined>, name: N, v: unknown): void {
  if (v === undefined || v === null) return;
  let text: string;
  if (typeof v === 'string') text = v;
  else if (typeof v === 'number' && Number.isFinite(v)) text = String(v);
  else throw new AmsSignatureError(`The ${name} header has a value that is not text`, { reason: 'malformed', check: name });
  if (text.trim() === '') return;
  const seen = out[name];
  if (seen !== undefined && seen !== text) {
    throw new AmsSignatureError(
      `The ${name} header was received several times with different values; a signed notification carries it once`,
      {
        reason: 'malformed',
        check: name,
      },
    );
  }
  out[name] = text;
}

/**
 * The values of several headers in one pass over the record (this runs for every notification). A header that is
 * absent or empty is undefined. Several different values for one name (a string[] or two keys differing only in
 * case) are refused as malformed: a signed header must be unambiguous. Names must be given in lower case.
 */
export function readHeaders<N extends string>(headers: NotificationHeaders, names: readonly N[]): Record<N, string | undefined> {
  const out = {} as Record<N, string | undefined>;
  if (isGetter(headers)) {
    for (const name of names) take(out, name, headers.get(name));
  } else if (headers !== null && typeof headers === 'object') {
    for (const key in headers) {
      if (!Object.hasOwn(headers, key)) continue;
      const name = key.toLowerCase() as N;
      if (!names.includes(name)) continue;
      const value = (headers as Record<string, unknown>)[key];
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) take(out, name, value[i]);
      else take(out, name, value);
    }
  } else {
    throw new AmsSignatureError('headers must be a Headers object or a record of header names to values', {
      reason: 'malformed',
      check: names[0] ?? 'headers',
    });
  }
  return out;
}

const SIGNED_HEADERS = ['signature', 'client-id', 'request-time'] as const;

/** The three headers Alipay signs a notification with; see readHeaders. */
export function readSignedHeaders(headers: NotificationHeaders): {
  signature: string | undefined;
  clientId: string | undefined;
  requestTime: string | undefined;
} {
  const h = readHeaders(headers, SIGNED_HEADERS);
  return { signature: h.signature, clientId: h['client-id'], requestTime: h['request-time'] };
}
