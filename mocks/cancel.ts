// cancel at the gateway, as Antom documents it: any payment until T+1 00:15 GMT+8; a paid one is refunded in full by itself.
import { formatRequestTime, parseRequestTime } from '../src/rules/time';
import { describeIssues, result, type ApiAnswer, type Reject } from './answers';
import { markCancelled } from './payments';
import { recordRefund, refundedOf } from './refunds';
import type { GatewayContext } from './state';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The end of a payment's cancel window: 00:15 GMT+8 on the day after the (GMT+8) day it was created. */
export function cancelDeadlineMs(createdMs: number): number {
  const dayStartGmt8 = Math.floor((createdMs + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
  return dayStartGmt8 + DAY + 15 * 60_000;
}

/**
 * Cancels "regardless of whether a payment is completed": a PROCESSING or PENDING payment is closed (the buyer can no
 * longer pay); a SUCCESS one becomes CANCELLED and its full amount is refunded automatically (a refund record,
 * `source: 'cancel'`, listed in the inquiry's transactions). A payment with a refund cannot be cancelled
 * (PROCESS_FAIL); a FAIL payment answers S and stays FAIL; a CANCELLED one answers S again. After the window:
 * CANCEL_WINDOW_EXCEED. Cancelling a PENDING payment is not spelt out by Antom (allowed here, nothing refunded).
 */
export function cancel(ctx: GatewayContext, scope: string, body: unknown, reject: Reject): ApiAnswer {
  const { payment: p, issues } = ctx.state.lookup(scope, body);
  if (issues) return reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(issues)}`, true);
  if (!p) return reject('ORDER_NOT_EXIST', 'no payment with this paymentRequestId / paymentId', true);
  const answer = (cancelTime: string | undefined): ApiAnswer => ({
    signed: true,
    body: { result: result('S', 'SUCCESS', 'success.'), paymentId: p.paymentId, paymentRequestId: p.paymentRequestId, cancelTime },
  });
  if (p.status === 'CANCELLED') return answer(p.cancelTime);
  const now = ctx.clock.now();
  const created = parseRequestTime(p.paymentCreateTime);
  if (created !== undefined && now.getTime() > cancelDeadlineMs(created)) {
    return reject(
      'CANCEL_WINDOW_EXCEED',
      `the payment was created ${p.paymentCreateTime}: it could be cancelled until 00:15 GMT+8 the next day; refund it instead`,
      true,
    );
  }
  if (p.status === 'FAIL') return answer(formatRequestTime(now));
  if (p.status === 'SUCCESS') {
    if (refundedOf(ctx, p.paymentId) > 0n)
      return reject('PROCESS_FAIL', 'the payment has a refund and can no longer be cancelled: refund the rest instead', true);
    markCancelled(ctx, p);
    recordRefund(ctx, p, {
      refundRequestId: '',
      source: 'cancel',
      status: 'SUCCESS',
      refundAmount: { ...p.paymentAmount },
      refundReason: 'the payment was cancelled after it was paid',
      refundNotifyUrl: undefined,
    });
  } else markCancelled(ctx, p);
  return answer(p.cancelTime);
}
