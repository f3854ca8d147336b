// How a value from outside appears in a message or on a terminal: short, quoted or escaped, never the whole value.

/** `"USDX"`, `"a long one…"` (cut at `max` characters), `12`, `3n`, `null`, `an array`, `an object`. */
export function showValue(value: unknown, max = 40): string {
  if (typeof value === 'string') return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/**
 * Control characters, and characters that change or hide what a terminal shows (no-break and zero-width spaces,
 * direction marks and overrides, line and paragraph separators, fillers, tag characters, the BOM).
 */
export function isInvisible(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0xa0) ||
    cp === 0xad ||
    cp === 0xfeff ||
    (cp >= 0x2000 && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202f) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0x061c ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x3000 ||
    cp === 0x3164 ||
    cp === 0xffa0 ||
    (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp >= 0xe0000 && cp <= 0xe007f)
  );
}

/**
 * A value read from a file, as it may be printed on a terminal: invisible and control characters as \uXXXX (so a
 * value cannot print a line of its own, move the cursor or hide text), cut at `max` characters.
 */
export function printable(text: string, max = 100): string {
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n++ === max) return `${out}…`;
    const cp = ch.codePointAt(0)!;
    out += isInvisible(cp) ? (cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`) : ch;
  }
  return out;
}
