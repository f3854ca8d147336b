// Request-Time and other AMS instants: formatting a given instant as ISO-8601 with an offset, and parsing one back.
// Pure: an instant is always passed in; nothing here reads the clock.

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** ISO-8601 to the second with an explicit offset: `2026-01-01T12:05:00+00:00` (AMS writes times this way). */
export function formatIsoWithOffset(epochMs: number, utcOffsetMinutes = 0): string {
  // toISOString's milliseconds are cut off, not rounded: the same second as flooring epochMs.
  const local = new Date(epochMs + utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
  if (utcOffsetMinutes === 0) return `${local}+00:00`;
  const off = Math.abs(utcOffsetMinutes);
  return `${local}${utcOffsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
}

/** The Request-Time header: ISO-8601 with an explicit offset, to the second, as the AMS docs show it. */
export function formatRequestTime(date: Date): string {
  return formatIsoWithOffset(date.getTime());
}

/** ISO-8601 to the second, an optional fraction (any length), and `Z` or an offset (`+08:00`, `+0800`). */
export const ISO_TIME_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A Request-Time as epoch milliseconds: all digits are epoch milliseconds (Java and Go), otherwise ISO-8601
 * with `Z` or an explicit offset (the docs' form). Undefined when it is neither; a time without an offset is
 * refused rather than read in the server's local zone.
 */
export function parseRequestTime(value: string): number | undefined {
  if (/^\d{1,16}$/.test(value)) return Number(value);
  const m = ISO_TIME_RE.exec(value);
  if (!m) return undefined;
  const fraction = m[2] ? m[2].slice(0, 4) : '';
  const zone = m[3]!.toUpperCase() === 'Z' ? 'Z' : m[3]!.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${m[1]}${fraction}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}
