// The gateway's illustrative exchange rates: settlement amounts of CNY payments and the CNY amount a payment declares to customs.
import { Decimal } from 'decimal.js';
import { CURRENCY_EXPONENTS } from '../src/rules';

/** Illustrative fixed rates: units of the currency per 1 CNY. One table for both directions. */
export const CNY_RATES: Readonly<Record<string, string>> = Object.freeze({
  USD: '0.14',
  EUR: '0.13',
  JPY: '21',
  GBP: '0.11',
  CAD: '0.19',
  AUD: '0.21',
  SGD: '0.19',
  CHF: '0.12',
  SEK: '1.5',
  DKK: '0.95',
  NOK: '1.5',
  NZD: '0.23',
  THB: '5',
  HKD: '1.1',
});

type Money = { currency: string; value: string };

/** `amount` in `currency` at `factor` per unit of its own currency, in that currency's minor units, half up. */
function convert(amount: Money, factor: Decimal, currency: string): Money | undefined {
  const from = CURRENCY_EXPONENTS[amount.currency];
  const to = CURRENCY_EXPONENTS[currency];
  if (from === undefined || to === undefined) return undefined;
  const value = new Decimal(amount.value).div(new Decimal(10).pow(from)).times(factor).times(new Decimal(10).pow(to));
  return { currency, value: value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0) };
}

/**
 * `grossSettlementAmount` (and `settlementQuote` when converted) of an amount paid in `amount.currency` and settled in
 * `settlementCurrency`: the same amount when the currencies agree, CNY converted at CNY_RATES, nothing otherwise.
 */
export function settlementOf(amount: Money, settlementCurrency: string | undefined): Record<string, unknown> {
  if (settlementCurrency === undefined) return {};
  if (settlementCurrency === amount.currency) return { grossSettlementAmount: { ...amount } };
  const rate = amount.currency === 'CNY' ? CNY_RATES[settlementCurrency] : undefined;
  const gross = rate === undefined ? undefined : convert(amount, new Decimal(rate), settlementCurrency);
  if (!gross) return {};
  return {
    grossSettlementAmount: gross,
    settlementQuote: { quoteCurrencyPair: `CNY/${settlementCurrency}`, quotePrice: rate, guaranteed: false },
  };
}

/**
 * The amount a payment can declare to customs, in CNY: the amount itself when paid in CNY, else converted at the same
 * CNY_RATES the settlement uses (foreign amount ÷ units per CNY), rounded half up to the fen.
 */
export function cnyAmountOf(amount: Money): Money | undefined {
  if (amount.currency === 'CNY') return { ...amount };
  const rate = CNY_RATES[amount.currency];
  return rate === undefined ? undefined : convert(amount, new Decimal(1).div(rate), 'CNY');
}
