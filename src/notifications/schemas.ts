// zod schemas and types for the notifications Alipay sends (notifyPayment, notifyRefund, notifyCapture, notifyDispute), plus the generic fallback. Pure.
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { Quote, ReceivedBoolean, ResponseAmount, Result } from '../schemas/common';
import { openEnum, unknownValues, type Open, type UnknownValue } from '../schemas/open-enum';

// Optional fields stay optional, unknown fields and values are kept (looseObject, open enums): a schema stricter than
// Alipay's own documentation would turn a genuine notification into a 400, retried for 24 hours and then lost. Fields
// only a success carries are optional here; the types make them present once `outcome` says it succeeded.

/** notifyPayment: `PAYMENT_RESULT` (final: result.resultStatus S or F) or `PAYMENT_PENDING` (buyer paid, wait for the result). */
export const PaymentNotificationSchema = lazy(() =>
  z.looseObject({
    notifyType: z.enum(['PAYMENT_RESULT', 'PAYMENT_PENDING']),
    result: Result(),
    paymentRequestId: z.string().min(1),
    paymentId: z.string().min(1),
    paymentAmount: ResponseAmount(),
    paymentCreateTime: z.string().optional(),
    /** Present when the payment reached success (result.resultStatus S). */
    paymentTime: z.string().optional(),
    /** Present when the settlement currency differs and the rate was locked at payment time. */
    grossSettlementAmount: ResponseAmount().optional(),
    settlementQuote: Quote().optional(),
    /** ALIPAY_CN, when successful: the amount to declare to customs, in CNY. */
    customsDeclarationAmount: ResponseAmount().optional(),
    paymentMethodType: z.string().optional(),
    acquirerReferenceNo: z.string().optional(),
    paymentResultInfo: z.looseObject({}).optional(),
    notifyUrl: z.string().optional(),
  }),
);

/** The refund statuses: `SUCCESS` / `FAIL` (Antom's notifyRefund reference), `S` / `F` (some AMS pages write these). */
export const REFUND_STATUSES = ['SUCCESS', 'FAIL', 'S', 'F'] as const;
/** A refund status as sent; any value but these is kept and never counted as a success. */
export type RefundStatus = Open<(typeof REFUND_STATUSES)[number]>;

/** notifyRefund: `REFUND_RESULT`, sent when a refund reaches success or failure. */
export const RefundNotificationSchema = lazy(() =>
  z.looseObject({
    notifyType: z.literal('REFUND_RESULT'),
    result: Result(),
    refundStatus: openEnum(REFUND_STATUSES).optional(),
    refundRequestId: z.string().min(1),
    /** Present on a refund that succeeded (the type says so once `outcome` is `succeeded`). */
    refundId: z.string().min(1).optional(),
    refundAmount: ResponseAmount().optional(),
    /** Not in Antom's notifyRefund reference, but sent by some AMS products; kept when present. */
    paymentId: z.string().optional(),
    refundTime: z.string().optional(),
    grossSettlementAmount: ResponseAmount().optional(),
    settlementQuote: Quote().optional(),
    arn: z.string().optional(),
    actualRefundAmount: ResponseAmount().optional(),
    metadata: z.string().optional(),
  }),
);

/** notifyCapture: `CAPTURE_RESULT`, sent when a capture (manual or automatic) succeeds or fails. */
export const CaptureNotificationSchema = lazy(() =>
  z.looseObject({
    notifyType: z.literal('CAPTURE_RESULT'),
    /** S = captured, F = the capture failed; there is no U here. */
    result: Result(),
    captureRequestId: z.string().min(1),
    paymentId: z.string().min(1),
    /** Present on a capture that succeeded (a failed CAPTURE_RESULT has none; the type says so once `outcome` is `succeeded`). */
    captureId: z.string().min(1).optional(),
    captureAmount: ResponseAmount().optional(),
    captureTime: z.string().optional(),
    acquirerReferenceNo: z.string().optional(),
    acquirerInfo: z.looseObject({}).optional(),
    paymentResultInfo: z.looseObject({}).optional(),
  }),
);

