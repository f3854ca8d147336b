// "Did you mean …?" everywhere a name can be mistyped (client options, config fields, CLI flags): the closest valid name by edit distance.
import type { ValidationIssue } from '../errors';

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** How names compare: case, `-` and `_` do not count (`timeoutMS`, `timeout_ms` and `timeout-ms` are one name). */
const fold = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');

/** Whether `a` and `b` are close enough to be one name mistyped: a third of the letters off, or one the other's start. */
function near(a: string, b: string, d: number): boolean {
  if (d <= Math.max(1, Math.floor(b.length / 3))) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 3 && long.startsWith(short);
}

/**
 * The valid name closest to `given`, when it is close enough to be a typo: at most a third of the valid name's letters
 * off (one at least), or one name the start of the other (`--output` for `--out`). Names longer than 64 characters are
 * nobody's typo and get no suggestion (and cost nothing).
 */
export function closestName(given: string, valid: readonly string[]): string | undefined {
  if (given.length > 64) return undefined;
  const g = fold(given);
  let best: { name: string; d: number } | undefined;
  for (const name of valid) {
    const f = fold(name);
    const d = distance(g, f);
    if (near(g, f, d) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** `"timeoutMS" (did you mean "timeoutMs"?)`, or the name alone when nothing is close. */
export function withSuggestion(given: string, valid: readonly string[], quote = (n: string) => JSON.stringify(n)): string {
  const guess = closestName(given, valid);
  return `${quote(given)}${guess === undefined ? '' : ` (did you mean ${quote(guess)}?)`}`;
}

/**
 * The message for names that are not options: `unknown option "timeoutMS" (did you mean "timeoutMs"?)`, several
 * listed with one suggestion each; when none is close, a reminder to check the spelling, or with `listValid` the valid
 * names (`unknown option "now"; known options: clock, …`: an old name is not a typo). Names are compared as given and
 * shown after `prefix` (`sign.` for a nested object's keys), so a long prefix never makes two names look alike.
 */
export function unknownNamesMessage(
  what: string,
  given: readonly string[],
  valid: readonly string[],
  { listValid = false, prefix = '' }: { listValid?: boolean; prefix?: string } = {},
): string {
  const quote = (n: string): string => JSON.stringify(`${prefix}${n}`);
  const shown = given.slice(0, 10).map((n) => withSuggestion(n.slice(0, 80), valid, quote));
  const more = given.length > 10 ? ` and ${given.length - 10} more` : '';
  const hinted = given.some((n) => closestName(n, valid) !== undefined);
  const known = valid.map((n) => `${prefix}${n}`).join(', ');
  const hint = hinted ? '' : listValid && valid.length > 0 ? `; known ${what}s: ${known}` : '; check the spelling';
  return `unknown ${what}${given.length === 1 ? '' : 's'} ${shown.join(', ')}${more}${hint}`;
}

/**
 * The keys of `input` that are not `known`, as the one issue an options object reports for them (the message
 * `parseOptions` gives): for the functions that check their options without zod (`/signing` loads none, the pure rules
 * sit below the options module).
 */
export function unknownOptionIssue(input: object, known: readonly string[]): ValidationIssue | undefined {
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length === 0) return undefined;
  return { field: unknown[0]!, message: unknownNamesMessage('option', unknown, known, { listValid: true }), code: 'unknown_option' };
}
