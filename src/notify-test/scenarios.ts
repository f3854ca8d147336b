// The notifications testNotificationEndpoint sends, each as Antom sends it or forged, with what a correct endpoint answers.
import { randomBytes } from 'node:crypto';

/** An order made through the merchant's own test route, so notifications carry its id and amount. */
export interface TestOrder {
  paymentRequestId: string;
  paymentAmount: { currency: string; value: string };
}

export interface ScenarioInput {
  clientId: string;
  order(): Promise<TestOrder>;
}

/** One request of a scenario: the body sent, and how it is signed (or not). */
export interface ScenarioRequest {
  body: string;
  /** Signed over these bytes instead of `body` (a signature over other bytes). */
  signedBody?: string;
  /** Signed for, and sent with, this client id instead of the merchant's. */
  clientId?: string;
  /** A signed header left out. */
  dropHeader?: string;
  /** A Signature header value put in place of the real one. */
  signature?: string;
  /** The body sent in chunks over a while. */
  slow?: { chunks: number; spreadMs: number };
  /** After this request, the order hook (when it has `isPaid`) is asked whether the merchant treats this order as paid. */
  then?: PaidCheck;
}

/** What the merchant's order must say after a request, and what to tell it when it does not. */
export interface PaidCheck {
  paymentRequestId: string;
  paid: boolean;
  problem: string;
  fix: string;
}

/** After a notification that is not a payment of the order (a failure, a forgery), the order must still be unpaid. */
const stillUnpaid = (order: TestOrder, problem: string, fix: string): PaidCheck => ({
  paymentRequestId: order.paymentRequestId,
  paid: false,
  problem,
  fix,
});

const FORGED_PAID = 'your endpoint refused the forged notification but marked the order paid first: anyone can mark your orders paid';
const FORGED_PAID_FIX =
  'verify the notification (verifyNotification, createNotificationHandler) before acting on it: nothing in an unverified body is true';

const paidAfterResult = (order: TestOrder): PaidCheck => ({
  paymentRequestId: order.paymentRequestId,
  paid: true,
  problem: 'acknowledged, but your order is not paid: a PAYMENT_RESULT with resultStatus S for its amount is the payment',
  fix: 'mark the order paid on outcome "paid" when paymentRequestId and paymentAmount are the order\'s (matchNotification)',
});

export interface Scenario {
  name: string;
  expect: 'acknowledged' | 'not acknowledged' | 'an answer';
  /** What is sent, in words. */
  sent: string;
  /** The usual fix when a correct endpoint's answer does not come. */
  fix: string;
  build(input: ScenarioInput): Promise<ScenarioRequest[]>;
}

