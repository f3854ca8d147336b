// zod schemas for the rest of a payment's life: inquiryPayment, cancel, refund, inquiryRefund. Pure.
import { z } from 'zod';
import { Amount, Result, ResponseAmount } from './common';

const Id = z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

export const PaymentStatus = z.enum(['SUCCESS', 'FAIL', 'PROCESSING', 'CANCELLED', 'PENDING']);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

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

export const RefundStatus = z.enum(['SUCCESS', 'FAIL', 'PROCESSING']);

export const InquiryRefundResponse = z.looseObject({
  result: Result,
  refundStatus: RefundStatus,
  refundId: z.string().optional(),
  refundRequestId: z.string().optional(),
  refundAmount: ResponseAmount.optional(),
  refundTime: z.string().optional(),
  grossSettlementAmount: ResponseAmount.optional(),
});
export type InquiryRefundResponse = z.infer<typeof InquiryRefundResponse>;
