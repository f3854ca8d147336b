// The derived `outcome` of a verified notification: what it means for the order, in one word. Pure.
import type { DisputeOutcome, PaymentOutcome, SettledOutcome } from './schemas';

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

const DISPUTE_OUTCOMES: Readonly<Record<string, DisputeOutcome>> = {
  DISPUTE_CREATED: 'respond',
  DEFENSE_DUE_ALERT: 'respond',
  DEFENSE_SUPPLIED: 'defended',
  DISPUTE_CANCELLED: 'won',
  DISPUTE_ACCEPTED: 'lost',
  RDR_RESOLVED: 'lost',
};

/**
 * A dispute is `won` only on a judgement for the buyer's liability (ACCEPT_BY_CUSTOMER) or the buyer's withdrawal
 * (DISPUTE_CANCELLED), `lost` on a judgement against you, an acceptance (yours or by timeout) or a rapid-resolution
 * refund; a notification that asks for an answer is `respond`, a defense taken `defended`. Any other type or judged
 * result — one this version does not know, a judgement without its result — is `pending`: never counted as won.
 */
export function disputeOutcome(n: { disputeNotificationType: string; disputeJudgedResult?: string | undefined }): DisputeOutcome {
  if (n.disputeNotificationType === 'DISPUTE_JUDGED') {
    if (n.disputeJudgedResult === 'ACCEPT_BY_CUSTOMER') return 'won';
    if (n.disputeJudgedResult === 'ACCEPT_BY_MERCHANT') return 'lost';
    return 'pending';
  }
  return Object.hasOwn(DISPUTE_OUTCOMES, n.disputeNotificationType) ? DISPUTE_OUTCOMES[n.disputeNotificationType]! : 'pending';
}
