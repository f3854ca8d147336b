// Exact conversion between major-unit amounts people type ("19.99") and AMS minor-unit value strings ("1999").

import { showValue } from './show';
import type { Decimal } from 'decimal.js';
import { AmsValidationError, type ValidationIssue } from '../errors';
import { unknownOptionIssue } from '../internal/suggest';

/**
 * A Decimal from any copy of decimal.js, by decimal.js's own test (`Decimal.isDecimal`: every instance carries
 * `toStringTag` "[object Decimal]" on its prototype). Testing the tag instead of calling it keeps decimal.js out of the
 * import (about 10 ms of a cold start): strings and numbers, the usual amounts, never need the library.
 */
function isDecimal(value: unknown): value is Decimal {
  return typeof value === 'object' && value !== null && (value as { toStringTag?: unknown }).toStringTag === '[object Decimal]';
}

/**
 * ISO 4217 minor-unit exponents: every currency of the AlipayCN matrix, plus a few common ones whose
 * ISO exponent is unambiguous. A currency missing here is rejected rather than guessed: a wrong exponent
 * charges 100 times too much or too little.
 */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  // The AlipayCN matrix.
  USD: 2,
  EUR: 2,
  JPY: 0,
  GBP: 2,
  CAD: 2,
  AUD: 2,
  SGD: 2,
  CHF: 2,
  SEK: 2,
  DKK: 2,
  NOK: 2,
  NZD: 2,
  THB: 2,
  HKD: 2,
  CNY: 2,
  // Others.
  KRW: 0,
  VND: 0,
  CLP: 0,
  MYR: 2,
  PHP: 2,
  INR: 2,
  BRL: 2,
  MXN: 2,
  BHD: 3,
  KWD: 3,
});

export interface AmountOptions {
  /** Field reported for a problem with the amount. Default `amount` (`value` for `fromMinorUnits`). */
  field?: string;
  /** Field reported for a problem with the currency. Default `currency`. */
  currencyField?: string;
  /** Accept zero. Off by default: a payment or refund needs a positive amount. */
  allowZero?: boolean;
}

/** An AMS amount: `value` is a positive integer in the currency's minor units, as a string. */
// A type alias, not an interface: aliases are assignable to the request schemas' open object types.
export type Amount<C extends string = string> = {
  currency: C;
  value: string;
};

/** A minor-unit value: a positive integer without leading zeros. */
export const MINOR_UNIT_VALUE = /^[1-9][0-9]*$/;

/** The sentence for anyone who hands an amount as a number (or a decimal string) where AMS takes minor units. */
export const MINOR_UNITS_HINT = "amounts are strings of minor units, e.g. '1999' for 19.99 USD; toMinorUnits('19.99', 'USD') makes one";
const PLAIN_DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;
/** Any decimal with at most 15 significant digits survives a trip through a double unchanged. */
const DOUBLE_SAFE_DIGITS = 15;

/** True for an AMS minor-unit value: a string holding a positive integer without leading zeros. */
export function isMinorUnitValue(value: unknown): value is string {
  return typeof value === 'string' && MINOR_UNIT_VALUE.test(value);
}

/** The ISO 4217 exponent of a currency this module knows, or undefined. */
export function currencyExponent(currency: string): number | undefined {
  return typeof currency === 'string' && Object.hasOwn(CURRENCY_EXPONENTS, currency) ? CURRENCY_EXPONENTS[currency] : undefined;
}

function exponentOf(currency: unknown, field: string, issues: ValidationIssue[]): number | undefined {
  if (typeof currency === 'string' && Object.hasOwn(CURRENCY_EXPONENTS, currency)) return CURRENCY_EXPONENTS[currency];
  const upper = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
  const hint = Object.hasOwn(CURRENCY_EXPONENTS, upper) ? `; did you mean "${upper}"?` : '';
  issues.push({
    field,
    message:
      typeof currency === 'string' && currency !== ''
        ? `unknown currency ${showValue(currency, 32)}: its number of decimals is not known here${hint}`
        : `currency is missing or not a string (got ${showValue(currency, 32)})`,
  });
  return undefined;
}

interface ParsedDecimal {
  whole: string;
  fraction: string;
}

/**
 * Reads a major-unit amount into digit strings. Strings are taken literally (no trimming, no "+", no
 * exponent), because any leniency there hides a bug upstream. A `number` is accepted only when it is a
 * safe integer, or when its shortest JS string form (`String(n)`) is a plain decimal of at most 15
 * significant digits: then that string is exactly what was typed. `0.1 + 0.2` (0.30000000000000004) and
 * `1e21` are therefore rejected; pass such amounts as strings or Decimals.
 */
