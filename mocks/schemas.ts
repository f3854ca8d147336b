// What the gateway accepts for inquiryPayment, cancel, refund and inquiryRefund (pay reuses the client's own rules).
import { z } from 'zod';
import { Amount } from '../src/schemas/common';

const Id = z.string().min(1).max(64, 'must be at most 64 characters');
const Url = z.string().min(1).max(2048).url('must be an absolute URL');

/** inquiryPayment and cancel: `paymentRequestId` or `paymentId` (at least one). */
export const PaymentLookup = z
  .looseObject({ paymentRequestId: Id.optional(), paymentId: Id.optional() })
  .refine((v) => v.paymentRequestId !== undefined || v.paymentId !== undefined, {
    message: 'one of paymentRequestId or paymentId is required',
    path: ['paymentRequestId'],
  });

export const RefundRequest = z.looseObject({
  refundRequestId: Id,
  paymentId: Id,
  refundAmount: Amount(),
  refundReason: z.string().max(256).optional(),
  refundNotifyUrl: Url.optional(),
  refundRequestTime: z.string().optional(),
});

/** inquiryRefund: `refundRequestId` or `refundId` (at least one). */
export const RefundLookup = z
  .looseObject({ refundRequestId: Id.optional(), refundId: Id.optional() })
  .refine((v) => v.refundRequestId !== undefined || v.refundId !== undefined, {
    message: 'one of refundRequestId or refundId is required',
    path: ['refundRequestId'],
  });
