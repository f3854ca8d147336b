// The hosted Checkout Page that Antom's AMSCheckoutPage frames: the cashier for a session, telling its parent the
// outcome with the SDK's `SDK_PAYMENT_*` messages.
import { HTML_HEADERS, JSON_HEADERS } from './answers';
import { buyerActs, type BuyerOutcome } from './buyer';
import { inlineJson, renderCashierPage, renderMessagePage } from './cashier';
import { view } from './cashier-routes';
import { findSession } from './sessions';
import type { GatewayContext } from './state';
import type { GatewayReply, GatewayRequest, PaymentRecord } from './types';
import { CHECKOUT_PAGE_PATH } from './web-sdk';

const ACTIONS_DIR = CHECKOUT_PAGE_PATH.slice(0, CHECKOUT_PAGE_PATH.lastIndexOf('/') + 1);

/** The event codes AMSCheckoutPage hands to `onEventCallback` (it forwards any `SDK_PAYMENT…` code it is posted). */
export type CheckoutPageCode =
  'SDK_PAYMENT_SUCCESSFUL' | 'SDK_PAYMENT_FAIL' | 'SDK_PAYMENT_CANCEL' | 'SDK_PAYMENT_PROCESSING' | 'SDK_PAYMENT_ERROR';

/** What the page posts to its parent: `{ code, message, result }`, the shape AMSCheckoutPage reads. */
export interface CheckoutPageMessage {
  code: CheckoutPageCode;
  message: string;
  /** The SDK passes this through untouched; its contents are not shown by the SDK's code, so they are kept minimal. */
  result?: { paymentRequestId: string; paymentStatus: string };
}

/** Whether a path belongs to the Checkout Page (the page and its two actions). */
export function isCheckoutPagePath(pathname: string): boolean {
  return pathname === CHECKOUT_PAGE_PATH || pathname === `${ACTIONS_DIR}pay` || pathname === `${ACTIONS_DIR}cancel`;
}

/** The message for a payment's state after the buyer acted. */
export function checkoutPageMessage(p: PaymentRecord, done: BuyerOutcome): CheckoutPageMessage {
  const result = { paymentRequestId: p.paymentRequestId, paymentStatus: p.status };
  switch (p.status) {
    case 'SUCCESS':
      return { code: 'SDK_PAYMENT_SUCCESSFUL', message: 'The payment succeeded.', result };
    case 'FAIL':
      return { code: 'SDK_PAYMENT_FAIL', message: p.resultMessage, result };
    case 'CANCELLED':
      return { code: 'SDK_PAYMENT_CANCEL', message: 'The buyer cancelled the payment.', result };
    default:
      return done.expired
        ? { code: 'SDK_PAYMENT_ERROR', message: done.note ?? 'The payment has expired.', result }
        : { code: 'SDK_PAYMENT_PROCESSING', message: done.note ?? 'The payment is being processed.', result };
  }
}

const SESSION_PROBLEMS = {
  unknown: { status: 404, title: 'Session not found', message: 'This payment session does not exist on this gateway.' },
  expired: { status: 410, title: 'Session expired', message: 'This payment session has expired (paymentSessionExpiryTime).' },
} as const;

/** `lang=en_US` → `en-US`; anything else → `en`. */
function htmlLang(lang: string | null): string {
  return lang && /^[a-z]{2}(?:_[A-Z]{2})?$/.test(lang) ? lang.replace('_', '-') : 'en';
}

/**
 * GET the page (`sessionData`, `lang`, `mode=embed`, `shadow=true` as the SDK sends them), or POST `pay` / `cancel`
 * with `{ sessionData }`: JSON `{ code, message, result, redirectUrl }`.
 */
