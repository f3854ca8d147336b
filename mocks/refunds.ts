// Refunds at the gateway: refund (idempotent by refundRequestId, bounded by what was paid), its notification, inquiryRefund.
import { issuesFromZod } from '../src/errors';
import { formatRequestTime } from '../src/rules/time';
import { describeIssues, result, type ApiAnswer, type Reject } from './answers';
import { settlementOf } from './fx';
import { refundFails } from './magic';
import { RefundLookup, RefundRequest } from './schemas';
import { scopeOf, type GatewayContext } from './state';
import type { PaymentRecord, RefundRecord } from './types';

/** The code a failed refund answers with (magic refund amount …4061). */
export const REFUND_FAILURE = {
  code: 'MERCHANT_BALANCE_NOT_ENOUGH',
  message: 'The merchant balance is not enough (magic refund amount …4061)',
};

/** What the payment's successful refunds total, in minor units. */
export function refundedOf(ctx: GatewayContext, paymentId: string): bigint {
  let total = 0n;
  for (const r of ctx.state.refunds.values())
    if (r.paymentId === paymentId && r.status === 'SUCCESS') total += BigInt(r.refundAmount.value);
  return total;
}

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
    return refundAnswer(prior, ctx.state.payments.get(prior.paymentId));
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
  const refunded = refundedOf(ctx, p.paymentId);
  const paid = BigInt(p.paymentAmount.value);
  if (refunded + BigInt(r.refundAmount.value) > paid) {
    return reject(
      'REFUND_AMOUNT_EXCEED',
      `the refunds would total ${refunded + BigInt(r.refundAmount.value)} but ${paid} was paid (${refunded} already refunded), in minor units`,
      true,
    );
  }
  const refund = recordRefund(ctx, p, {
    refundRequestId: r.refundRequestId,
    source: 'refund',
    status: refundFails(r.refundAmount.value) ? 'FAIL' : 'SUCCESS',
    refundAmount: { currency: r.refundAmount.currency, value: r.refundAmount.value },
    refundReason: r.refundReason,
    refundNotifyUrl: r.refundNotifyUrl,
  });
  ctx.state.refundsByRequest.set(key, refund.refundId);
  if (refund.refundNotifyUrl) {
    void ctx.notifier
      .deliver({
        kind: 'refund',
        notifyType: 'REFUND_RESULT',
        url: refund.refundNotifyUrl,
        clientId,
        paymentId: p.paymentId,
        refundId: refund.refundId,
        body: JSON.stringify(refundNotification(refund, p)),
      })
      .catch(() => undefined);
  }
  return refundAnswer(refund, p);
}

/** Records a refund (a refund call's, or the automatic one of a cancel) and puts it on the timeline. */
export function recordRefund(
  ctx: GatewayContext,
  p: PaymentRecord,
  fields: Pick<RefundRecord, 'refundRequestId' | 'source' | 'status' | 'refundAmount' | 'refundReason' | 'refundNotifyUrl'>,
): RefundRecord {
  const now = ctx.clock.now();
  const refund: RefundRecord = {
    refundId: ctx.state.newId('R', now),
    paymentId: p.paymentId,
    clientId: p.clientId,
    refundTime: formatRequestTime(now),
    ...fields,
  };
  ctx.state.refunds.set(refund.refundId, refund);
  ctx.emit({
    type: refund.status === 'SUCCESS' ? 'refund.succeeded' : 'refund.failed',
    api: fields.source === 'cancel' ? 'cancel' : 'refund',
    paymentId: p.paymentId,
    refundId: refund.refundId,
    ...(fields.source === 'cancel' ? { message: 'the automatic full refund of a payment cancelled after it was paid' } : {}),
  });
  return refund;
}

/**
 * notifyRefund as Antom documents it: refundStatus SUCCESS or FAIL, refundTime and the settlement only on success,
 * and no paymentId (map it back through refundRequestId or refundId).
 */
function refundNotification(r: RefundRecord, p: PaymentRecord): Record<string, unknown> {
  const ok = r.status === 'SUCCESS';
  return {
    notifyType: 'REFUND_RESULT',
    result: ok ? result('S', 'SUCCESS', 'success.') : result('F', REFUND_FAILURE.code, REFUND_FAILURE.message),
    refundStatus: ok ? 'SUCCESS' : 'FAIL',
    refundRequestId: r.refundRequestId,
    refundId: r.refundId,
    refundAmount: r.refundAmount,
    ...(ok ? { refundTime: r.refundTime, ...settlementOf(r.refundAmount, p.settlementCurrency) } : {}),
  };
}

function refundAnswer(r: RefundRecord, p: PaymentRecord | undefined): ApiAnswer {
  if (r.status === 'FAIL') return { signed: true, body: { result: result('F', REFUND_FAILURE.code, REFUND_FAILURE.message) } };
  return {
    signed: true,
    body: {
      result: result('S', 'SUCCESS', 'success.'),
      refundRequestId: r.refundRequestId,
      refundId: r.refundId,
      paymentId: r.paymentId,
      refundAmount: r.refundAmount,
      refundTime: r.refundTime,
      ...settlementOf(r.refundAmount, p?.settlementCurrency),
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
  const ok = r.status === 'SUCCESS';
  return {
    signed: true,
    body: {
      result: result('S', 'SUCCESS', 'success.'),
      refundId: r.refundId,
      ...(r.refundRequestId ? { refundRequestId: r.refundRequestId } : {}),
      paymentId: r.paymentId,
      refundAmount: r.refundAmount,
      refundStatus: r.status,
      ...(ok ? { refundTime: r.refundTime, ...settlementOf(r.refundAmount, p.settlementCurrency) } : {}),
    },
  };
}
