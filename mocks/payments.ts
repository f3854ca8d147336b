// Payments at the gateway: pay (validated by the client's own rules), inquiry, settlement and the payment notifications.
import { CURRENCY_VIOLATIONS } from '../src/rules/currencies';
import { payRequestIssues } from '../src/api/pay';
import { formatRequestTime, parseRequestTime } from '../src/rules/time';
import { describeIssues, result, type ApiAnswer, type Reject } from './answers';
import { CASHIER_PATH } from './cashier';
import { cnyAmountOf, settlementOf } from './fx';
import { magicBehaviour, SETTLING_INQUIRY } from './magic';
import type { Merchant } from './merchants';
import type { GatewayContext } from './state';
import { transactionsOf } from './transactions';
import type { PaymentRecord } from './types';

const CURRENCY_CODES = new Set<string>(Object.values(CURRENCY_VIOLATIONS));

export function pay(
  ctx: GatewayContext,
  merchant: Merchant,
  scope: string,
  agentToken: string | undefined,
  body: Record<string, unknown>,
  rawBody: string,
  origin: string,
  reject: Reject,
): ApiAnswer {
  const now = ctx.clock.now();
  // The client's own rules, with this merchant's integration and contract: what pay() refuses, Alipay refuses too.
  const issues = payRequestIssues(body, now, {
    integration: merchant.integration,
    contractSettlementCurrency: merchant.contractSettlementCurrency,
  });
  const extendInfo = (body.order as { extendInfo?: unknown } | undefined)?.extendInfo;
  // pay() accepts the object form and sends the string; on the wire, AMS takes only the string.
  if (extendInfo !== undefined && typeof extendInfo !== 'string')
    issues.unshift({ field: 'order.extendInfo', message: 'must be a string holding JSON on the wire' });
  const params = issues.filter((i) => !CURRENCY_CODES.has(i.code ?? ''));
  if (params.length > 0) return reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(params)}`, true);
  if (issues.length > 0) return reject('CURRENCY_NOT_SUPPORT', describeIssues(issues), true);

  const req = body as {
    paymentRequestId: string;
    paymentAmount: { currency: string; value: string };
    order: { referenceOrderId: string; orderDescription: string; orderAmount: { currency: string; value: string } };
    paymentMethod: { paymentMethodType: string };
    paymentRedirectUrl: string;
    paymentNotifyUrl?: string;
    paymentExpiryTime?: string;
    settlementStrategy?: { settlementCurrency: string };
  };
  const settlementCurrency = req.settlementStrategy?.settlementCurrency;

  // The fields a repeat must match; anything else (urls, descriptions) may change between retries.
  const fingerprint = JSON.stringify([
    req.paymentAmount.currency,
    req.paymentAmount.value,
    req.order.orderAmount.currency,
    req.order.orderAmount.value,
    req.order.referenceOrderId,
    req.paymentMethod.paymentMethodType,
    settlementCurrency ?? null,
  ]);
  const key = `${scope}|${req.paymentRequestId}`;
  const existingId = ctx.state.paymentsByRequest.get(key);
  if (existingId !== undefined) {
    if (ctx.state.paymentKeys.get(existingId) !== fingerprint) {
      return reject(
        'REPEAT_REQ_INCONSISTENT',
        `paymentRequestId ${req.paymentRequestId} was used before with a different amount, currency, order or payment method`,
        true,
      );
    }
    return payAnswer(ctx.state.payments.get(existingId)!);
  }

  const paymentId = ctx.state.newId('', now);
  const magic = magicBehaviour(req.paymentAmount.value);
  const redirectUrl = `${origin}${CASHIER_PATH}`;
  // Antom's default is 14 minutes; the guide's sample answer shows 12 hours. The default here is Antom's.
  const expireMs = req.paymentExpiryTime ? (parseRequestTime(req.paymentExpiryTime) ?? Number.NaN) : now.getTime() + 14 * 60_000;
  const formParameters = {
    paymentExpireTime: expireMs,
    amountValue: req.paymentAmount.value,
    paymentId,
    callback: req.paymentRedirectUrl,
    paymentMethodType: req.paymentMethod.paymentMethodType,
    amountCurrency: req.paymentAmount.currency,
  };
  const query = new URLSearchParams(Object.entries(formParameters).map(([k, v]) => [k, String(v)]));
  const payment: PaymentRecord = {
    paymentId,
    paymentRequestId: req.paymentRequestId,
    clientId: merchant.clientId,
    agentToken,
    status: magic === 'RISK_REJECT' ? 'FAIL' : 'PROCESSING',
    resultCode: magic === 'RISK_REJECT' ? 'RISK_REJECT' : 'PAYMENT_IN_PROCESS',
    resultMessage: magic === 'RISK_REJECT' ? 'The payment was rejected by risk control (magic amount …4051)' : 'payment in process',
    magic,
    paymentMethodType: req.paymentMethod.paymentMethodType,
    paymentAmount: { currency: req.paymentAmount.currency, value: req.paymentAmount.value },
    settlementCurrency,
    referenceOrderId: req.order.referenceOrderId,
    orderDescription: req.order.orderDescription,
    paymentRedirectUrl: req.paymentRedirectUrl,
    paymentNotifyUrl: req.paymentNotifyUrl,
    paymentCreateTime: formatRequestTime(now),
    paymentTime: undefined,
    cancelTime: undefined,
    redirectUrl,
    normalUrl: `${redirectUrl}?${query.toString()}`,
    parameters: JSON.stringify(formParameters),
    inquiries: 0,
    requestBody: rawBody,
  };
  ctx.state.payments.set(paymentId, payment);
  ctx.state.paymentsByRequest.set(key, paymentId);
  ctx.state.paymentKeys.set(paymentId, fingerprint);
  ctx.emit({
    type: 'payment.created',
    api: 'pay',
    paymentId,
    message: `${payment.paymentAmount.value} ${payment.paymentAmount.currency} (minor units)`,
  });
  return payAnswer(payment);
}

function payAnswer(p: PaymentRecord): ApiAnswer {
  const common = {
    paymentRequestId: p.paymentRequestId,
    paymentId: p.paymentId,
    paymentAmount: p.paymentAmount,
    paymentCreateTime: p.paymentCreateTime,
  };
  switch (p.status) {
    case 'PROCESSING':
    case 'PENDING':
      if (p.magic === 'UNKNOWN_RESULT') {
        return {
          signed: true,
          body: { result: result('U', 'UNKNOWN_EXCEPTION', 'An unknown exception occurred (magic amount …4055): inquire the payment') },
        };
      }
      return {
        signed: true,
        body: {
          result: result('U', 'PAYMENT_IN_PROCESS', 'payment in process'),
          ...common,
          redirectActionForm: { method: 'GET', parameters: p.parameters, redirectUrl: p.redirectUrl },
          normalUrl: p.normalUrl,
        },
      };
    case 'SUCCESS':
      return { signed: true, body: { result: result('S', 'SUCCESS', 'success.'), ...common, paymentTime: p.paymentTime } };
    case 'FAIL':
      return { signed: true, body: { result: result('F', p.resultCode, p.resultMessage), ...common } };
    case 'CANCELLED':
      return { signed: true, body: { result: result('F', 'ORDER_IS_CLOSED', 'the payment was cancelled'), ...common } };
  }
}

/** The method the buyer paid with: a session that left the choice to the buyer is paid at this AlipayCN cashier. */
function paidWith(p: PaymentRecord): string {
  return p.paymentMethodType === 'CHECKOUT_PAGE' ? 'ALIPAY_CN' : p.paymentMethodType;
}

/** What only a successful payment carries: settlement, and for AlipayCN the CNY amount to declare to customs. */
function successFields(p: PaymentRecord): Record<string, unknown> {
  if (p.status !== 'SUCCESS') return {};
  const customs = paidWith(p) === 'ALIPAY_CN' ? cnyAmountOf(p.paymentAmount) : undefined;
  return { ...settlementOf(p.paymentAmount, p.settlementCurrency), ...(customs ? { customsDeclarationAmount: customs } : {}) };
}

export function inquiry(ctx: GatewayContext, scope: string, body: unknown, reject: Reject): ApiAnswer {
  const { payment: p, issues } = ctx.state.lookup(scope, body);
  if (issues) return reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(issues)}`, true);
  if (!p) return reject('ORDER_NOT_EXIST', 'no payment with this paymentRequestId / paymentId', true);
  p.inquiries += 1;
  if (p.magic === 'SETTLES_ON_THIRD_INQUIRY' && p.status === 'PROCESSING' && p.inquiries >= SETTLING_INQUIRY) {
    markSettled(ctx, p, 'SUCCESS', 'SUCCESS');
    void (async () => {
      if (ctx.paymentPending) await notifyPayment(ctx, p, 'PAYMENT_PENDING');
      await notifyPayment(ctx, p);
    })();
  }
  const transactions = transactionsOf(ctx.state, p);
  return {
    signed: true,
    body: {
      result: result('S', 'SUCCESS', 'success.'),
      paymentStatus: p.status,
      paymentResultCode: p.resultCode,
      paymentResultMessage: p.resultMessage,
      paymentRequestId: p.paymentRequestId,
      paymentId: p.paymentId,
      paymentAmount: p.paymentAmount,
      paymentCreateTime: p.paymentCreateTime,
      ...(p.paymentTime ? { paymentTime: p.paymentTime } : {}),
      ...successFields(p),
      paymentMethodType: paidWith(p),
      ...(transactions.length > 0 ? { transactions } : {}),
    },
  };
}

