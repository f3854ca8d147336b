// Text helpers for CLI output: visible whitespace, shell quoting. Pure.
import { isInvisible } from '../rules/show';

export { printable } from '../rules/show';

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

export const ESCAPE_LEGEND = '\\n newline, \\r carriage return, \\t tab, · space, \\uXXXX invisible characters such as the BOM';

/** POSIX shell single-quoting. */
export function shQuote(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
