// zod schemas for the rest of a payment's life: inquiryPayment, cancel, refund, inquiryRefund. Pure.
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { Amount, MerchantAccountId, PassedThrough, Quote, RequestText, Result, ResponseAmount, WireBoolean } from './common';
import { openEnum, type Open } from './open-enum';

const Id = lazy(() => z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'));

/** The statuses a payment, refund or capture has (the SDKs' TransactionStatusType). */
export const TRANSACTION_STATUSES = ['SUCCESS', 'FAIL', 'PROCESSING', 'CANCELLED', 'PENDING'] as const;
export type KnownPaymentStatus = (typeof TRANSACTION_STATUSES)[number];
/** A documented status or one Antom adds later (kept, never treated as final). */
export type PaymentStatus = Open<KnownPaymentStatus>;
export const PaymentStatus = lazy(() => openEnum(TRANSACTION_STATUSES));
/** The kinds of transaction a payment's `transactions[]` lists (the SDKs' TransactionType). */
export const TRANSACTION_TYPES = ['PAYMENT', 'REFUND', 'CAPTURE', 'CANCEL', 'AUTHORIZATION', 'VOID', 'INCREMENTAL'] as const;

/** One transaction of a payment (its captures, refunds, cancel), as inquiryPayment lists them. */
export const Transaction = lazy(() =>
  z.looseObject({
    transactionResult: Result().optional(),
    transactionId: z.string().optional(),
    transactionType: openEnum(TRANSACTION_TYPES).optional(),
    transactionStatus: openEnum(TRANSACTION_STATUSES).optional(),
    transactionAmount: ResponseAmount().optional(),
    transactionRequestId: z.string().optional(),
    transactionTime: z.string().optional(),
    grossSettlementAmount: ResponseAmount().optional(),
    settlementQuote: Quote().optional(),
  }),
);
export type Transaction = z.infer<ReturnType<typeof Transaction>>;

/** Identifies a payment by exactly one of its ids. */
export type PaymentRef = ({ paymentRequestId: string; paymentId?: never } | { paymentId: string; paymentRequestId?: never }) & AccountRef;
export type RefundRef = ({ refundRequestId: string; refundId?: never } | { refundId: string; refundRequestId?: never }) & AccountRef;

/** `merchantAccountId`: which of your merchant accounts, "when you use a single client ID across multiple locations". */
export interface AccountRef {
  merchantAccountId?: string | undefined;
}

/** inquiryPayment and cancel: the ids (exactly one is the rule of api/lifecycle.ts) and the merchant account. */
export const PaymentRefSchema = lazy(() =>
  z.strictObject({
    paymentRequestId: Id().optional(),
    paymentId: Id().optional(),
    merchantAccountId: MerchantAccountId().optional(),
  }),
);
/** inquiryRefund: the ids (exactly one) and the merchant account. */
export const RefundRefSchema = lazy(() =>
  z.strictObject({
    refundRequestId: Id().optional(),
    refundId: Id().optional(),
    merchantAccountId: MerchantAccountId().optional(),
  }),
);

export const InquiryPaymentResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    paymentStatus: PaymentStatus(),
    paymentResultCode: z.string().optional(),
    paymentResultMessage: z.string().optional(),
    paymentRequestId: z.string().optional(),
    paymentId: z.string().optional(),
    paymentAmount: ResponseAmount().optional(),
    paymentCreateTime: z.string().optional(),
    paymentTime: z.string().optional(),
    grossSettlementAmount: ResponseAmount().optional(),
    settlementQuote: Quote().optional(),
    /** ALIPAY_CN: the amount to declare to customs, in CNY (`declare` takes it as `declarationAmount`). */
    customsDeclarationAmount: ResponseAmount().optional(),
    paymentMethodType: z.string().optional(),
    /** The payment's captures, refunds and cancel, each with its own status. */
    transactions: z.array(Transaction()).optional(),
    acquirerReferenceNo: z.string().optional(),
  }),
);
export type InquiryPaymentResponse = z.infer<ReturnType<typeof InquiryPaymentResponse>>;

export const CancelResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    paymentId: z.string().optional(),
    paymentRequestId: z.string().optional(),
    cancelTime: z.string().optional(),
  }),
);
export type CancelResponse = z.infer<ReturnType<typeof CancelResponse>>;

/** Where a marketplace refund's money comes from (the SDKs' RefundFromType). */
export const REFUND_FROM = Object.freeze(['SELLER', 'MARKETPLACE', 'UNSETTLED_FUNDS'] as const);

/** Every field of the refund request the SDKs model; docs/request-fields.md lists each with its limit and source. */
export const RefundRequest = lazy(() =>
  z.strictObject({
    /** Your idempotency key for this refund: the same id never refunds twice. */
    refundRequestId: Id(),
    paymentId: Id(),
    /** Your own id for the refund, for your records and reconciliation. */
    referenceRefundId: Id().optional(),
    refundAmount: Amount(),
    refundReason: z.string().max(256, 'must be at most 256 characters').optional(),
    refundNotifyUrl: z.string().max(1024, 'must be at most 1024 characters').url('must be an absolute URL').optional(),
    /** The capture the refund is about (the `captureId` capture answered): the SDKs carry no text for it. */
    captureId: Id().optional(),
    /** By its name, asks for an asynchronous refund (result by notifyRefund or inquiryRefund); the SDKs carry no text for it. */
    isAsyncRefund: WireBoolean().optional(),
    /** A string holding JSON, as the SDKs type it. */
    extendInfo: RequestText().optional(),
    /** A string, as the SDKs type it. */
    metadata: RequestText().optional(),
    /** Marketplaces: how much of the refund comes from whom. */
    refundDetails: z
      .array(
        z.strictObject({ refundAmount: Amount(), refundFrom: z.enum(REFUND_FROM, { error: `must be one of ${REFUND_FROM.join(', ')}` }) }),
      )
      .min(1, 'must hold at least 1 entry')
      .optional(),
    /** The amount actually refunded to the buyer, where it differs from refundAmount (shape from the SDKs; use unconfirmed). */
    actualRefundAmount: Amount().optional(),
    /** Refunds to a bank account (shape from the SDKs: bankCode, accountHolderName, accountNo): passed through. */
    refundToBankInfo: PassedThrough().optional(),
    refundSourceAccountNo: RequestText().optional(),
    /** customizedField1 … customizedField5: passed through. */
    customizedInfo: PassedThrough().optional(),
  }),
);
export type RefundRequest = z.input<ReturnType<typeof RefundRequest>>;

export const RefundResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    refundRequestId: z.string().optional(),
    refundId: z.string().optional(),
    paymentId: z.string().optional(),
    refundAmount: ResponseAmount().optional(),
    refundTime: z.string().optional(),
    grossSettlementAmount: ResponseAmount().optional(),
  }),
);
export type RefundResponse = z.infer<ReturnType<typeof RefundResponse>>;

/** A refund's status: the SDKs type it as TransactionStatusType (PENDING and CANCELLED included); any other is kept. */
export const RefundStatus = lazy(() => openEnum(TRANSACTION_STATUSES));

export const InquiryRefundResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    refundStatus: RefundStatus(),
    refundId: z.string().optional(),
    refundRequestId: z.string().optional(),
    refundAmount: ResponseAmount().optional(),
    refundTime: z.string().optional(),
    grossSettlementAmount: ResponseAmount().optional(),
    settlementQuote: Quote().optional(),
  }),
);
export type InquiryRefundResponse = z.infer<ReturnType<typeof InquiryRefundResponse>>;