/** What a dispute notification announces (Antom's notifyDispute reference; DISPUTE_ACCEPTED from the SDKs' enum). */
export const DISPUTE_NOTIFICATION_TYPES = [
  'DISPUTE_CREATED',
  'DEFENSE_DUE_ALERT',
  'DEFENSE_SUPPLIED',
  'DISPUTE_ACCEPTED',
  'DISPUTE_JUDGED',
  'DISPUTE_CANCELLED',
  'RDR_RESOLVED',
] as const;
export type DisputeNotificationType = Open<(typeof DISPUTE_NOTIFICATION_TYPES)[number]>;
/**
 * Who bears a judged dispute: ACCEPT_BY_CUSTOMER (the buyer: the frozen funds are yours again), ACCEPT_BY_MERCHANT
 * (you: the amount is taken from your settlement and returned to the buyer); VALIDATE_SUCCESS / VALIDATE_FAIL judge the
 * documents of a compliance request, not the money.
 */
export const DISPUTE_JUDGED_RESULTS = ['ACCEPT_BY_CUSTOMER', 'ACCEPT_BY_MERCHANT', 'VALIDATE_SUCCESS', 'VALIDATE_FAIL'] as const;
/** Why a dispute was accepted: by you (acceptDispute), by the deadline passing, or by Antom's operations (the SDKs' enum). */
export const DISPUTE_ACCEPT_REASONS = ['MERCHANT_ACCEPTED', 'TIMEOUT', 'MANUAL_PROCESSING_ACCEPTED'] as const;
export const DISPUTE_TYPES = ['CHARGEBACK', 'RETRIEVAL_REQUEST', 'COMPLIANCE_REQUEST'] as const;

/**
 * notifyDispute: no `notifyType`; recognised by `disputeId` and `disputeNotificationType`. Fields as Antom's notifyDispute
 * reference and the official SDKs' `AlipayDisputeNotify` give them; only the three ids and the type are required.
 */
export const DisputeNotificationSchema = lazy(() =>
  z.looseObject({
    /** Never present in a notifyDispute; kept as sent if Antom ever adds one. */
    notifyType: z.string().optional(),
    disputeId: z.string().min(1),
    disputeNotificationType: openEnum(DISPUTE_NOTIFICATION_TYPES),
    paymentId: z.string().min(1),
    paymentRequestId: z.string().min(1),
    disputeTime: z.string().optional(),
    /** The disputed amount (sent when the dispute is created). */
    disputeAmount: ResponseAmount().optional(),
    disputeReasonCode: z.string().optional(),
    disputeReasonMsg: z.string().optional(),
    /** The card scheme or bank that raised it (Mastercard, Shinhan, …). */
    disputeSource: z.string().optional(),
    disputeType: openEnum(DISPUTE_TYPES).optional(),
    /** The deadline to defend or accept (sent with DISPUTE_CREATED and DEFENSE_DUE_ALERT). */
    defenseDueTime: z.string().optional(),
    /** Whether a defense can be supplied; documented as a boolean, read from `true` / `"true"` (any other text kept). */
    defendable: ReceivedBoolean().optional(),
    disputeJudgedTime: z.string().optional(),
    /** The amount charged back, when judged. */
    disputeJudgedAmount: ResponseAmount().optional(),
    disputeJudgedResult: openEnum(DISPUTE_JUDGED_RESULTS).optional(),
    disputeAcceptReason: openEnum(DISPUTE_ACCEPT_REASONS).optional(),
    disputeAcceptTime: z.string().optional(),
    arn: z.string().optional(),
    captureId: z.string().optional(),
    autoDefendReason: z.string().optional(),
    acquirerInfo: z.looseObject({}).optional(),
  }),
);

/**
 * Any other notification: everything is kept as sent. `notifyType` may be absent: authorization and vaulting
 * notifications carry none (they say what they are in `authorizationNotifyType` or not at all), and a verified
 * notification is never refused for lacking it.
 */
export const OtherNotificationSchema = lazy(() =>
  z.looseObject({
    notifyType: z.string().optional(),
  }),
);

export const PAYMENT_NOTIFY_TYPES = ['PAYMENT_RESULT', 'PAYMENT_PENDING'] as const;
export const REFUND_NOTIFY_TYPES = ['REFUND_RESULT'] as const;
export const CAPTURE_NOTIFY_TYPES = ['CAPTURE_RESULT'] as const;

/**
 * What a payment notification means for the order, derived by this package. `paid`: PAYMENT_RESULT with resultStatus S.
 * `failed`: PAYMENT_RESULT with F. `pending`: PAYMENT_PENDING — the buyer completed the payment and the final result
 * is still to come; its resultStatus is S, which there means "processing", **not** paid. Ship on `paid` only.
 */
export type PaymentOutcome = 'paid' | 'failed' | 'pending';
/**
 * What a refund or capture notification says: `succeeded`, `failed` (both final), or `pending` for anything not
 * known to be final (a U, a status this version does not know): never counted as a success.
 */
