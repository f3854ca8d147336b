// zod schemas for inquireExchangeRate: the rate a payment in one currency gets in another, asked before the payment. Pure.
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { CurrencyCode, MerchantAccountId, Quote, Result } from './common';

/** The rate kinds of the reference: TRADE (the payment rate, the default), REFERENCE_TRADE, REFERENCE. */
export const RATE_TYPES = ['TRADE', 'REFERENCE', 'REFERENCE_TRADE'] as const;

/** One pair: the buyer pays in `sellCurrency`, the goods are priced in `buyCurrency` (the merchant's view). */
export const CurrencyPair = lazy(() =>
  z.strictObject({
    sellCurrency: CurrencyCode(),
    buyCurrency: CurrencyCode(),
  }),
);

export const InquireExchangeRateRequest = lazy(() =>
  z.strictObject({
    /** The product of your contract: CASHIER_PAYMENT (one-time payments) or AGREEMENT_PAYMENT (auto debit). */
    productCode: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
    /** The currency the buyer pays in. */
    sellCurrency: CurrencyCode().optional(),
    /** The currency the goods are priced in. */
    buyCurrency: CurrencyCode().optional(),
    /** Several pairs at once, at most 100. */
    currencyPairs: z.array(CurrencyPair()).min(1, 'must hold at least 1 pair').max(100, 'must hold at most 100 pairs').optional(),
    rateType: z.enum(RATE_TYPES, { error: `must be one of ${RATE_TYPES.join(', ')}` }).optional(),
    merchantAccountId: MerchantAccountId().optional(),
    paymentCurrency: CurrencyCode().optional(),
  }),
);
export type InquireExchangeRateRequest = z.input<ReturnType<typeof InquireExchangeRateRequest>>;

/**
 * A rate ready to multiply by (the SDKs' PaymentQuote: "the final rate the merchant can multiply by directly, 15
 * decimal places"). `exchangeRate` is a rate, not money: a JSON number or a string, kept as sent (read it with
 * decimal.js, never as a float).
 */
export const PaymentQuote = lazy(() =>
  z.looseObject({
    sellCurrency: z.string().optional(),
    buyCurrency: z.string().optional(),
    quoteId: z.string().optional(),
    exchangeRate: z.union([z.string(), z.number()]).optional(),
  }),
);
export type PaymentQuote = z.infer<ReturnType<typeof PaymentQuote>>;

export const InquireExchangeRateResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    /** The rates; "may return the empty set" (a pair Antom does not quote is simply absent). */
    quotes: z.array(Quote()).default([]),
    paymentQuotes: z.array(PaymentQuote()).optional(),
  }),
);
export type InquireExchangeRateResponse = z.infer<ReturnType<typeof InquireExchangeRateResponse>>;
