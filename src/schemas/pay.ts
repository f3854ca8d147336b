// zod schemas for `pay` with productCode CASHIER_PAYMENT: the request we send and the response we accept. Pure.
import { z } from 'zod';
import { Amount, CurrencyCode, Env, Result, ResponseAmount } from './common';

const Url = z
  .string()
  .min(1)
  .max(2048)
  .url('must be an absolute URL')
  .regex(/^https?:\/\//i, 'must be an http(s) URL such as https://shop.example/return');

export const Order = z.looseObject({
  referenceOrderId: z.string().min(1).max(64),
  orderDescription: z.string().min(1).max(256),
  orderAmount: Amount,
  /**
   * A string holding JSON, e.g. {"chinaExtraTransInfo":{…}} (build it with buildExtendInfo()), or that object:
   * `pay()` serializes it once and sends the string. Its content is checked by the extendInfo rules.
   */
  extendInfo: z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be a JSON string or an object' }).optional(),
  /** The cashier guide's sample requests put env here; the current API puts it at the top level. Either is accepted. */
  env: Env.optional(),
});

export const PayRequest = z.looseObject({
  productCode: z.literal('CASHIER_PAYMENT', { error: 'must be "CASHIER_PAYMENT" (this client implements the cashier flow)' }),
  paymentRequestId: z.string().min(1).max(64, 'must be at most 64 characters'),
  order: Order,
  paymentAmount: Amount,
  paymentMethod: z.looseObject({ paymentMethodType: z.string().min(1) }),
  paymentRedirectUrl: Url,
  paymentNotifyUrl: Url.optional(),
  paymentExpiryTime: z.iso.datetime({ offset: true, error: 'must be ISO-8601 with an offset, e.g. 2026-01-01T12:00:00+08:00' }).optional(),
  env: Env.optional(),
  settlementStrategy: z.looseObject({ settlementCurrency: CurrencyCode }).optional(),
});
export type PayRequest = z.input<typeof PayRequest>;

export const RedirectActionForm = z.looseObject({
  method: z.string(),
  /** A JSON string of form parameters, sent with the redirect. */
  parameters: z.string().optional(),
  redirectUrl: z.string(),
});

export const PayResponse = z.looseObject({
  result: Result,
  paymentId: z.string().optional(),
  paymentRequestId: z.string().optional(),
  paymentAmount: ResponseAmount.optional(),
  paymentCreateTime: z.string().optional(),
  paymentTime: z.string().optional(),
  redirectActionForm: RedirectActionForm.optional(),
  normalUrl: z.string().optional(),
  schemeUrl: z.string().optional(),
  applinkUrl: z.string().optional(),
  appIdentifier: z.string().optional(),
  orderCodeForm: z.looseObject({}).optional(),
});
export type PayResponse = z.infer<typeof PayResponse>;