const S = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };
const F = { resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F', resultMessage: 'the buyer could not pay' };
const TIME = '2026-01-01T10:00:00+08:00';

function id(prefix: string): string {
  return `${prefix}${Date.now()}${randomBytes(6).toString('hex')}`;
}

/** A minor-unit value one less (or one more, for 0): an amount that is not the order's. */
function lessByOne(value: string): string {
  if (!/^\d+$/.test(value)) return `${value}1`;
  const n = BigInt(value);
  return (n === 0n ? 1n : n - 1n).toString();
}

function payment(order: TestOrder, notifyType: 'PAYMENT_RESULT' | 'PAYMENT_PENDING', result: object): Record<string, unknown> {
  return {
    notifyType,
    result,
    paymentRequestId: order.paymentRequestId,
    paymentId: id('2026'),
    paymentAmount: order.paymentAmount,
    paymentCreateTime: TIME,
    ...(notifyType === 'PAYMENT_RESULT' && result === S ? { paymentTime: TIME } : {}),
  };
}

const VERIFY_FIX =
  "verify the notification with the raw body (express.raw({ type: '*/*' }), not express.json()), the path Antom calls and your client id, then answer notificationAck()";

const json = (v: unknown): string => JSON.stringify(v);
const one = async (body: unknown, extra: Partial<ScenarioRequest> = {}): Promise<ScenarioRequest[]> => [{ body: json(body), ...extra }];

/** A forgery of a paid PAYMENT_RESULT for a fresh order, which must leave that order unpaid. */
async function forged(
  i: ScenarioInput,
  extra: (order: TestOrder, p: Record<string, unknown>) => Partial<ScenarioRequest>,
): Promise<ScenarioRequest[]> {
  const order = await i.order();
  const p = payment(order, 'PAYMENT_RESULT', S);
  return one(p, { ...extra(order, p), then: stillUnpaid(order, FORGED_PAID, FORGED_PAID_FIX) });
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'payment-result',
    expect: 'acknowledged',
    sent: 'PAYMENT_RESULT, resultStatus S',
    fix: VERIFY_FIX,
    build: async (i) => {
      const order = await i.order();
      return one(payment(order, 'PAYMENT_RESULT', S), { then: paidAfterResult(order) });
    },
  },
  {
    name: 'redelivery',
    expect: 'acknowledged',
    sent: 'the same PAYMENT_RESULT twice, as Antom retries until acknowledged',
    fix: 'acknowledge a notification you already handled (dedupe on notificationKey, then answer notificationAck() again)',
    build: async (i) => {
      const body = json(payment(await i.order(), 'PAYMENT_RESULT', S));
      return [{ body }, { body }];
    },
  },
  {
    name: 'pending-then-result',
    expect: 'acknowledged',
    sent: 'PAYMENT_PENDING, then the PAYMENT_RESULT of that payment',
    fix: 'acknowledge PAYMENT_PENDING too (outcome "pending": the buyer paid, the result is on its way)',
    build: async (i) => {
      const order = await i.order();
      const pending = payment(order, 'PAYMENT_PENDING', S);
      return [
        {
          body: json(pending),
          then: stillUnpaid(
            order,
            'after PAYMENT_PENDING your order is paid: a pending payment is not paid (its resultStatus S means "processing")',
            'ship on outcome "paid" only (PAYMENT_RESULT with resultStatus S); treat PAYMENT_PENDING as pending',
          ),
        },
        { body: json({ ...pending, notifyType: 'PAYMENT_RESULT', paymentTime: TIME }), then: paidAfterResult(order) },
      ];
    },
  },
  {
    name: 'amount-mismatch',
    expect: 'an answer',
    sent: 'PAYMENT_RESULT, resultStatus S, for an order but not its amount (one minor unit less)',
    fix: 'answer it (acknowledging is fine: it is genuine), but never mark an order paid for an amount that is not its own',
    build: async (i) => {
      const order = await i.order();
      const short = { ...order.paymentAmount, value: lessByOne(order.paymentAmount.value) };
      return one(payment({ ...order, paymentAmount: short }, 'PAYMENT_RESULT', S), {
        then: stillUnpaid(
          order,
          `your order is paid by a notification for ${short.value} ${short.currency}, not its ${order.paymentAmount.value} ${order.paymentAmount.currency}`,
          "compare paymentAmount (currency and value) with the order's before marking it paid (matchNotification does)",
        ),
      });
    },
  },
  {
    name: 'payment-failed',
    expect: 'acknowledged',
    sent: 'PAYMENT_RESULT, resultStatus F',
    fix: 'acknowledge a failed payment too (outcome "failed"): Antom resends what is not acknowledged',
    build: async (i) => {
      const order = await i.order();
      return one(payment(order, 'PAYMENT_RESULT', F), {
        then: stillUnpaid(
          order,
          'after a failed PAYMENT_RESULT (resultStatus F) your order is paid: the buyer did not pay',
          'ship on outcome "paid" only (PAYMENT_RESULT with resultStatus S); a failed payment is outcome "failed"',
        ),
      });
    },
  },
  {
    name: 'refund-result',
    expect: 'acknowledged',
    sent: 'REFUND_RESULT, refundStatus SUCCESS',
    fix: 'handle REFUND_RESULT (onRefund, or onOther) and acknowledge it',
    build: async () =>
      one({
        notifyType: 'REFUND_RESULT',
        result: S,
        refundStatus: 'SUCCESS',
        refundRequestId: id('RF'),
        refundId: id('2026'),
        refundAmount: { currency: 'USD', value: '500' },
        refundTime: TIME,
      }),
  },
  {
    name: 'capture-result',
    expect: 'acknowledged',
    sent: 'CAPTURE_RESULT, resultStatus S',
    fix: 'handle CAPTURE_RESULT (onCapture, or onOther) and acknowledge it',
    build: async () =>
      one({
        notifyType: 'CAPTURE_RESULT',
        result: S,
        captureRequestId: id('CP'),
        paymentId: id('2026'),
        captureId: id('2026'),
        captureAmount: { currency: 'USD', value: '1999' },
        captureTime: TIME,
      }),
  },
  {
    name: 'unknown-notify-type',
    expect: 'acknowledged',
    sent: 'a notifyType this version does not know (NEW_RESULT)',
    fix: 'acknowledge a verified notification you do not handle (log it): refusing it only makes Antom resend it for a day',
    build: async () => one({ notifyType: 'NEW_RESULT', result: S, someId: id('X') }),
  },
  {
    name: 'unknown-fields',
    expect: 'acknowledged',
    sent: 'PAYMENT_RESULT with fields Antom may add tomorrow',
    fix: 'keep unknown fields: a schema that refuses them refuses the real notification the day Antom adds one',
    build: async (i) => one({ ...payment(await i.order(), 'PAYMENT_RESULT', S), brandNewField: { nested: [1, 'two'] }, anotherOne: 'x' }),
  },
  {
    name: 'reordered-body',
    expect: 'acknowledged',
    sent: 'PAYMENT_RESULT with its keys in another order and whitespace between them',
    fix: 'verify the bytes as received: re-serializing the parsed JSON gives other bytes, and the signature no longer matches',
    build: async (i) => {
      const p = payment(await i.order(), 'PAYMENT_RESULT', S);
      const reordered = Object.fromEntries(Object.entries(p).reverse());
      return [{ body: JSON.stringify(reordered, null, 2) }];
    },
  },
  {
    name: 'forged-signature',
    expect: 'not acknowledged',
    sent: 'PAYMENT_RESULT with a signature made by no key',
    fix: VERIFY_FIX,
    build: async (i) =>
      forged(i, () => ({
        signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(randomBytes(256).toString('base64'))}`,
      })),
  },
  {
    name: 'signature-over-other-bytes',
    expect: 'not acknowledged',
    sent: 'PAYMENT_RESULT whose signature is over another body (another amount)',
    fix: VERIFY_FIX,
    build: async (i) => forged(i, (_, p) => ({ signedBody: json({ ...p, paymentAmount: { currency: 'USD', value: '1' } }) })),
  },
  {
    name: 'another-merchant',
    expect: 'not acknowledged',
    sent: "PAYMENT_RESULT signed for another merchant's client id",
    fix: 'check the client-id header against your own client id (verifyNotification does, with clientId)',
    build: async (i) => forged(i, () => ({ clientId: `${i.clientId.slice(0, 100)}_OTHER` })),
  },
  {
    name: 'missing-signature',
    expect: 'not acknowledged',
    sent: 'PAYMENT_RESULT without its signature header',
    fix: VERIFY_FIX,
    build: async (i) => forged(i, () => ({ dropHeader: 'signature' })),
  },
  {
    name: 'slow-body',
    expect: 'an answer',
    sent: 'PAYMENT_RESULT sent a few bytes at a time over 2 seconds',
    fix: 'bound how long a body may take (bodyTimeoutMs) and answer: a slow sender must not hold the endpoint',
    build: async (i) => one(payment(await i.order(), 'PAYMENT_RESULT', S), { slow: { chunks: 8, spreadMs: 2000 } }),
  },
  {
    name: 'large-body',
    expect: 'an answer',
    sent: 'a signed PAYMENT_RESULT of 2 MiB',
    fix: 'bound the body size (maxBodyBytes) and answer 413 past it',
    build: async (i) => one({ ...payment(await i.order(), 'PAYMENT_RESULT', S), padding: 'x'.repeat(2 * 1024 * 1024) }),
  },
];
