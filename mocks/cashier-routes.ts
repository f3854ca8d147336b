// The cashier page's routes: show a payment, and the buyer's pay and cancel buttons, which settle it.
import { formatIsoWithOffset } from '../src/rules/time';
import { HTML_HEADERS } from './answers';
import { CASHIER_PATH, renderCashierPage, renderMessagePage, type CashierView } from './cashier';
import { buyerActs } from './buyer';
import { expiresAtMs } from './payments';
import type { GatewayContext } from './state';
import type { GatewayReply, GatewayRequest, PaymentRecord } from './types';

/** A request under CASHIER_PATH: the page (GET), or the buyer's pay / cancel (POST). */
export async function handleCashierRequest(ctx: GatewayContext, req: GatewayRequest, url: URL): Promise<GatewayReply> {
  const html = (status: number, body: string): GatewayReply => ({ status, headers: HTML_HEADERS, body });
  const action = url.pathname.slice(CASHIER_PATH.length);
  if (action === '' && req.method === 'GET') {
    const id = url.searchParams.get('paymentId') ?? '';
    const p = ctx.state.payments.get(id);
    if (!p) return html(404, renderMessagePage('Payment not found', `No payment "${id.slice(0, 80)}" exists on this gateway.`));
    ctx.emit({ type: 'cashier.viewed', paymentId: p.paymentId });
    return html(200, renderCashierPage(view(p)));
  }
  if ((action === '/pay' || action === '/cancel') && req.method === 'POST') {
    const id = new URLSearchParams(req.body).get('paymentId') ?? '';
    const p = ctx.state.payments.get(id);
    if (!p) return html(404, renderMessagePage('Payment not found', `No payment "${id.slice(0, 80)}" exists on this gateway.`));
    const done = await buyerActs(ctx, p, action === '/pay' ? 'pay' : 'cancel');
    if (done.note) return html(200, renderCashierPage(view(p, done.note)));
    return {
      status: 303,
      headers: { location: p.paymentRedirectUrl, 'content-type': 'text/plain', 'cache-control': 'no-store' },
      body: `See ${p.paymentRedirectUrl}`,
    };
  }
  return html(405, renderMessagePage('Not here', `${req.method} ${url.pathname} is not a cashier action.`));
}

/** The cashier page's view of a payment. */
export function view(p: PaymentRecord, note?: string): CashierView {
  return {
    paymentId: p.paymentId,
    paymentRequestId: p.paymentRequestId,
    clientId: p.clientId,
    referenceOrderId: p.referenceOrderId,
    orderDescription: p.orderDescription,
    amount: p.paymentAmount,
    status: p.status,
    qrContent: p.normalUrl,
    expiresAt: Number.isFinite(expiresAtMs(p)) ? formatIsoWithOffset(expiresAtMs(p)) : undefined,
    note,
  };
}
