// zod schemas for capture: taking an authorized card amount (captureMode MANUAL). Pure.
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { Amount, Result, ResponseAmount, WireBoolean } from './common';

const Id = lazy(() => z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'));

export const CaptureRequest = lazy(() =>
  z.strictObject({
    /** Your idempotency key for this capture: retrying with it never captures twice. */
    captureRequestId: Id(),
    /** Antom's paymentId of the authorized payment. */
    paymentId: Id(),
    /** At most the authorized amount (the total of all captures, where partial captures are allowed). */
    captureAmount: Amount(),
    /** Closes a series of partial captures (semantics unconfirmed). */
    isLastCapture: WireBoolean().optional(),
    /** Values unconfirmed: kept as a string. */
    captureType: z.string().min(1).optional(),
    transit: z.looseObject({}).optional(),
  }),
);
export type CaptureRequest = z.input<ReturnType<typeof CaptureRequest>>;

export const CaptureResponse = lazy(() =>
  z.looseObject({
    result: Result(),
    captureRequestId: z.string().optional(),
    /** Antom's capture id; `refund` accepts it. */
    captureId: z.string().optional(),
    paymentId: z.string().optional(),
    captureAmount: ResponseAmount().optional(),
    captureTime: z.string().optional(),
    acquirerReferenceNo: z.string().optional(),
  }),
);
export type CaptureResponse = z.infer<ReturnType<typeof CaptureResponse>>;
