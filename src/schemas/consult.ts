// zod schemas for consult: which payment methods can take an amount in a currency on a terminal. Pure.
import { z } from 'zod';
import { Amount, Env, Result, WireBoolean } from './common';

export const ConsultRequest = z.looseObject({
  productCode: z.string().min(1, 'is required: "CASHIER_PAYMENT" for a one-time payment').max(32),
  paymentAmount: Amount,
  env: Env,
  merchantRegion: z.string().length(2).optional(),
  merchantAccountId: z.string().max(32).optional(),
  userRegion: z.string().length(2).optional(),
  allowedPaymentMethodRegions: z.array(z.string().min(1).max(6)).optional(),
  settlementStrategy: z.looseObject({}).optional(),
});
export type ConsultRequest = z.input<typeof ConsultRequest>;

const LimitAmount = z.looseObject({ currency: z.string(), value: z.string() });
const Limit = z.looseObject({ maxAmount: LimitAmount.optional(), minAmount: LimitAmount.optional(), remainAmount: LimitAmount.optional() });

/** One payment method as consult describes it; fields beyond these are kept as sent. */
export const PaymentOption = z.looseObject({
  paymentMethodType: z.string(),
  /** ALIPAY_PLUS, WALLET, MOBILE_BANKING_APP, BANK_TRANSFER, ONLINE_BANKING, CARD, OTC, VA, or another string. */
  paymentMethodCategory: z.string().optional(),
  paymentMethodRegion: z.array(z.string()).optional(),
  enabled: WireBoolean.optional(),
  preferred: WireBoolean.optional(),
  /** Why a method is not enabled, e.g. CHANNEL_NOT_SUPPORT_CURRENCY, EXCEED_CHANNEL_LIMIT_RULE. */
  disableReason: z.string().optional(),
  supportedCurrencies: z.array(z.string()).optional(),
  amountLimitInfoMap: z
    .record(z.string(), z.looseObject({ singleLimit: Limit.optional(), dayLimit: Limit.optional(), monthLimit: Limit.optional() }))
    .optional(),
  logo: z.looseObject({ logoName: z.string().optional(), logoUrl: z.string().optional() }).optional(),
  paymentOptionDetail: z.looseObject({}).optional(),
});
export type PaymentOption = z.infer<typeof PaymentOption>;

export const ConsultResponse = z.looseObject({
  result: Result,
  paymentOptions: z.array(PaymentOption).default([]),
  /** Returned by the tokenized consult (unconfirmed); kept as sent. */
  paymentMethodInfos: z.array(z.looseObject({})).optional(),
  extendInfo: z.string().optional(),
});
export type ConsultResponse = z.infer<typeof ConsultResponse>;
