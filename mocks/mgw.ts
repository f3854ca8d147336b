// The component SDKs' RPC endpoint (`/mgw.htm`): CORS for the merchant's page (credentials, so the exact origin), a
// JSON array of one object, dispatched on `Operation-Type`: the session query and the buyer's payment.
import { randomBytes } from 'node:crypto';
import { fromMinorUnits } from '../src/rules/amounts';
import { paymentOptions } from './apis';
import { buyerActs } from './buyer';
import { findSession } from './sessions';
import type { GatewayContext, SessionRecord } from './state';
import type { GatewayReply, GatewayRequest, PaymentRecord } from './types';
import type { SessionPayload } from './web-sdk';

/** What AMSElement and AMSCashierPayment send before they show the payment page. */
export const SDK_QUERY_OPERATION = 'com.ipay.iexpcashier.sdkAction.query';
/** The payment, as the gateway's component pages send it when the buyer pays (the SDK sends it itself for some channels). */
export const SDK_SUBMIT_OPERATION = 'com.ipay.iexpcashier.cashier.submitPayByPaymentSession';

/** A header value the SDK may ask to send (Access-Control-Request-Headers): a comma list of header names. */
const HEADER_LIST_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~ ,-]{0,2048}$/;

/**
 * The CORS headers for a request from `origin`. The SDK sends with credentials (axios `withCredentials: true`), so
 * `*` would be refused by the browser: the allowed origin is the requesting one, exactly, and `Vary: Origin` says so.
 */
function corsHeaders(origin: string | undefined): Record<string, string> {
  if (origin === undefined) return {};
  let exact: string;
  try {
    exact = new URL(origin).origin;
  } catch {
    return {};
  }
  if (exact !== origin || exact === 'null') return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'Mgw-TraceId, Result-Status',
    vary: 'Origin',
  };
}

/** `{ amount, currency, formattedAmount, … }` and its "view", as the SDK's own sample answers carry them. */
function amountFields(amount: { currency: string; value: string }) {
  let major: string;
  try {
    major = fromMinorUnits(amount.value, amount.currency);
  } catch {
    major = amount.value;
  }
  return {
    amount: {
      currency: amount.currency,
      value: amount.value,
      amount: major,
      formattedAmount: major,
      formattedAmountWithCurrency: `${major} ${amount.currency}`,
    },
    view: { currency: amount.currency, currencyLabel: amount.currency, formattedValue: major, value: major },
  };
}

const METHOD_NAMES: Readonly<Record<string, string>> = { ALIPAY_CN: 'Alipay', CARD: 'Card' };

/** The methods the payment page offers: the one the session named, else those the currency allows (APM pages: no card). */
function methodsFor(session: SessionRecord, p: PaymentRecord) {
  const offered =
    p.paymentMethodType !== 'CHECKOUT_PAGE'
      ? [{ paymentMethodType: p.paymentMethodType, paymentMethodCategory: p.paymentMethodType === 'CARD' ? 'CARD' : 'WALLET' }]
      : paymentOptions(p.paymentAmount.currency).filter((o) => o.enabled);
  return offered
    .filter((o) => session.productScene !== 'CASHIER_PAYMENT' || o.paymentMethodCategory !== 'CARD')
    .map((o) => ({
      paymentMethodType: o.paymentMethodType,
      paymentMethodName: METHOD_NAMES[o.paymentMethodType] ?? o.paymentMethodType,
      category: o.paymentMethodCategory,
    }));
}

/**
 * The session query's answer. The SDK shows its payment page only when `success` is true and `paymentMethods`,
 * `orderAmountView` and `paymentAmountView` are there (`isLoadErrorPage` in the package); the rest is kept minimal.
 */
