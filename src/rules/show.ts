// How a bad input value appears in a message: a short quoted string, or its kind; never the whole value.

/** `"USDX"`, `"a long one…"` (cut at `max` characters), `12`, `3n`, `null`, `an array`, `an object`. */
export function showValue(value: unknown, max = 40): string {
  if (typeof value === 'string') return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}
