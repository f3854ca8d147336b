// Payment sessions at the gateway: createPaymentSession issues them in the web SDK's format, retrievePaymentSession
// reads one back, and the SDK's pages and RPCs find theirs by the session string the browser holds.
import { randomBytes } from 'node:crypto';
import { paymentSessionRequestIssues, retrievePaymentSessionRequestIssues } from '../src/api/requests';
import { formatRequestTime, parseRequestTime } from '../src/rules/time';
import { result, type ApiAnswer } from './answers';
import type { ExtraApiContext } from './apis';
import { CHECKOUT_PAGE_PATH, encodeSessionData, paymentMethodCategoryType, sameSession, sessionKeyOf } from './web-sdk';
import type { GatewayState, SessionRecord } from './state';
import type { PaymentRecord } from './types';

/** A session's scene when the request names none: the hosted Checkout Page, the one page that needs no decoding. */
export const DEFAULT_PRODUCT_SCENE = 'CHECKOUT_PAYMENT';

/** What the session answers need beyond the API context: where sessions are kept and the SDK region code. */
export interface SessionStore {
  sessions: Map<string, SessionRecord>;
  regionCode: string;
}

/**
 * createPaymentSession. A session is a payment waiting for the buyer: it is created as `pay` creates one (same
 * checks, same idempotency by paymentRequestId), and paying it sends the payment notification. Without a payment
 * method the buyer picks one; the gateway records `CHECKOUT_PAGE`. The same paymentRequestId and scene give the same
 * session back.
 */
export function createSession(
  body: Record<string, unknown>,
  ctx: ExtraApiContext,
  store: SessionStore,
  refuse: (issues: ReturnType<typeof paymentSessionRequestIssues>) => ApiAnswer | undefined,
): ApiAnswer {
  const refused = refuse(paymentSessionRequestIssues(body, ctx.now, ctx.rules));
  if (refused) return refused;
  const paymentRequestId = body.paymentRequestId as string;
  const env = (body.env as { terminalType?: string } | undefined) ?? { terminalType: 'WEB' };
  const { paymentSessionExpiryTime, productScene, ...rest } = body;
  const created = ctx.pay({
    ...rest,
    productCode: 'CASHIER_PAYMENT',
    paymentMethod: body.paymentMethod ?? { paymentMethodType: 'CHECKOUT_PAGE' },
    paymentRedirectUrl: body.paymentRedirectUrl ?? `${ctx.origin}/`,
    env,
  });
  const status = (created.body.result as { resultStatus: string; resultCode: string }) ?? { resultStatus: 'F', resultCode: '' };
  const payment = ctx.payment({ paymentRequestId });
  if (!payment || status.resultStatus === 'F' || (status.resultStatus === 'U' && status.resultCode !== 'PAYMENT_IN_PROCESS'))
    return created;
  const scene = typeof productScene === 'string' ? productScene : DEFAULT_PRODUCT_SCENE;
  let session = [...store.sessions.values()].find((s) => s.paymentId === payment.paymentId && s.productScene === scene);
  if (!session) {
    const expiryTime =
      typeof paymentSessionExpiryTime === 'string' ? paymentSessionExpiryTime : formatRequestTime(new Date(ctx.now.getTime() + 3600_000));
    // The key is the session's only credential in the browser (the SDK's RPCs carry no signature): unguessable.
    const key = randomBytes(48).toString('base64');
    session = {
      key,
      data: encodeSessionData(key, store.regionCode, store.sessions.size + 1, {
        paymentSessionConfig: {
          productScene: scene,
          productSceneVersion: '1.0',
          paymentMethodCategoryType: paymentMethodCategoryType(scene),
        },
        clientId: payment.clientId,
      }),
      paymentSessionId: `SESSION_${randomBytes(16).toString('hex')}`,
      paymentId: payment.paymentId,
      productScene: scene,
      expiresAtMs: parseRequestTime(expiryTime) ?? ctx.now.getTime() + 3600_000,
      expiryTime,
      order: { ...(body.order as Record<string, unknown>) },
    };
    store.sessions.set(key, session);
  }
  return {
    signed: true,
    body: {
      result: result('S', 'SUCCESS', 'success'),
      paymentSessionData: session.data,
      paymentSessionId: session.paymentSessionId,
      paymentSessionExpiryTime: session.expiryTime,
      // The hosted Checkout Page for its scene (Antom's normalUrl is its checkout.antom.com page); the cashier otherwise.
      normalUrl:
        scene === 'CHECKOUT_PAYMENT'
          ? `${ctx.origin}${CHECKOUT_PAGE_PATH}?${new URLSearchParams({ sessionData: session.data }).toString()}`
          : payment.normalUrl,
    },
  };
}

/**
 * retrievePaymentSession by paymentRequestId: the session's order (Antom returns it for the Checkout Page and
 * Element scenes). A paymentRequestId without a session is `F PROCESS_FAIL`, the reference's general failure.
 */
export function retrieveSession(
  body: Record<string, unknown>,
  ctx: ExtraApiContext,
  store: SessionStore,
  refuse: (issues: ReturnType<typeof retrievePaymentSessionRequestIssues>) => ApiAnswer | undefined,
): ApiAnswer {
  const refused = refuse(retrievePaymentSessionRequestIssues(body));
  if (refused) return refused;
  const payment = ctx.payment({ paymentRequestId: body.paymentRequestId as string });
  const session = payment && [...store.sessions.values()].reverse().find((s) => s.paymentId === payment.paymentId);
  if (!session) return ctx.reject('PROCESS_FAIL', `no payment session for paymentRequestId ${String(body.paymentRequestId)}`, true);
  return { signed: true, body: { result: result('S', 'SUCCESS', 'success.'), order: session.order } };
}

/** A session the browser holds, found by its string: why not, when it cannot be used. */
export type FoundSession = { session: SessionRecord; payment: PaymentRecord } | { problem: 'unknown' | 'expired' };

/** The session (and its payment) of a session string as the SDK sends it: whole, or its first three segments. */
export function findSession(state: GatewayState, value: unknown, nowMs: number): FoundSession {
  const key = sessionKeyOf(value);
  const session = key === undefined ? undefined : state.sessions.get(key);
  const payment = session && state.payments.get(session.paymentId);
  if (!session || !payment || !sameSession(value as string, session.data)) return { problem: 'unknown' };
  if (nowMs > session.expiresAtMs) return { problem: 'expired' };
  return { session, payment };
}
