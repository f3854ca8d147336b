// zod schemas for createPaymentSession (Antom Checkout Page / Payment Element): the request we send and the answer. Pure.
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { Amount, CurrencyCode, Env, MerchantAccountId, PassedThrough, RequestText, Result, WireBoolean } from './common';
import { Order } from './pay';

const Url = lazy(() => z.string().min(1).max(2048).url('must be an absolute URL'));
const IsoTime = lazy(() => z.iso.datetime({ offset: true, error: 'must be ISO-8601 with an offset, e.g. 2026-01-01T12:00:00+08:00' }));

/** `CHECKOUT_PAYMENT` (hosted Checkout Page), `ELEMENT_PAYMENT` (embedded Payment Element); other scenes are kept as given. */
export type ProductScene = 'CHECKOUT_PAYMENT' | 'ELEMENT_PAYMENT' | (string & {});

/**
 * Every top-level field of the SDKs' createPaymentSession request (docs/request-fields.md lists each with its limit
 * and source). Fields beyond these are sent as given.
 */
export const PaymentSessionRequest = lazy(() =>
  z.looseObject({
    /** `CASHIER_PAYMENT` for one-time payments; `AGREEMENT_PAYMENT` (tokenized) is passed through unchanged. */
    productCode: z.string().min(1, 'is required: "CASHIER_PAYMENT" for a one-time payment').max(32),
    productScene: z
      .custom<ProductScene>((v) => typeof v === 'string' && v.length > 0 && v.length <= 32, {
        error: 'must be a string of at most 32 characters such as "CHECKOUT_PAYMENT"',
      })
      .optional(),
    /** Becomes the payment's paymentRequestId; the idempotency key of the session. */
    paymentRequestId: z.string().min(1).max(64, 'must be at most 64 characters'),
    order: Order(),
    paymentAmount: Amount(),
    /** Optional on the Checkout Page, where the buyer picks the method; the docs' variants disagree, so it is not required. */
    paymentMethod: z.looseObject({ paymentMethodType: z.string().min(1).max(64, 'must be at most 64 characters') }).optional(),
    /** Required by the card and APO variants of the docs, absent from others: optional here. */
    paymentRedirectUrl: Url().optional(),
    paymentNotifyUrl: Url().optional(),
    settlementStrategy: z.looseObject({ settlementCurrency: CurrencyCode() }).optional(),
    /** At most 1 hour after the call (the default when absent). */
    paymentSessionExpiryTime: IsoTime().optional(),
    /** When the payment itself expires (the SDKs carry it beside the session's expiry). */
    paymentExpiryTime: IsoTime().optional(),
    paymentFactor: z
      .looseObject({ isAuthorization: WireBoolean().optional(), captureMode: z.enum(['AUTOMATIC', 'MANUAL']).optional() })
      .optional(),
    env: Env().optional(),
    locale: z.string().max(8).optional(),
    userRegion: z.string().length(2).optional(),
    merchantRegion: z.string().length(2).optional(),
    /** 2-letter region codes or GLOBAL. */
    allowedPaymentMethodRegions: z.array(z.string().min(1).max(6, 'must be at most 6 characters')).optional(),
    /** Which of your merchant accounts, when one client id serves several locations. */
    merchantAccountId: MerchantAccountId().optional(),
    enableInstallmentCollection: WireBoolean().optional(),
    metadata: RequestText().optional(),
    /** Payment scopes (tokenized payments). */
    scopes: z.array(RequestText()).optional(),
    savedPaymentMethods: z.array(PassedThrough()).optional(),
    availablePaymentMethod: PassedThrough().optional(),
    processingAmount: Amount().optional(),
    paymentQuote: PassedThrough().optional(),
    creditPayPlan: PassedThrough().optional(),
    agreementInfo: PassedThrough().optional(),
    riskData: PassedThrough().optional(),
    subscriptionPlan: PassedThrough().optional(),
    subscriptionInfo: PassedThrough().optional(),
    subscription: PassedThrough().optional(),
    customizedInfo: PassedThrough().optional(),
  }),
);
export type PaymentSessionRequest = z.input<ReturnType<typeof PaymentSessionRequest>>;

export const PaymentSessionResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    /** Pass unchanged as `sessionData` to the web SDK (`@alipay/ams-checkout`); never parse or log it. */
    paymentSessionData: z.string().min(1),
    paymentSessionId: z.string().optional(),
    paymentSessionExpiryTime: z.string().optional(),
    /** The hosted Checkout Page: redirect the buyer here (CHECKOUT_PAYMENT). */
    normalUrl: z.string().optional(),
    /** Returned by some SDK versions as "the URL for payment session"; its use is unconfirmed. */
    url: z.string().optional(),
  }),
);
export type PaymentSessionResponse = z.infer<ReturnType<typeof PaymentSessionResponse>>;

/**
 * retrievePaymentSession: the one argument every official SDK sends (Antom's reference also takes `paymentSessionId`,
 * which no SDK models; it is not accepted here).
 */
export const RetrievePaymentSessionRequest = lazy(() =>
  z.strictObject({
    paymentRequestId: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  }),
);
export type RetrievePaymentSessionRequest = z.input<ReturnType<typeof RetrievePaymentSessionRequest>>;

/** The session's order after payment (the reference returns it for the Checkout Page and Element scenes). */
export const RetrievePaymentSessionResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    order: PassedThrough().optional(),
    /** In the Java SDK's model; not in the reference. */
    promotionResults: z.array(PassedThrough()).optional(),
    customizedInfo: z.string().optional(),
  }),
);
export type RetrievePaymentSessionResponse = z.infer<ReturnType<typeof RetrievePaymentSessionResponse>>;
