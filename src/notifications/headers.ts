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
  let values: string[];
  if (isGetter(headers)) {
    const v = headers.get(lower);
    values = v === null || v === undefined ? [] : [v];
  } else if (headers !== null && typeof headers === 'object') {
    values = [];
    for (const [key, value] of Object.entries(headers)) {
      if (key.toLowerCase() !== lower || value === undefined) continue;
      if (Array.isArray(value)) values.push(...(value as readonly string[]).map(String));
      else values.push(String(value));
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
