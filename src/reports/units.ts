// Amount units of report files: reading an amount as written in major or minor units, into signed minor units. Pure.
import { currencyExponent } from '../rules/amounts';
import type { ReportAmount } from './rows';

/** How amounts in a file are written: `minor` 1450 = 14.50 USD (the published samples), `major` 14.50. */
export type AmountUnit = 'major' | 'minor';
/** `auto` decides per settlement batch in `reconcile`, from which reading makes the items add up to the summary. */
export type AmountUnitOption = AmountUnit | 'auto';

export const AMOUNT_UNITS: readonly AmountUnit[] = ['minor', 'major'];

// The row parser has already held the text to this shape (a sign, at most 30 digits either side of the point).
const AMOUNT = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * An amount as written, read in `unit`, as signed minor units, or undefined when that reading is impossible: a
 * fraction read as minor units, more decimals than the currency has, or (major units) a currency whose number of
 * decimals is not known (see `CURRENCY_EXPONENTS`). Integer arithmetic on the digits: nothing is ever rounded.
 */
export function minorUnits(amount: ReportAmount, unit: AmountUnit): bigint | undefined {
  const m = AMOUNT.exec(amount.value);
  if (!m) return undefined;
  const exponent = unit === 'minor' ? 0 : currencyExponent(amount.currency);
  if (exponent === undefined) return undefined;
  const fraction = m[3] ?? '';
  // Decimals beyond the currency's must all be zero ("1450.00" in minor units is 1450).
  for (let i = exponent; i < fraction.length; i++) if (fraction.charCodeAt(i) !== 48) return undefined;
  const digits = m[2]! + fraction.slice(0, exponent).padEnd(exponent, '0');
  const value = BigInt(digits);
  return m[1] === '-' ? -value : value;
}

/** `minorUnits` as a string (`'-725'`), the form amounts take in results and AMS requests. */
export function amountInMinorUnits(amount: ReportAmount, unit: AmountUnit): string | undefined {
  const v = minorUnits(amount, unit);
  return v === undefined ? undefined : v.toString();
}

/** Why `minorUnits` refused, for messages. */
export function unitProblem(amount: ReportAmount, unit: AmountUnit): string {
  if (unit === 'minor') return `"${amount.value}" has a fraction, so it cannot be in minor units (pass amountUnit 'major')`;
  const exponent = currencyExponent(amount.currency);
  if (exponent === undefined)
    return `the number of decimals of ${amount.currency} is not known, so "${amount.value}" cannot be read in major units`;
  return `"${amount.value}" has more decimals than ${amount.currency} has (${exponent})`;
}
