// zod schemas and types for the notifications Alipay sends (notifyPayment, notifyRefund, notifyCapture), plus the generic fallback. Pure.
import { z } from 'zod';
import { ResponseAmount, Result } from '../schemas/common';

// Optional fields stay optional and unknown fields are kept (looseObject): a schema stricter than Alipay's own
// documentation would turn a genuine notification into a 400, retried for 24 hours and then lost.

/** notifyPayment: `PAYMENT_RESULT` (final: result.resultStatus S or F) or `PAYMENT_PENDING` (buyer paid, wait for the result). */
export const PaymentNotificationSchema = z.looseObject({
  notifyType: z.enum(['PAYMENT_RESULT', 'PAYMENT_PENDING']),
  result: Result,
  paymentRequestId: z.string().min(1),
  paymentId: z.string().min(1),
  paymentAmount: ResponseAmount,
  paymentCreateTime: z.string().optional(),
  /** Present when the payment reached success (result.resultStatus S). */
  paymentTime: z.string().optional(),
  /** Present when the settlement currency differs and the rate was locked at payment time. */
  grossSettlementAmount: ResponseAmount.optional(),
  settlementQuote: z.looseObject({}).optional(),
  customsDeclarationAmount: ResponseAmount.optional(),
  notifyUrl: z.string().optional(),
});

/**
 * The refund result as Antom documents it for notifyRefund (`SUCCESS` / `FAIL`); `S` / `F` as some AMS
 * references write it; any other string is kept rather than rejected.
 */
export type RefundStatus = 'SUCCESS' | 'FAIL' | 'S' | 'F' | (string & {});

/** notifyRefund: `REFUND_RESULT`, sent when a refund reaches success or failure. */
export const RefundNotificationSchema = z.looseObject({
  notifyType: z.literal('REFUND_RESULT'),
  result: Result,
  refundStatus: z.custom<RefundStatus>((v) => typeof v === 'string' && v.length > 0, {
    error: 'must be a non-empty string (SUCCESS or FAIL)',
  }),
  refundRequestId: z.string().min(1),
  refundId: z.string().min(1),
  refundAmount: ResponseAmount,
  /** Not in Antom's notifyRefund reference, but sent by some AMS products; kept when present. */
  paymentId: z.string().optional(),
  refundTime: z.string().optional(),
  grossSettlementAmount: ResponseAmount.optional(),
  settlementQuote: z.looseObject({}).optional(),
});

/** notifyCapture: `CAPTURE_RESULT`, sent when a capture (manual or automatic) succeeds or fails. */
export const CaptureNotificationSchema = z.looseObject({
  notifyType: z.literal('CAPTURE_RESULT'),
  /** S = captured, F = the capture failed; there is no U here. */
  result: Result,
  captureRequestId: z.string().min(1),
  paymentId: z.string().min(1),
  captureId: z.string().min(1),
  captureAmount: ResponseAmount,
  captureTime: z.string().optional(),
  acquirerReferenceNo: z.string().optional(),
});

/**
 * Any other notification: everything is kept as sent. `notifyType` may be absent: dispute, authorization and
 * vaulting notifications carry none (they say what they are in `disputeNotificationType`, `authorizationNotifyType`
 * or not at all), and a verified notification is never refused for lacking it.
 */
export const OtherNotificationSchema = z.looseObject({
  notifyType: z.string().optional(),
});

export const PAYMENT_NOTIFY_TYPES = ['PAYMENT_RESULT', 'PAYMENT_PENDING'] as const;
export const REFUND_NOTIFY_TYPES = ['REFUND_RESULT'] as const;
export const CAPTURE_NOTIFY_TYPES = ['CAPTURE_RESULT'] as const;

/**
 * What a payment notification means for the order, derived by this package. `paid`: PAYMENT_RESULT with resultStatus S.
 * `failed`: PAYMENT_RESULT with F. `pending`: PAYMENT_PENDING — the buyer completed the payment and the final result
 * is still to come; its resultStatus is S, which there means "processing", **not** paid. Ship on `paid` only.
 */
export type PaymentOutcome = 'paid' | 'failed' | 'pending';
/** What a refund or capture notification says: `succeeded` or `failed` (both final). */
export type SettledOutcome = 'succeeded' | 'failed';

/** A verified payment notification; `kind` and `outcome` are added by this package, every other field is Alipay's. */
export type PaymentNotification = z.infer<typeof PaymentNotificationSchema> & { kind: 'payment'; outcome: PaymentOutcome };
/** A verified refund notification; `kind` and `outcome` are added by this package, every other field is Alipay's. */
export type RefundNotification = z.infer<typeof RefundNotificationSchema> & { kind: 'refund'; outcome: SettledOutcome };
/** A verified capture notification; `kind` and `outcome` are added by this package, every other field is Alipay's. */
export type CaptureNotification = z.infer<typeof CaptureNotificationSchema> & { kind: 'capture'; outcome: SettledOutcome };
/** A verified notification of a type this package does not model (or without notifyType); nothing is dropped. */
export type OtherNotification = z.infer<typeof OtherNotificationSchema> & { kind: 'other' };

/** Switch on `kind` (`'payment' | 'refund' | 'capture' | 'other'`), then act on `outcome`. */
export type AmsNotification = PaymentNotification | RefundNotification | CaptureNotification | OtherNotification;
export type NotificationKind = AmsNotification['kind'];
