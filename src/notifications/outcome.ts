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

const REFUND_SUCCEEDED = new Set(['SUCCESS', 'S']);
const REFUND_FAILED = new Set(['FAIL', 'F']);

/**
 * A refund `succeeded` only when its result (S), its refundStatus (SUCCESS, or S as some references write it), its
 * refundId and its amount all say so; `failed` on an F result or a FAIL status; anything else — a U, a status this version does not
 * know, a success without its refundId — is `pending`: not final, never counted as a refund made.
 */
export function refundOutcome(n: {
  result: Result;
  refundStatus?: string | undefined;
  refundId?: string | undefined;
  refundAmount?: unknown;
}): SettledOutcome {
  if (n.result.resultStatus === 'F' || (n.refundStatus !== undefined && REFUND_FAILED.has(n.refundStatus))) return 'failed';
  const done = n.result.resultStatus === 'S' && n.refundStatus !== undefined && REFUND_SUCCEEDED.has(n.refundStatus);
  return done && n.refundId && n.refundAmount !== undefined ? 'succeeded' : 'pending';
}

/**
 * A capture `succeeded` on S with its captureId and amount, `failed` on F, and is `pending` otherwise (notifyCapture
 * documents no U; a success without its captureId is not one to ship on).
 */
export function captureOutcome(n: { result: Result; captureId?: string | undefined; captureAmount?: unknown }): SettledOutcome {
  if (n.result.resultStatus === 'F') return 'failed';
  return n.result.resultStatus === 'S' && n.captureId && n.captureAmount !== undefined ? 'succeeded' : 'pending';
}