function parseMajor(amount: unknown, field: string, issues: ValidationIssue[]): ParsedDecimal | undefined {
  const fail = (message: string) => {
    issues.push({ field, message });
    return undefined;
  };
  if (typeof amount === 'string') {
    if (amount.trim() === '') return fail('is empty: give an amount such as "19.99"');
    if (amount.trim() !== amount) return fail(`${showValue(amount, 32)} has spaces around it`);
    if (amount.startsWith('+')) return fail(`${showValue(amount, 32)} has a leading "+": write the number alone`);
    if (amount.startsWith('-')) return fail(`${showValue(amount, 32)} is negative: amounts must be positive`);
    if (/^(NaN|-?Infinity)$/i.test(amount)) return fail(`${showValue(amount, 32)} is not a number`);
    if (/^[0-9.]+[eE][+-]?[0-9]+$/.test(amount))
      return fail(`${showValue(amount, 32)} uses exponent notation: write it as a plain decimal such as "19.99"`);
    const m = PLAIN_DECIMAL.exec(amount);
    if (!m) return fail(`${showValue(amount, 32)} is not a plain decimal (digits and an optional "." such as "1234.50", no separators)`);
    return { whole: m[1] ?? '0', fraction: m[2] ?? '' };
  }
  if (typeof amount === 'number') {
    if (Number.isNaN(amount)) return fail('is NaN');
    if (!Number.isFinite(amount)) return fail(`is ${amount}: amounts must be finite`);
    if (amount < 0) return fail(`${amount} is negative: amounts must be positive`);
    if (Number.isInteger(amount) && !Number.isSafeInteger(amount))
      return fail(`${String(amount)} is beyond Number.MAX_SAFE_INTEGER and may not be exact: pass the amount as a string`);
    // Object.is: -0 is zero, not a negative amount.
    const text = Object.is(amount, -0) ? '0' : String(amount);
    const m = PLAIN_DECIMAL.exec(text);
    if (!m) return fail(`${text} has no exact plain decimal form: pass the amount as a string such as "19.99"`);
    const whole = m[1] ?? '0';
    const fraction = m[2] ?? '';
    if (!Number.isInteger(amount) && significantDigits(whole, fraction) > DOUBLE_SAFE_DIGITS)
      return fail(`${text} cannot be represented exactly as a number: pass the amount as a string such as "19.99"`);
    return { whole, fraction };
  }
  if (isDecimal(amount)) {
    if (amount.isNaN()) return fail('is NaN');
    if (!amount.isFinite()) return fail(`is ${amount.toString()}: amounts must be finite`);
    if (amount.isZero()) return { whole: '0', fraction: '' };
    // Bounded before anything is written out: a Decimal parsed from "1e100000000" would be a hundred million digits.
    if (amount.e >= MAX_DECIMAL_DIGITS || amount.decimalPlaces() > MAX_DECIMAL_DIGITS)
      return fail(`is not an amount: at most ${MAX_DECIMAL_DIGITS} digits before and after the decimal point`);
    if (amount.isNegative()) return fail(`${amount.toFixed()} is negative: amounts must be positive`);
    // toFixed() without arguments is plain notation with no rounding.
    const m = PLAIN_DECIMAL.exec(amount.toFixed());
    if (!m) return fail(`${amount.toString()} could not be read as a plain decimal`);
    return { whole: m[1] ?? '0', fraction: m[2] ?? '' };
  }
  return fail(`must be a string, number or Decimal, not ${amount === null ? 'null' : typeof amount}`);
}

/** The most digits an amount may have on either side of the point (far beyond any real amount): Decimals, report files. */
export const MAX_DECIMAL_DIGITS = 30;

function significantDigits(whole: string, fraction: string): number {
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  return digits.length;
}

function isZeroDigits(digits: string): boolean {
  return /^0*$/.test(digits);
}

function decimalsMessage(currency: string, exponent: number, shown: string, decimals: number): string {
  return exponent === 0
    ? `${shown} has ${decimals === 1 ? 'a decimal' : `${decimals} decimals`} but ${currency} has no minor unit: give a whole number`
    : `${shown} has ${decimals} decimals but ${currency} has only ${exponent}`;
}

/**
 * Converts a major-unit amount to the AMS minor-unit value string: `toMinorUnits('19.99', 'USD')` → `'1999'`,
 * `toMinorUnits(500, 'JPY')` → `'500'`. Never rounds: more decimals than the currency has is an error, and
 * so are negatives, zero (unless `allowZero`), NaN, Infinity, exponent notation, empty strings, a leading
 * "+", unknown currencies and inexact numbers (see the number rule on `parseMajor` above: a safe integer,
 * or a number whose `String(n)` is a plain decimal of at most 15 significant digits).
 * @throws AmsValidationError listing every problem, on `options.field` (default `amount`) and
 *   `options.currencyField` (default `currency`).
 */
