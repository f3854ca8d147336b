// Reading one field of a plain input object: what a plain object is, and the checks every builder makes on free text. Pure.
import { showValue } from './show';

/** Unicode's control category: exactly C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F). Invisible, and some gateways reject or strip them. */
export const CONTROL_CHARACTER = /\p{Cc}/u;

/** An object literal (or one made with a null prototype): not an array, a class instance, a Date or a Decimal. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What is wrong with a free-text field's value, or nothing: each with the zod-like code the issues carry. */
export type TextProblem =
  { code: 'required'; message: string } | { code: 'invalid_type' | 'too_small' | 'invalid_string'; message: string };

/**
 * A free-text field: present (undefined and null are `required`), a string, not blank, without control characters.
 * `required` is the message for a missing value.
 */
export function textProblem(value: unknown, required = 'is required'): TextProblem | undefined {
  if (value === undefined || value === null) return { code: 'required', message: required };
  if (typeof value !== 'string')
    return { code: 'invalid_type', message: `must be a string, not ${typeof value === 'object' ? showValue(value) : typeof value}` };
  if (value.trim() === '') return { code: 'too_small', message: 'is empty' };
  if (CONTROL_CHARACTER.test(value))
    return { code: 'invalid_string', message: `${showValue(value)} contains a control character (newline, tab…)` };
  return undefined;
}

/** A field's path under a prefix: `a.b`, `a[0]`. */
export function fieldPath(prefix: string, key: string): string {
  if (!prefix) return key;
  return key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`;
}