export type SettledOutcome = 'succeeded' | 'failed' | 'pending';

/** A verified payment notification; `kind` and `outcome` are added by this package, every other field is Alipay's. */
export type PaymentNotification = z.infer<ReturnType<typeof PaymentNotificationSchema>> & { kind: 'payment'; outcome: PaymentOutcome };

type RefundFields = z.infer<ReturnType<typeof RefundNotificationSchema>>;
/**
 * A verified refund notification; `kind` and `outcome` are added by this package, every other field is Alipay's.
 * Once `outcome` is `succeeded`, `refundId` and `refundAmount` are there.
 */
export type RefundNotification = RefundFields & { kind: 'refund' } & (
    { outcome: 'succeeded'; refundId: string; refundAmount: ResponseAmount } | { outcome: 'failed' | 'pending' }
  );

type CaptureFields = z.infer<ReturnType<typeof CaptureNotificationSchema>>;
/**
 * A verified capture notification; `kind` and `outcome` are added by this package, every other field is Alipay's.
 * Once `outcome` is `succeeded`, `captureId` and `captureAmount` are there.
 */
export type CaptureNotification = CaptureFields & { kind: 'capture' } & (
    { outcome: 'succeeded'; captureId: string; captureAmount: ResponseAmount } | { outcome: 'failed' | 'pending' }
  );

/**
 * What a dispute notification means for you, derived by this package:
 * - `respond`: DISPUTE_CREATED or DEFENSE_DUE_ALERT. Act before `respondBy` (the `defenseDueTime` sent): defend with
 *   `supplyDefenseDocument` or accept with `acceptDispute`; past it Antom accepts it for you (you lose).
 * - `defended`: DEFENSE_SUPPLIED. Your document is in; wait for DISPUTE_JUDGED.
 * - `won`: DISPUTE_JUDGED with ACCEPT_BY_CUSTOMER, or DISPUTE_CANCELLED (the buyer withdrew): the frozen funds are yours.
 * - `lost`: DISPUTE_JUDGED with ACCEPT_BY_MERCHANT, DISPUTE_ACCEPTED (by you, or by the deadline passing), or
 *   RDR_RESOLVED (refunded through rapid dispute resolution): the amount goes back to the buyer.
 * - `pending`: anything else (a type or judged result this version does not know, a judgement without its result, a
 *   compliance document check): not final, nothing to conclude; the unknown value is logged.
 */
export type DisputeOutcome = 'respond' | 'defended' | 'won' | 'lost' | 'pending';

/** What this package adds to a dispute notification: `kind`, `outcome`, and `respondBy` when it asks for an answer. */
export type DisputeDerived = { kind: 'dispute' } & (
  | {
      outcome: 'respond';
      /** The `defenseDueTime` Antom sent: defend or accept before it. Undefined when Antom did not send one: act now. */
      respondBy: string | undefined;
    }
  | { outcome: Exclude<DisputeOutcome, 'respond'> }
);

/** A verified dispute notification: every field is Antom's but those of DisputeDerived. */
export type DisputeNotification = z.infer<ReturnType<typeof DisputeNotificationSchema>> & DisputeDerived;

/** A verified notification of a type this package does not model (or without notifyType); nothing is dropped. */
export type OtherNotification = z.infer<ReturnType<typeof OtherNotificationSchema>> & { kind: 'other' };

/** Switch on `kind` (`'payment' | 'refund' | 'capture' | 'dispute' | 'other'`), then act on `outcome`. */
export type AmsNotification = PaymentNotification | RefundNotification | CaptureNotification | DisputeNotification | OtherNotification;
export type NotificationKind = AmsNotification['kind'];

/** The values of a notification's open-enum fields that this version does not know (for a warning, never a refusal). */
export function notificationUnknownValues(n: AmsNotification): UnknownValue[] {
  const schema =
    n.kind === 'payment'
      ? PaymentNotificationSchema()
      : n.kind === 'refund'
        ? RefundNotificationSchema()
        : n.kind === 'capture'
          ? CaptureNotificationSchema()
          : n.kind === 'dispute'
            ? DisputeNotificationSchema()
            : OtherNotificationSchema();
  return unknownValues(schema, n);
}

/** What a notification is, for logs and job names: its notifyType, or a dispute's disputeNotificationType (at most 64 characters). */
export function notificationLabel(n: AmsNotification): string {
  const label = n.kind === 'dispute' ? (n.notifyType ?? n.disputeNotificationType) : (n.notifyType ?? 'notification');
  return label.slice(0, 64);
}