export function toMinorUnits(amount: string | number | Decimal, currency: string, options: AmountOptions = {}): string {
  checkAmountOptions(options, 'toMinorUnits');
  const field = options.field ?? 'amount';
  const issues: ValidationIssue[] = [];
  const exponent = exponentOf(currency, options.currencyField ?? 'currency', issues);
  const parsed = parseMajor(amount, field, issues);
  if (parsed) {
    const shown = typeof amount === 'string' ? showValue(amount, 32) : `${parsed.whole}${parsed.fraction ? `.${parsed.fraction}` : ''}`;
    // Digits are counted as written: "1.000" JPY may be a thousand in a European format, so it is refused
    // rather than read as one yen.
    if (exponent !== undefined && parsed.fraction.length > exponent)
      issues.push({ field, message: decimalsMessage(currency, exponent, shown, parsed.fraction.length) });
    else if (!options.allowZero && isZeroDigits(parsed.whole + parsed.fraction))
      issues.push({ field, message: `${shown} is zero: the amount must be greater than zero` });
  }
  if (issues.length > 0 || !parsed || exponent === undefined) throw new AmsValidationError(issues, { context: 'Invalid amount' });
  const digits = `${parsed.whole}${parsed.fraction.padEnd(exponent, '0')}`.replace(/^0+/, '');
  return digits === '' ? '0' : digits;
}

/**
 * Converts an AMS minor-unit value to a major-unit decimal string with exactly the currency's decimals:
 * `('1999', 'USD')` → `'19.99'`, `('1990', 'USD')` → `'19.90'`, `('500', 'JPY')` → `'500'`. Never uses
 * exponent notation. A string value must be a positive integer without leading zeros (`'0'` with
 * `allowZero`); a number must be a safe integer.
 * @throws AmsValidationError on `options.field` (default `value`) and `options.currencyField`.
 */
export function fromMinorUnits(value: string | number | bigint, currency: string, options: AmountOptions = {}): string {
  checkAmountOptions(options, 'fromMinorUnits');
  const field = options.field ?? 'value';
  const issues: ValidationIssue[] = [];
  const exponent = exponentOf(currency, options.currencyField ?? 'currency', issues);
  const digits = readMinor(value, field, options.allowZero === true, issues);
  if (issues.length > 0 || digits === undefined || exponent === undefined)
    throw new AmsValidationError(issues, { context: 'Invalid minor-unit value' });
  if (exponent === 0) return digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

const AMOUNT_OPTIONS = ['field', 'currencyField', 'allowZero'];

/** An option these do not take (`allowzero`) would change nothing silently: refused as every options object refuses it. */
function checkAmountOptions(options: AmountOptions, owner: string): void {
  const issue =
    typeof options === 'object' && options !== null
      ? unknownOptionIssue(options, AMOUNT_OPTIONS)
      : { field: 'options', message: `must be an object such as { allowZero: true }, not ${showValue(options)}` };
  if (issue) throw new AmsValidationError([issue], { context: `Invalid ${owner} options` });
}

function readMinor(value: unknown, field: string, allowZero: boolean, issues: ValidationIssue[]): string | undefined {
  const fail = (message: string) => {
    issues.push({ field, message });
    return undefined;
  };
  const zero = () => (allowZero ? '0' : fail('is zero: a minor-unit value must be a positive integer such as "1999"'));
  if (typeof value === 'string') {
    if (MINOR_UNIT_VALUE.test(value)) return value;
    if (value === '0') return zero();
    if (value.trim() === '') return fail('is empty: give a minor-unit value such as "1999"');
    if (/^0[0-9]+$/.test(value)) return fail(`${showValue(value, 32)} has leading zeros`);
    if (value.startsWith('-')) return fail(`${showValue(value, 32)} is negative: a minor-unit value must be positive`);
    if (/^[0-9]+\.[0-9]*$/.test(value))
      return fail(`${showValue(value, 32)} has a decimal point: minor units are whole numbers (did you mean toMinorUnits?)`);
    return fail(`${showValue(value, 32)} is not a minor-unit value: a positive integer such as "1999"`);
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      return fail(`${showValue(value, 32)} is not a safe integer: pass minor units as an integer or a string such as "1999"`);
    if (value === 0) return zero();
    if (value < 0) return fail(`${value} is negative: a minor-unit value must be positive`);
    return String(value);
  }
  if (typeof value === 'bigint') {
    if (value === 0n) return zero();
    if (value < 0n) return fail(`${value} is negative: a minor-unit value must be positive`);
    return value.toString();
  }
  return fail(`must be a string, number or bigint, not ${value === null ? 'null' : typeof value}`);
}

/**
 * Builds an AMS amount from a major-unit amount: `toAmount('19.99', 'USD')` → `{ currency: 'USD', value: '1999' }`.
 * Same rules and options as `toMinorUnits`.
 */
export function toAmount<C extends string>(amount: string | number | Decimal, currency: C, options: AmountOptions = {}): Amount<C> {
  return { currency, value: toMinorUnits(amount, currency, options) };
}