function markSettled(ctx: GatewayContext, p: PaymentRecord, outcome: 'SUCCESS' | 'FAIL', resultCode: string): void {
  p.status = outcome;
  p.resultCode = resultCode;
  p.resultMessage =
    outcome === 'SUCCESS'
      ? 'success.'
      : resultCode === 'USER_BALANCE_NOT_ENOUGH'
        ? 'The buyer balance is not enough (magic amount …4052)'
        : 'the payment failed';
  if (outcome === 'SUCCESS') p.paymentTime = formatRequestTime(ctx.clock.now());
  ctx.emit({ type: outcome === 'SUCCESS' ? 'payment.succeeded' : 'payment.failed', paymentId: p.paymentId, resultCode });
}

export function markCancelled(ctx: GatewayContext, p: PaymentRecord): void {
  p.status = 'CANCELLED';
  p.resultCode = 'ORDER_IS_CLOSED';
  p.resultMessage = 'the payment was cancelled';
  p.cancelTime = formatRequestTime(ctx.clock.now());
  ctx.emit({ type: 'payment.cancelled', paymentId: p.paymentId });
}

/**
 * The buyer paid and the result is on its way: PENDING, announced by PAYMENT_PENDING; resolves after its first
 * delivery attempt. Only a PROCESSING payment becomes PENDING.
 */
