// The example shop against the embedded gateway, in process: checkout, cashier, notification, return page.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedShop, type EmbeddedShop } from '../../examples/express-merchant/embedded';

let shop: EmbeddedShop | undefined;
afterEach(async () => shop?.close());

async function checkout(): Promise<{ cashierUrl: string; paymentId: string }> {
  const res = await fetch(`${shop!.merchantUrl}/checkout`, {
    method: 'POST',
    body: new URLSearchParams({ item: 'T-shirt' }),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  const cashierUrl = res.headers.get('location')!;
  expect(cashierUrl.startsWith(`${shop!.gateway.url}/alipaycn/pc/cashier?`)).toBe(true);
  return { cashierUrl, paymentId: new URL(cashierUrl).searchParams.get('paymentId')! };
}

describe('example shop', () => {
  it('pays: the notification marks the order paid before the buyer is back', async () => {
    const events: string[] = [];
    shop = await startEmbeddedShop({ onEvent: (type) => events.push(type) });
    const { cashierUrl, paymentId } = await checkout();
    expect(await (await fetch(cashierUrl)).text()).toContain('19.99 USD');
    const paid = await fetch(`${shop.gateway.url}/alipaycn/pc/cashier/pay`, {
      method: 'POST',
      body: new URLSearchParams({ paymentId }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    const orderId = new URL(paid.headers.get('location')!).searchParams.get('order')!;
    const order = shop.merchant.orders.get(orderId)!;
    expect(order).toMatchObject({ status: 'paid', source: 'notification', paymentId });
    const back = await (await fetch(paid.headers.get('location')!)).text();
    expect(back).toContain('id="status">paid<');
    expect(events).toEqual(['order.created', 'pay.answered', 'notification.verified', 'notification.acknowledged', 'return.viewed']);
    expect(shop.gateway.deliveries[0]).toMatchObject({ state: 'acknowledged', path: '/alipay/notify' });
  });

  it('cancelled at the cashier: the return page learns it by inquiry', async () => {
    shop = await startEmbeddedShop();
    const { paymentId } = await checkout();
    const r = await fetch(`${shop.gateway.url}/alipaycn/pc/cashier/cancel`, {
      method: 'POST',
      body: new URLSearchParams({ paymentId }),
      redirect: 'manual',
    });
    const back = await (await fetch(r.headers.get('location')!)).text();
    expect(back).toContain('id="status">cancelled<');
  });

  it('a notification that does not verify is not acknowledged, so the gateway retries', async () => {
    shop = await startEmbeddedShop();
    const res = await fetch(`${shop.merchantUrl}/alipay/notify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'client-id': 'SANDBOX_DEMO_MERCHANT',
        'request-time': '2026-01-01T00:00:00Z',
        signature: 'algorithm=RSA256,keyVersion=1,signature=AAAA',
      },
      body: '{"notifyType":"PAYMENT_RESULT"}',
    });
    expect(res.status).toBe(401);
  });

  it('a pay refused by the gateway shows the failure (magic amount …4051)', async () => {
    shop = await startEmbeddedShop();
    const res = await fetch(`${shop.merchantUrl}/checkout`, {
      method: 'POST',
      body: new URLSearchParams({ item: 'Demo: refused payment' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('RISK_REJECT');
  });

  it('prices on the server: a form amount is ignored and an unknown item is refused', async () => {
    shop = await startEmbeddedShop();
    const res = await fetch(`${shop.merchantUrl}/checkout`, {
      method: 'POST',
      body: new URLSearchParams({ item: 'T-shirt', amount: '0.01' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(shop.gateway.payments[0]).toMatchObject({ paymentAmount: { currency: 'USD', value: '1999' } });
    const unknown = await fetch(`${shop.merchantUrl}/checkout`, {
      method: 'POST',
      body: new URLSearchParams({ item: 'Free yacht' }),
      redirect: 'manual',
    });
    expect(unknown.status).toBe(400);
    expect(shop.gateway.payments).toHaveLength(1);
  });
});