export async function handleCheckoutPageRequest(ctx: GatewayContext, req: GatewayRequest, url: URL): Promise<GatewayReply> {
  const json = (status: number, body: unknown): GatewayReply => ({
    status,
    headers: { ...JSON_HEADERS, 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  });
  if (url.pathname === CHECKOUT_PAGE_PATH) {
    if (req.method !== 'GET') return { status: 405, headers: { allow: 'GET', 'content-type': 'text/plain' }, body: 'GET only' };
    const embed = url.searchParams.get('mode') === 'embed';
    const found = findSession(ctx.state, url.searchParams.get('sessionData'), ctx.clock.now().getTime());
    if ('problem' in found) {
      const problem = SESSION_PROBLEMS[found.problem];
      const message: CheckoutPageMessage = { code: 'SDK_PAYMENT_ERROR', message: problem.message };
      const page = renderMessagePage(problem.title, problem.message);
      // Embedded, the merchant hears of it through onEventCallback rather than an empty frame.
      const tell = embed ? `<script>parent.postMessage(JSON.stringify(${inlineJson(message)}), '*');</script>` : '';
      return { status: problem.status, headers: HTML_HEADERS, body: page.replace('</body>', `${tell}</body>`) };
    }
    const { payment } = found;
    ctx.emit({ type: 'cashier.viewed', paymentId: payment.paymentId, message: 'checkout page' });
    const page = renderCashierPage(view(payment), {
      lang: htmlLang(url.searchParams.get('lang')),
      ...(url.searchParams.get('shadow') === 'true' ? { badge: 'sandbox' } : {}),
      actions: `<div class="actions"><button class="pay" type="button" id="pay">Pay with test account</button>
  <button class="cancel" type="button" id="cancel">Cancel</button></div><p class="muted" id="outcome" role="status"></p>`,
      script: pageScript(url.searchParams.get('sessionData')!, embed),
    });
    return { status: 200, headers: HTML_HEADERS, body: page };
  }
  if (req.method !== 'POST') return { status: 405, headers: { allow: 'POST', 'content-type': 'text/plain' }, body: 'POST only' };
  let sessionData: unknown;
  try {
    sessionData = (JSON.parse(req.body) as { sessionData?: unknown } | null)?.sessionData;
  } catch {
    return json(400, { code: 'SDK_PAYMENT_ERROR', message: 'the body must be JSON: {"sessionData": "…"}' });
  }
  const found = findSession(ctx.state, sessionData, ctx.clock.now().getTime());
  if ('problem' in found) {
    const problem = SESSION_PROBLEMS[found.problem];
    return json(problem.status, { code: 'SDK_PAYMENT_ERROR', message: problem.message });
  }
  const { payment } = found;
  const done = await buyerActs(ctx, payment, url.pathname.endsWith('/pay') ? 'pay' : 'cancel');
  return json(200, { ...checkoutPageMessage(payment, done), redirectUrl: payment.paymentRedirectUrl });
}

/**
 * The buttons' script: POST the action, show the outcome, then tell the parent (embedded: the message
 * AMSCheckoutPage turns into onEventCallback, sent to the parent's origin) or, as a page of its own, go to the
 * merchant's paymentRedirectUrl once the payment is over.
 */
function pageScript(sessionData: string, embed: boolean): string {
  return `(() => {
  const sessionData = ${inlineJson(sessionData)};
  const embedded = ${embed ? 'true' : 'false'} && window.parent !== window;
  const ancestors = location.ancestorOrigins;
  let parentOrigin = ancestors && ancestors.length > 0 ? ancestors[0] : '*';
  if (parentOrigin === '*' && document.referrer) { try { parentOrigin = new URL(document.referrer).origin; } catch {} }
  const buttons = [document.getElementById('pay'), document.getElementById('cancel')];
  async function act(action) {
    buttons.forEach((b) => { b.disabled = true; });
    let answer;
    try {
      const res = await fetch(action, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionData }) });
      answer = await res.json();
    } catch (err) {
      answer = { code: 'SDK_PAYMENT_ERROR', message: 'The gateway could not be reached: ' + String(err) };
    }
    document.getElementById('outcome').textContent = answer.code + ': ' + answer.message;
    if (answer.result) document.getElementById('status').textContent = answer.result.paymentStatus;
    const over = answer.result && answer.result.paymentStatus !== 'PROCESSING' && answer.result.paymentStatus !== 'PENDING';
    buttons.forEach((b) => { b.disabled = false; b.hidden = over; });
    if (embedded) window.parent.postMessage(JSON.stringify({ code: answer.code, message: answer.message, result: answer.result }), parentOrigin);
    else if (over && answer.redirectUrl) location.assign(answer.redirectUrl);
  }
  buttons[0].addEventListener('click', () => act('pay'));
  buttons[1].addEventListener('click', () => act('cancel'));
})();`;
}
