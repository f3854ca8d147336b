// The cashier page's routes: show a payment, and the buyer's pay and cancel buttons, which settle it.
import { formatIsoWithOffset } from '../src/rules/time';
import { HTML_HEADERS } from './answers';
import { CASHIER_PATH, renderCashierPage, renderMessagePage } from './cashier';
import { expiresAtMs, markCancelled, settle } from './payments';
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
    if (p.status === 'PROCESSING') {
      if (action === '/cancel') markCancelled(ctx, p);
      else if (ctx.clock.now().getTime() > expiresAtMs(p)) {
        return html(
          200,
          renderCashierPage(
            view(
              p,
              'This payment has expired (paymentExpiryTime, or 14 minutes by default): it can no longer be paid. Cancel it and create a new one.',
            ),
          ),
        );
      } else if (p.magic === 'NEVER_SETTLES')
        return html(
          200,
          renderCashierPage(view(p, 'This payment never settles (magic amount …4053): it stays PROCESSING until cancelled.')),
        );
      else if (p.magic === 'FAIL_AT_CASHIER') await settle(ctx, p, 'FAIL', 'USER_BALANCE_NOT_ENOUGH');
      else await settle(ctx, p, 'SUCCESS', 'SUCCESS');
    }
    return {
      status: 303,
      headers: { location: p.paymentRedirectUrl, 'content-type': 'text/plain', 'cache-control': 'no-store' },
      body: `See ${p.paymentRedirectUrl}`,
    };
  }
  return html(405, renderMessagePage('Not here', `${req.method} ${url.pathname} is not a cashier action.`));
}

function view(p: PaymentRecord, note?: string) {
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
