// What `pay()` guarantees on the answers it resolves with (S, or U + PAYMENT_IN_PROCESS), over the lenient raw schema.
import { AmsUnknownResultError } from '../errors';
import type { Result } from '../schemas/common';
import type { PayResponse } from '../schemas/pay';

/**
 * A `pay()` answer: the raw response (every field AMS sent, unknown ones kept) with what AMS always returns on S and on
 * U + PAYMENT_IN_PROCESS made non-optional: `paymentId`, `paymentRequestId`, and a result that is S or U.
 * The cashier URL (`normalUrl`, `redirectActionForm`) stays optional: which one AMS sends depends on the terminal.
 */
export type PayResult = PayResponse & {
  result: Result & { resultStatus: 'S' | 'U' };
  /** Antom's id of the payment: for inquiryPayment, cancel and refund. */
  paymentId: string;
  /** Your idempotency key, as sent. */
  paymentRequestId: string;
};

/**
 * Narrows an accepted pay answer to PayResult. An accepted answer without a paymentId is not one AMS sends; the
 * payment may still exist, so it is reported as an unknown result to inquire about, never resolved half-typed.
 */
export function toPayResult(res: PayResponse, paymentRequestId: string, attempts = 1): PayResult {
  const { resultStatus, resultCode, resultMessage } = res.result;
  if (typeof res.paymentId !== 'string' || res.paymentId === '' || (resultStatus !== 'S' && resultStatus !== 'U')) {
    throw new AmsUnknownResultError({
      api: 'pay',
      resultCode,
      resultMessage: `${resultMessage ?? ''}${resultMessage ? ' ' : ''}(the answer carries no paymentId, which AMS always returns with ${resultStatus}/${resultCode})`,
      paymentRequestId,
      attempts,
    });
  }
  return { ...res, paymentId: res.paymentId, paymentRequestId: res.paymentRequestId ?? paymentRequestId } as PayResult;
}