export async function pend(ctx: GatewayContext, p: PaymentRecord): Promise<void> {
  if (p.status !== 'PROCESSING') return;
  p.status = 'PENDING';
  p.resultMessage = 'the buyer paid; waiting for the final payment result';
  ctx.emit({ type: 'payment.pending', paymentId: p.paymentId });
  await notifyPayment(ctx, p, 'PAYMENT_PENDING');
}

/**
 * Settles a PROCESSING or PENDING payment and sends PAYMENT_RESULT (with `paymentPending`, PAYMENT_PENDING first);
 * resolves after the first attempt of the last notification. A payment cancelled meanwhile stays cancelled.
 */
export async function settle(ctx: GatewayContext, p: PaymentRecord, outcome: 'SUCCESS' | 'FAIL', resultCode: string): Promise<void> {
  if (ctx.paymentPending) await pend(ctx, p);
  if (p.status !== 'PROCESSING' && p.status !== 'PENDING') return;
  markSettled(ctx, p, outcome, resultCode);
  await notifyPayment(ctx, p);
}

/**
 * notifyPayment: PAYMENT_RESULT for a settled payment (result S or F; on success its settlement and, for AlipayCN,
 * customsDeclarationAmount), or PAYMENT_PENDING (result S, which there means "processing"). Resolves after the first
 * delivery attempt.
 */
export async function notifyPayment(
  ctx: GatewayContext,
  p: PaymentRecord,
  notifyType: 'PAYMENT_RESULT' | 'PAYMENT_PENDING' = 'PAYMENT_RESULT',
): Promise<void> {
  if (!p.paymentNotifyUrl) return;
  const final = notifyType === 'PAYMENT_RESULT';
  const ok = !final || p.status === 'SUCCESS';
  const notification = {
    notifyType,
    result: ok ? result('S', 'SUCCESS', 'success.') : result('F', p.resultCode, p.resultMessage),
    paymentRequestId: p.paymentRequestId,
    paymentId: p.paymentId,
    paymentAmount: p.paymentAmount,
    paymentCreateTime: p.paymentCreateTime,
    ...(final && ok ? { paymentTime: p.paymentTime, ...successFields(p) } : {}),
    paymentMethodType: paidWith(p),
  };
  try {
    await ctx.notifier.deliver({
      kind: 'payment',
      notifyType,
      url: p.paymentNotifyUrl,
      clientId: p.clientId,
      paymentId: p.paymentId,
      body: JSON.stringify(notification),
    });
  } catch {
    // An unusable notify URL is recorded nowhere else; the payment itself stands.
  }
}

/** When the cashier stops taking the payment: paymentExpiryTime when the request set one, else Antom's 14 minutes. */
export function expiresAtMs(p: PaymentRecord): number {
  return Number((JSON.parse(p.parameters) as { paymentExpireTime: number }).paymentExpireTime);
}
