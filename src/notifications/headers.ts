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

/**
 * One header's value, or undefined when absent or empty. Several different values for one name (a string[] or
 * two keys differing only in case) are refused as malformed: a signed header must be unambiguous.
 */
export function readHeader(headers: NotificationHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  const values: string[] = [];
  // Frameworks hand over strings (or numbers, or string lists); anything else is not a header we can trust.
  const take = (v: unknown): void => {
    if (v === undefined || v === null) return;
    if (typeof v === 'string') values.push(v);
    else if (typeof v === 'number' && Number.isFinite(v)) values.push(String(v));
    else throw new AmsSignatureError(`The ${lower} header has a value that is not text`, { reason: 'malformed', check: lower });
  };
  if (isGetter(headers)) {
    take(headers.get(lower));
  } else if (headers !== null && typeof headers === 'object') {
    for (const [key, value] of Object.entries(headers)) {
      if (key.toLowerCase() !== lower) continue;
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) take(value[i]);
      else take(value);
    }
  } else {
    throw new AmsSignatureError('headers must be a Headers object or a record of header names to values', { reason: 'malformed', check: lower });
  }
  const distinct = [...new Set(values.filter((v) => v.trim() !== ''))];
  if (distinct.length > 1) {
    throw new AmsSignatureError(`The ${lower} header was received ${distinct.length} times with different values; a signed notification carries it once`, {
      reason: 'malformed',
      check: lower,
    });
  }
  return distinct[0];
}
