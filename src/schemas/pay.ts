// zod schemas for `pay` with productCode CASHIER_PAYMENT: the request we send and the response we accept. Pure; built on first use.
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { Amount, CurrencyCode, Env, MerchantAccountId, PassedThrough, RequestText, Result, ResponseAmount, WireBoolean } from './common';

const Url = lazy(() =>
  z
    .string()
    .min(1)
    .max(2048)
    .url('must be an absolute URL')
    .regex(/^https?:\/\//i, 'must be an http(s) URL such as https://shop.example/return'),
);

export const Order = lazy(() =>
  z.looseObject({
    referenceOrderId: z.string().min(1).max(64, 'must be at most 64 characters'),
    orderDescription: z.string().min(1).max(256, 'must be at most 256 characters'),
    orderAmount: Amount(),
    /**
     * A string holding JSON, e.g. {"chinaExtraTransInfo":{…}} (build it with buildExtendInfo()), or that object:
     * `pay()` serializes it once and sends the string. Its content is checked by the extendInfo rules.
     */
    extendInfo: z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be a JSON string or an object' }).optional(),
    /** The cashier guide's sample requests put env here; the current API puts it at the top level. Either is accepted. */
    env: Env().optional(),
    /** The goods of the order, for risk control (Antom's `Goods`: referenceGoodsId, goodsName, goodsUnitAmount, …). */
    goods: z.array(PassedThrough()).max(100, 'must hold at most 100 items').optional(),
  }),
);

/**
 * The pay request: every top-level field of the SDKs' pay request (docs/request-fields.md lists each with its limit
 * and source). Fields beyond these are sent as given.
 */
export const PayRequest = lazy(() =>
  z.looseObject({
    productCode: z.literal('CASHIER_PAYMENT', { error: 'must be "CASHIER_PAYMENT" (this client implements the cashier flow)' }),
    paymentRequestId: z.string().min(1).max(64, 'must be at most 64 characters'),
    order: Order(),
    paymentAmount: Amount(),
    paymentMethod: z.looseObject({ paymentMethodType: z.string().min(1).max(64, 'must be at most 64 characters') }),
    paymentRedirectUrl: Url(),
    paymentNotifyUrl: Url().optional(),
    paymentExpiryTime: z.iso
      .datetime({ offset: true, error: 'must be ISO-8601 with an offset, e.g. 2026-01-01T12:00:00+08:00' })
      .optional(),
    env: Env().optional(),
    settlementStrategy: z.looseObject({ settlementCurrency: CurrencyCode() }).optional(),
    /** Antom's id of your mini program: required when env.terminalType is MINI_APP (a rule of api/pay.ts). */
    appId: z.string().min(1).max(32, 'must be at most 32 characters').optional(),
    /** Which of your merchant accounts, when one client id serves several locations. */
    merchantAccountId: MerchantAccountId().optional(),
    /** ISO 3166 country code; required for the Global Acquirer Gateway (GAGW). */
    merchantRegion: z.string().length(2).optional(),
    /** ISO 3166 country code of the buyer: sorts the Alipay+ cashier's wallets. */
    userRegion: z.string().length(2).optional(),
    paymentFactor: PassedThrough().optional(),
    isAuthorization: WireBoolean().optional(),
    dualOfflinePayment: WireBoolean().optional(),
    extendInfo: RequestText().optional(),
    metadata: RequestText().optional(),
    subscriptionId: RequestText().optional(),
    taxCalculationId: RequestText().optional(),
    processingAmount: Amount().optional(),
    paymentQuote: PassedThrough().optional(),
    agreementInfo: PassedThrough().optional(),
    subscriptionInfo: PassedThrough().optional(),
    creditPayPlan: PassedThrough().optional(),
    payToMethod: PassedThrough().optional(),
    merchant: PassedThrough().optional(),
    paymentVerificationData: PassedThrough().optional(),
    customizedInfo: PassedThrough().optional(),
  }),
);
export type PayRequest = z.input<ReturnType<typeof PayRequest>>;

export const RedirectActionForm = lazy(() =>
  z.looseObject({
    method: z.string(),
    /** A JSON string of form parameters, sent with the redirect. */
    parameters: z.string().optional(),
    redirectUrl: z.string(),
  }),
);

export const PayResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    paymentId: z.string().optional(),
    paymentRequestId: z.string().optional(),
    paymentAmount: ResponseAmount().optional(),
    paymentCreateTime: z.string().optional(),
    paymentTime: z.string().optional(),
    redirectActionForm: RedirectActionForm().optional(),
    normalUrl: z.string().optional(),
    schemeUrl: z.string().optional(),
    applinkUrl: z.string().optional(),
    appIdentifier: z.string().optional(),
    orderCodeForm: z.looseObject({}).optional(),
  }),
);
export type PayResponse = z.infer<ReturnType<typeof PayResponse>>;