function queryAnswer(session: SessionRecord, p: PaymentRecord): Record<string, unknown> {
  const payment = amountFields(p.paymentAmount);
  // The session request's order (its schema requires orderAmount).
  const order = amountFields((session.order['orderAmount'] as { currency: string; value: string } | undefined) ?? p.paymentAmount);
  return {
    success: true,
    paymentSessionConfig: (JSON.parse(Buffer.from(session.data.split('&&')[3]!, 'base64').toString('utf8')) as SessionPayload)
      .paymentSessionConfig,
    paymentMethods: methodsFor(session, p),
    orderAmount: order.amount,
    orderAmountView: order.view,
    paymentAmount: payment.amount,
    paymentAmountView: payment.view,
    paymentStatus: p.status,
  };
}

const failure = (errorCode: string, errorMessage: string) => ({ success: false, errorCode, errorMessage });

/** One RPC: OPTIONS (the browser's preflight) or POST; the answer is HTTP 200 with `success` true or false. */
export async function handleMgwRequest(ctx: GatewayContext, req: GatewayRequest, headers: Record<string, string>): Promise<GatewayReply> {
  const cors = corsHeaders(headers['origin']);
  if (req.method === 'OPTIONS') {
    const asked = headers['access-control-request-headers'] ?? '';
    return {
      status: 204,
      headers: {
        ...cors,
        ...(cors['access-control-allow-origin'] && HEADER_LIST_RE.test(asked)
          ? { 'access-control-allow-methods': 'POST, OPTIONS', 'access-control-allow-headers': asked, 'access-control-max-age': '600' }
          : {}),
      },
      body: '',
    };
  }
  if (req.method !== 'POST')
    return { status: 405, headers: { ...cors, allow: 'POST, OPTIONS', 'content-type': 'text/plain' }, body: 'POST only' };
  const answer = (body: Record<string, unknown>): GatewayReply => ({
    status: 200,
    // Result-Status 1000 is the SDK's "the gateway took the call" (fomatGetwayError in the package).
    headers: { ...cors, 'content-type': 'application/json', 'result-status': '1000', 'mgw-traceid': randomBytes(8).toString('hex') },
    body: JSON.stringify(body),
  });
  const operation = headers['operation-type'] ?? '';
  let call: Record<string, unknown>;
  try {
    const parsed = JSON.parse(req.body) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 1 || parsed[0] === null || typeof parsed[0] !== 'object') throw new Error('shape');
    call = parsed[0] as Record<string, unknown>;
  } catch {
    return answer(failure('PARAM_ILLEGAL', 'the body must be a JSON array of one object'));
  }
  if (operation !== SDK_QUERY_OPERATION && operation !== SDK_SUBMIT_OPERATION)
    return answer(
      failure('OPERATION_TYPE_NOT_SUPPORTED', `the embedded gateway does not answer Operation-Type "${operation.slice(0, 100)}"`),
    );
  const found = findSession(ctx.state, call.paymentSessionData, ctx.clock.now().getTime());
  if ('problem' in found) {
    ctx.emit({ type: 'sdk.rpc', message: `${operation} (${found.problem} session)` });
    return answer(
      failure(
        'INQUIRY_PAYMENT_SESSION_FAILED',
        found.problem === 'expired' ? 'the payment session has expired' : 'no such payment session',
      ),
    );
  }
  const { session, payment } = found;
  ctx.emit({ type: 'sdk.rpc', paymentId: payment.paymentId, message: operation });
  if (operation === SDK_QUERY_OPERATION) return answer(queryAnswer(session, payment));
  if (payment.status !== 'PROCESSING')
    return answer(failure('REPEAT_REQ_REJECT', `the payment is ${payment.status}: there is nothing left to pay`));
  const done = await buyerActs(ctx, payment, 'pay');
  return answer({
    success: true,
    paymentStatus: payment.status,
    paymentResultCode: payment.resultCode,
    paymentResultMessage: done.note ?? payment.resultMessage,
    paymentAmount: amountFields(payment.paymentAmount).amount,
    paymentAmountView: amountFields(payment.paymentAmount).view,
  });
}
