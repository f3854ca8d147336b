// Refunds at the gateway: refund (idempotent by refundRequestId, bounded by what was paid), its notification, inquiryRefund.
import { issuesFromZod } from '../src/errors';
import { describeIssues, result, type ApiAnswer, type Reject } from './answers';
import { RefundLookup, RefundRequest } from './schemas';
import { scopeOf, type GatewayContext } from './state';
import type { RefundRecord } from './types';
import { formatRequestTime } from '../src/rules/time';

export function refund(ctx: GatewayContext, scope: string, clientId: string, body: unknown, reject: Reject): ApiAnswer {
  const parsed = RefundRequest.safeParse(body);
  if (!parsed.success) return reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(issuesFromZod(parsed.error.issues))}`, true);
  const r = parsed.data;
  const fingerprint = JSON.stringify([r.paymentId, r.refundAmount.currency, r.refundAmount.value]);
  const key = `${scope}|${r.refundRequestId}`;
  const existing = ctx.state.refundsByRequest.get(key);
  if (existing !== undefined) {
    const prior = ctx.state.refunds.get(existing)!;
    if (JSON.stringify([prior.paymentId, prior.refundAmount.currency, prior.refundAmount.value]) !== fingerprint) {
      return reject(
        'REPEAT_REQ_INCONSISTENT',
        `refundRequestId ${r.refundRequestId} was used before with a different payment or amount`,
        true,
      );
    }
    return refundAnswer(prior);
  }
  const p = ctx.state.payments.get(r.paymentId);
  if (!p || scopeOf(p) !== scope) return reject('ORDER_NOT_EXIST', `no payment ${r.paymentId}`, true);
  if (p.status !== 'SUCCESS')
    return reject('ORDER_STATUS_INVALID', `the payment is ${p.status}: only a successful payment can be refunded`, true);
  if (r.refundAmount.currency !== p.paymentAmount.currency) {
    return reject(
      'PARAM_ILLEGAL',
      `Illegal parameter: refundAmount.currency must be the payment currency ${p.paymentAmount.currency}`,
      true,
    );
  }
  const refunded = [...ctx.state.refunds.values()]
    .filter((x) => x.paymentId === p.paymentId)
    .reduce((sum, x) => sum + BigInt(x.refundAmount.value), 0n);
  const paid = BigInt(p.paymentAmount.value);
  if (refunded + BigInt(r.refundAmount.value) > paid) {
    return reject(
      'REFUND_AMOUNT_EXCEED',
      `the refunds would total ${refunded + BigInt(r.refundAmount.value)} but ${paid} was paid (${refunded} already refunded), in minor units`,
      true,
    );
  }
  const now = ctx.clock.now();
  const refund: RefundRecord = {
    refundId: ctx.state.newId('R', now),
    refundRequestId: r.refundRequestId,
    paymentId: p.paymentId,
    clientId,
    refundAmount: { currency: r.refundAmount.currency, value: r.refundAmount.value },
    refundReason: r.refundReason,
    refundNotifyUrl: r.refundNotifyUrl,
    refundTime: formatRequestTime(now),
  };
  ctx.state.refunds.set(refund.refundId, refund);
  ctx.state.refundsByRequest.set(key, refund.refundId);
  ctx.emit({ type: 'refund.succeeded', api: 'refund', paymentId: p.paymentId, refundId: refund.refundId });
  if (refund.refundNotifyUrl) {
    const notification = {
      notifyType: 'REFUND_RESULT',
      result: result('S', 'SUCCESS', 'success.'),
      refundStatus: 'S',
      refundRequestId: refund.refundRequestId,
      refundId: refund.refundId,
      paymentId: refund.paymentId,
      refundAmount: refund.refundAmount,
      refundTime: refund.refundTime,
    };
    void ctx.notifier
      .deliver({
        kind: 'refund',
        notifyType: 'REFUND_RESULT',
        url: refund.refundNotifyUrl,
        clientId,
        paymentId: p.paymentId,
        refundId: refund.refundId,
        body: JSON.stringify(notification),
      })
      .catch(() => undefined);
  }
  return refundAnswer(refund);
}

function refundAnswer(r: RefundRecord): ApiAnswer {
  return {
    signed: true,
    body: {
      result: result('S', 'SUCCESS', 'success.'),
      refundRequestId: r.refundRequestId,
      refundId: r.refundId,
      paymentId: r.paymentId,
      refundAmount: r.refundAmount,
      refundTime: r.refundTime,
    },
  };
}

export function inquiryRefund(ctx: GatewayContext, scope: string, body: unknown, reject: Reject): ApiAnswer {
  const parsed = RefundLookup.safeParse(body);
  if (!parsed.success) return reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(issuesFromZod(parsed.error.issues))}`, true);
  const { refundId, refundRequestId } = parsed.data;
  const id = refundId ?? ctx.state.refundsByRequest.get(`${scope}|${refundRequestId}`);
  const r = id === undefined ? undefined : ctx.state.refunds.get(id);
  const p = r ? ctx.state.payments.get(r.paymentId) : undefined;
  if (!r || !p || scopeOf(p) !== scope || (refundRequestId !== undefined && r.refundRequestId !== refundRequestId)) {
    return reject('ORDER_NOT_EXIST', 'no refund with this refundRequestId / refundId', true);
  }
  return {
    signed: true,
    body: {
      result: result('S', 'SUCCESS', 'success.'),
      refundId: r.refundId,
      refundRequestId: r.refundRequestId,
      paymentId: r.paymentId,
      refundAmount: r.refundAmount,
      refundStatus: 'SUCCESS',
      refundTime: r.refundTime,
    },
  };
}
