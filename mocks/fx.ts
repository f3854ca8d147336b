// The gateway's illustrative exchange rates: settlement amounts of CNY payments, the CNY amount a payment declares to customs, and inquireExchangeRate's quotes.
import { Decimal } from 'decimal.js';
import { inquireExchangeRateRequestIssues } from '../src/api/disputes';
import { CURRENCY_EXPONENTS } from '../src/rules/amounts';
import { formatRequestTime } from '../src/rules/time';
import { describeIssues, result, type ApiAnswer, type Reject } from './answers';

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

/**
 * How many units of `sellCurrency` one unit of `buyCurrency` costs, from CNY_RATES (CNY itself is 1): the rate a price in
 * the buy currency is multiplied by to give what the buyer pays. Undefined for a currency the table does not hold.
 */
export function crossRate(buyCurrency: string, sellCurrency: string): Decimal | undefined {
  const perCny = (c: string): string | undefined => (c === 'CNY' ? '1' : CNY_RATES[c]);
  const buy = perCny(buyCurrency);
  const sell = perCny(sellCurrency);
  return buy === undefined || sell === undefined ? undefined : new Decimal(sell).div(buy);
}

/** How long a quote holds at the gateway. */
export const QUOTE_VALIDITY_MS = 60 * 60_000;

let quoteSeq = 0;

/**
 * inquireExchangeRate from the fixed table: one quote per pair asked (`sellCurrency` + `buyCurrency`, and each of
 * `currencyPairs`), `quoteCurrencyPair` `BUY/SELL` with `quotePrice` the units of SELL per BUY (8 decimals, half up),
 * valid for an hour, `guaranteed` only for the TRADE rate (the default); `paymentQuotes` the same rates to 15 decimals.
 * A pair the table does not hold is left out: Antom's "may return the empty set".
 */
export function inquireExchangeRate(body: Record<string, unknown>, now: Date, reject: Reject): ApiAnswer {
  const issues = inquireExchangeRateRequestIssues(body);
  if (issues.length > 0) return reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(issues)}`, true);
  const req = body as {
    sellCurrency?: string;
    buyCurrency?: string;
    currencyPairs?: Array<{ sellCurrency: string; buyCurrency: string }>;
    rateType?: string;
  };
  const pairs = [
    ...(req.sellCurrency !== undefined && req.buyCurrency !== undefined
      ? [{ sellCurrency: req.sellCurrency, buyCurrency: req.buyCurrency }]
      : []),
    ...(req.currencyPairs ?? []),
  ];
  const quotes: Record<string, unknown>[] = [];
  const paymentQuotes: Record<string, unknown>[] = [];
  for (const { sellCurrency, buyCurrency } of pairs) {
    const rate = crossRate(buyCurrency, sellCurrency);
    if (!rate) continue;
    const quoteId = `QUOTE${formatRequestTime(now).replace(/\D/g, '').slice(0, 14)}${String(++quoteSeq).padStart(6, '0')}`;
    quotes.push({
      quoteId,
      quoteCurrencyPair: `${buyCurrency}/${sellCurrency}`,
      quotePrice: rate.toDecimalPlaces(8, Decimal.ROUND_HALF_UP).toString(),
      quoteStartTime: formatRequestTime(now),
      quoteExpiryTime: formatRequestTime(new Date(now.getTime() + QUOTE_VALIDITY_MS)),
      guaranteed: (req.rateType ?? 'TRADE') === 'TRADE',
    });
    paymentQuotes.push({ sellCurrency, buyCurrency, quoteId, exchangeRate: rate.toFixed(15, Decimal.ROUND_HALF_UP) });
  }
  return { signed: true, body: { result: result('S', 'SUCCESS', 'success.'), quotes, paymentQuotes } };
}
