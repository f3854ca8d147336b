// The derived `outcome` of a verified notification: what it means for the order, in one word. Pure.
import type { PaymentOutcome, SettledOutcome } from './schemas';

type Result = { resultStatus: string };

/**
 * PAYMENT_PENDING is `pending` whatever its resultStatus (S there means "processing"); PAYMENT_RESULT is `paid` on S,
 * `failed` on F, and `pending` on anything else (a U the docs do not describe: not final, so not shipped).
 */
export function paymentOutcome(notifyType: 'PAYMENT_RESULT' | 'PAYMENT_PENDING', result: Result): PaymentOutcome {
  if (notifyType === 'PAYMENT_PENDING') return 'pending';
  return result.resultStatus === 'S' ? 'paid' : result.resultStatus === 'F' ? 'failed' : 'pending';
}

/**
 * A refund `succeeded` only when both its result (S) and its refundStatus (SUCCESS, or S as some references write it)
 * say so; a notification whose two fields disagree is treated as `failed` rather than guessed into a refund.
 */
export function refundOutcome(result: Result, refundStatus: string): SettledOutcome {
  return result.resultStatus === 'S' && (refundStatus === 'SUCCESS' || refundStatus === 'S') ? 'succeeded' : 'failed';
}

/** A capture `succeeded` on S and `failed` on F (notifyCapture has no U). */
export function captureOutcome(result: Result): SettledOutcome {
  return result.resultStatus === 'S' ? 'succeeded' : 'failed';
}
