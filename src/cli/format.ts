// Text helpers for CLI output: visible whitespace, values from files made safe to print, shell quoting. Pure.

/**
 * Makes every byte of a signed content visible on one line: newline as \n, CR as \r, tab as \t, a space as ·,
 * a BOM and other invisible characters as \uXXXX. A backslash is doubled and a literal · is \u00b7, so the
 * escaped form is unambiguous.
 */
export function escapeVisible(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === ' ') out += '·';
    else if (ch === '·') out += '\\u00b7';
    else if (isInvisible(cp)) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/**
 * Control characters, and characters that change or hide what a terminal shows (no-break and zero-width spaces,
 * direction marks and overrides, line and paragraph separators, the BOM).
 */
function isInvisible(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0xa0) ||
    cp === 0xad ||
    cp === 0xfeff ||
    (cp >= 0x2000 && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202f) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0x3000
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
    out += isInvisible(cp) ? `\\u${cp.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}

export const ESCAPE_LEGEND = '\\n newline, \\r carriage return, \\t tab, · space, \\uXXXX invisible characters such as the BOM';

/** POSIX shell single-quoting. */
export function shQuote(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
