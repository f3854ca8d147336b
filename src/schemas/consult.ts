// zod schemas for consult: which payment methods can take an amount in a currency on a terminal. Pure.
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { openEnum } from './open-enum';
import { Amount, CurrencyCode, Env, MerchantAccountId, PassedThrough, ReceivedBoolean, RequestText, Result } from './common';

/**
 * Every top-level field of the SDKs' consult request (docs/request-fields.md lists each with its limit and source).
 * Fields beyond these are sent as given.
 */
export const ConsultRequest = lazy(() =>
  z.looseObject({
    productCode: z.string().min(1, 'is required: "CASHIER_PAYMENT" for a one-time payment').max(32),
    paymentAmount: Amount(),
    env: Env(),
    merchantRegion: z.string().length(2).optional(),
    merchantAccountId: MerchantAccountId().optional(),
    userRegion: z.string().length(2).optional(),
    /** 2-letter region codes or GLOBAL. */
    allowedPaymentMethodRegions: z.array(z.string().min(1).max(6, 'must be at most 6 characters')).optional(),
    settlementStrategy: z.looseObject({ settlementCurrency: CurrencyCode().optional() }).optional(),
    allowedPaymentMethods: z.array(RequestText()).optional(),
    blockedPaymentMethods: z.array(RequestText()).optional(),
    allowedPspRegions: z.array(RequestText()).optional(),
    region: RequestText().optional(),
    customerId: RequestText().optional(),
    referenceUserId: RequestText().optional(),
    extendInfo: RequestText().optional(),
    paymentFactor: PassedThrough().optional(),
    paymentEvaluation: PassedThrough().optional(),
    merchant: PassedThrough().optional(),
    buyer: PassedThrough().optional(),
  }),
);
export type ConsultRequest = z.input<ReturnType<typeof ConsultRequest>>;

const LimitAmount = lazy(() => z.looseObject({ currency: z.string(), value: z.string() }));
const Limit = lazy(() =>
  z.looseObject({ maxAmount: LimitAmount().optional(), minAmount: LimitAmount().optional(), remainAmount: LimitAmount().optional() }),
);

/** One payment method as consult describes it; fields beyond these are kept as sent. */
export const PaymentOption = lazy(() =>
  z.looseObject({
    paymentMethodType: z.string(),
    /** ALIPAY_PLUS, WALLET, MOBILE_BANKING_APP, BANK_TRANSFER, ONLINE_BANKING, CARD, OTC, VA, or another string. */
    paymentMethodCategory: openEnum([
      'ALIPAY_PLUS',
      'WALLET',
      'MOBILE_BANKING_APP',
      'BANK_TRANSFER',
      'ONLINE_BANKING',
      'CARD',
      'OTC',
      'VA',
    ]).optional(),
    paymentMethodRegion: z.array(z.string()).optional(),
    enabled: ReceivedBoolean().optional(),
    preferred: ReceivedBoolean().optional(),
    /** Why a method is not enabled, e.g. CHANNEL_NOT_SUPPORT_CURRENCY, EXCEED_CHANNEL_LIMIT_RULE. */
    disableReason: z.string().optional(),
    supportedCurrencies: z.array(z.string()).optional(),
    amountLimitInfoMap: z
      .record(z.string(), z.looseObject({ singleLimit: Limit().optional(), dayLimit: Limit().optional(), monthLimit: Limit().optional() }))
      .optional(),
    logo: z.looseObject({ logoName: z.string().optional(), logoUrl: z.string().optional() }).optional(),
    paymentOptionDetail: z.looseObject({}).optional(),
  }),
);
export type PaymentOption = z.infer<ReturnType<typeof PaymentOption>>;

export const ConsultResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    paymentOptions: z.array(PaymentOption()).default([]),
    /** Returned by the tokenized consult (unconfirmed); kept as sent. */
    paymentMethodInfos: z.array(z.looseObject({})).optional(),
    extendInfo: z.string().optional(),
  }),
);
export type ConsultResponse = z.infer<ReturnType<typeof ConsultResponse>>;
