// zod schemas for the rest of a payment's life: inquiryPayment, cancel, refund, inquiryRefund. Pure.
import { z } from 'zod';
import { Amount, Quote, Result, ResponseAmount } from './common';
import { openEnum, type Open } from './open-enum';

const Id = z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

/** The statuses a payment, refund or capture has (the SDKs' TransactionStatusType). */
export const TRANSACTION_STATUSES = ['SUCCESS', 'FAIL', 'PROCESSING', 'CANCELLED', 'PENDING'] as const;
export type KnownPaymentStatus = (typeof TRANSACTION_STATUSES)[number];
/** A documented status or one Antom adds later (kept, never treated as final). */
export type PaymentStatus = Open<KnownPaymentStatus>;
export const PaymentStatus = openEnum(TRANSACTION_STATUSES);
/** The kinds of transaction a payment's `transactions[]` lists (the SDKs' TransactionType). */
export const TRANSACTION_TYPES = ['PAYMENT', 'REFUND', 'CAPTURE', 'CANCEL', 'AUTHORIZATION', 'VOID', 'INCREMENTAL'] as const;

/** One transaction of a payment (its captures, refunds, cancel), as inquiryPayment lists them. */
export const Transaction = z.looseObject({
  transactionResult: Result.optional(),
  transactionId: z.string().optional(),
  transactionType: openEnum(TRANSACTION_TYPES).optional(),
  transactionStatus: openEnum(TRANSACTION_STATUSES).optional(),
  transactionAmount: ResponseAmount.optional(),
  transactionRequestId: z.string().optional(),
  transactionTime: z.string().optional(),
  grossSettlementAmount: ResponseAmount.optional(),
  settlementQuote: Quote.optional(),
});
export type Transaction = z.infer<typeof Transaction>;

/** Identifies a payment by exactly one of its ids. */
export type PaymentRef = { paymentRequestId: string; paymentId?: never } | { paymentId: string; paymentRequestId?: never };
export type RefundRef = { refundRequestId: string; refundId?: never } | { refundId: string; refundRequestId?: never };

export const PaymentRefSchema = z.strictObject({ paymentRequestId: Id.optional(), paymentId: Id.optional() });
export const RefundRefSchema = z.strictObject({ refundRequestId: Id.optional(), refundId: Id.optional() });

export const InquiryPaymentResponse = z.looseObject({
  result: Result,
  paymentStatus: PaymentStatus,
  paymentResultCode: z.string().optional(),
  paymentResultMessage: z.string().optional(),
  paymentRequestId: z.string().optional(),
  paymentId: z.string().optional(),
  paymentAmount: ResponseAmount.optional(),
  paymentCreateTime: z.string().optional(),
  paymentTime: z.string().optional(),
  grossSettlementAmount: ResponseAmount.optional(),
  settlementQuote: Quote.optional(),
  /** ALIPAY_CN: the amount to declare to customs, in CNY (`declare` takes it as `declarationAmount`). */
  customsDeclarationAmount: ResponseAmount.optional(),
  paymentMethodType: z.string().optional(),
  /** The payment's captures, refunds and cancel, each with its own status. */
  transactions: z.array(Transaction).optional(),
  acquirerReferenceNo: z.string().optional(),
});
export type InquiryPaymentResponse = z.infer<typeof InquiryPaymentResponse>;

export const CancelResponse = z.looseObject({
  result: Result,
  paymentId: z.string().optional(),
  paymentRequestId: z.string().optional(),
  cancelTime: z.string().optional(),
});
export type CancelResponse = z.infer<typeof CancelResponse>;

export const RefundRequest = z.strictObject({
  /** Your idempotency key for this refund: the same id never refunds twice. */
  refundRequestId: Id,
  paymentId: Id,
  refundAmount: Amount,
  refundReason: z.string().max(256).optional(),
  refundNotifyUrl: z.string().max(2048).url('must be an absolute URL').optional(),
});
export type RefundRequest = z.input<typeof RefundRequest>;

export const RefundResponse = z.looseObject({
  result: Result,
  refundRequestId: z.string().optional(),
  refundId: z.string().optional(),
  paymentId: z.string().optional(),
  refundAmount: ResponseAmount.optional(),
  refundTime: z.string().optional(),
  grossSettlementAmount: ResponseAmount.optional(),
});
export type RefundResponse = z.infer<typeof RefundResponse>;

/** A refund's status: the SDKs type it as TransactionStatusType (PENDING and CANCELLED included); any other is kept. */
export const RefundStatus = openEnum(TRANSACTION_STATUSES);

export const InquiryRefundResponse = z.looseObject({
  result: Result,
  refundStatus: RefundStatus,
  refundId: z.string().optional(),
  refundRequestId: z.string().optional(),
  refundAmount: ResponseAmount.optional(),
  refundTime: z.string().optional(),
  grossSettlementAmount: ResponseAmount.optional(),
  settlementQuote: Quote.optional(),
});
export type InquiryRefundResponse = z.infer<typeof InquiryRefundResponse>;
