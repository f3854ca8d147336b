// zod schemas for the customs declaration APIs (ALIPAY_CN cross-border e-commerce): declare and inquiryDeclarationRequests. Pure.
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { openEnum } from './open-enum';
import { Amount, ReceivedBoolean, Result, ResponseAmount, WireBoolean } from './common';

/** The declaration id: Antom allows at most 32 characters here, not the 64 of other request ids. */
export const DeclarationRequestId = lazy(() => z.string().min(1, 'must not be empty').max(32, 'must be at most 32 characters'));

/** The sub-order id customs sees as the order id (both spellings share it: see DeclareRequest). */
const SubOrderId = lazy(() => z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'));

export const DeclareRequest = lazy(() =>
  z.strictObject({
    /** Your idempotency key for this declaration (1–32 characters). */
    declarationRequestId: DeclarationRequestId(),
    /** Antom's paymentId of the successful ALIPAY_CN payment. */
    paymentId: z.string().min(1).max(64, 'must be at most 64 characters'),
    /** In CNY: take it from the payment's `customsDeclarationAmount`; the declared total must not exceed the payment. */
    declarationAmount: Amount(),
    /** `customsCode` such as ZONGSHU, SHANGHAI_CBT, NINGBO, ZHENGZHOU (case-insensitive); `region` is "CN". */
    customs: z.looseObject({
      customsCode: z.string().min(1).max(128, 'must be at most 128 characters'),
      region: z.string().length(2).optional(),
    }),
    /**
     * Your registration with the customs system. Which children Antom requires is unconfirmed (the legacy API required
     * both), so both are optional here and sent as given.
     */
    merchantCustomsInfo: z.looseObject({
      merchantCustomsCode: z.string().min(1).optional(),
      merchantCustomsName: z.string().min(1).optional(),
    }),
    /** Whether the order is split into several declarations; sent as a JSON boolean, as Antom's Java and Go SDKs send it. */
    splitOrder: WireBoolean(),
    /**
     * The sub-order id customs sees as the order id; required when `splitOrder` is true. One field spelt two ways
     * (why both are sent: assertValidDeclareRequest in api/requests.ts): give either, or both with the same value.
     */
    suborderId: SubOrderId().optional(),
    subOrderId: SubOrderId().optional(),
    /** The buyer's ID card: enables the buyer-vs-payer identity check (recommended). */
    buyerCertificate: z
      .looseObject({
        certificateType: z.string().min(1),
        certificateNo: z.string().min(1).max(64, 'must be at most 64 characters'),
        holderName: z
          .looseObject({
            fullName: z.string().max(128, 'must be at most 128 characters').optional(),
            firstName: z.string().max(32, 'must be at most 32 characters').optional(),
            middleName: z.string().max(32, 'must be at most 32 characters').optional(),
            lastName: z.string().max(32, 'must be at most 32 characters').optional(),
          })
          .optional(),
      })
      .optional(),
  }),
);
export type DeclareRequest = z.input<ReturnType<typeof DeclareRequest>>;

/**
 * The answer to `declare`. Its `result` says only that Antom took the declaration, not what customs decided: poll
 * `inquiryDeclarationRequests` for that. The field texts are unconfirmed; all are kept as strings.
 */
export const DeclareResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    customsPaymentId: z.string().optional(),
    customsOrderId: z.string().optional(),
    /** CHECK_PASSED / CHECK_NOT_PASSED: the buyer's name and id against the payer's. */
    identityCheckResult: openEnum(['CHECK_PASSED', 'CHECK_NOT_PASSED']).optional(),
    /** CUP / NUCC / OTHER (one SDK maps them to "1" / "2" / "3": any other value is kept). */
    clearingChannel: openEnum(['CUP', 'NUCC', 'OTHER']).optional(),
    clearingTransactionId: z.string().optional(),
    customsProviderRegistrationId: z.string().optional(),
  }),
);
export type DeclareResponse = z.infer<ReturnType<typeof DeclareResponse>>;

export const InquiryDeclarationRequest = lazy(() =>
  z.strictObject({
    declarationRequestIds: z.array(DeclarationRequestId()).min(1, 'must hold at least 1 id').max(10, 'must hold at most 10 ids'),
  }),
);
export type InquiryDeclarationRequest = z.input<ReturnType<typeof InquiryDeclarationRequest>>;

export const DeclarationRecord = lazy(() =>
  z.looseObject({
    declarationRequestId: z.string(),
    customsPaymentId: z.string().optional(),
    customsOrderId: z.string().optional(),
    customs: z.looseObject({}).optional(),
    merchantCustomsInfo: z.looseObject({}).optional(),
    declarationAmount: ResponseAmount().optional(),
    splitOrder: ReceivedBoolean().optional(),
    /** Values for AMS are unconfirmed (Alipay+ shows WAITING_FOR_PROCESSING): an open string. */
    declarationRequestStatus: z.string().optional(),
    lastModifiedTime: z.string().optional(),
    customsDeclarationResultCode: z.string().optional(),
    customsDeclarationResultDesc: z.string().optional(),
    customsDeclarationReturnTime: z.string().optional(),
  }),
);
export type DeclarationRecord = z.infer<ReturnType<typeof DeclarationRecord>>;

export const InquiryDeclarationResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    declarationRecords: z.array(DeclarationRecord()).default([]),
    /** The ids Antom does not know (answered with result S). */
    declarationRequestsNotFound: z.array(z.string()).default([]),
  }),
);
export type InquiryDeclarationResponse = z.infer<ReturnType<typeof InquiryDeclarationResponse>>;
