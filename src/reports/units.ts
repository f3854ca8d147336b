// Amount units of report files: reading an amount as written in major or minor units, into signed minor units.
import { currencyExponent } from '../rules/amounts';
import { ExactDecimal } from '../rules/exact-decimal';
import type { ReportAmount } from './rows';

/** How amounts in a file are written: `minor` 1450 = 14.50 USD (the published samples), `major` 14.50. */
export type AmountUnit = 'major' | 'minor';
/** `auto` decides per settlement batch in `reconcile`, from which reading makes the items add up to the summary. */
export type AmountUnitOption = AmountUnit | 'auto';

const MINOR_INTEGER = /^-?(?:0|[1-9]\d*)$/;

/**
 * An amount as written, read in `unit`, as signed minor units (`'-725'`), or undefined when that reading is
 * impossible: a fraction read as minor units, more decimals than the currency has, or a currency whose number of
 * decimals is not known (see `CURRENCY_EXPONENTS`).
 */
export function amountInMinorUnits(amount: ReportAmount, unit: AmountUnit): string | undefined {
  if (unit === 'minor' && MINOR_INTEGER.test(amount.value)) return amount.value === '-0' ? '0' : amount.value;
  const exponent = unit === 'minor' ? 0 : currencyExponent(amount.currency);
  if (exponent === undefined) return undefined;
  const d = new ExactDecimal(amount.value).times(new ExactDecimal(10).pow(exponent));
  if (!d.isInteger()) return undefined;
  const text = d.toFixed(0);
  return text === '-0' ? '0' : text;
}

/** Why `amountInMinorUnits` refused, for messages. */
export function unitProblem(amount: ReportAmount, unit: AmountUnit): string {
  if (unit === 'minor') return `"${amount.value}" has a fraction, so it cannot be in minor units (pass amountUnit 'major')`;
  const exponent = currencyExponent(amount.currency);
  if (exponent === undefined)
    return `the number of decimals of ${amount.currency} is not known, so "${amount.value}" cannot be read in major units`;
  return `"${amount.value}" has more decimals than ${amount.currency} has (${exponent})`;
}
