// A small merchant backend: checkout → pay → cashier redirect, a raw-body notify endpoint, and a return page.
import { randomUUID } from 'node:crypto';
import express, { type Express, type Request } from 'express';
import {
  AmsApiError,
  AmsClient,
  buildExtendInfo,
  cashierRedirect,
  createNotificationHandler,
  fromMinorUnits,
  matchNotification,
  toMinorUnits,
  type PayResponse,
} from 'ams-cashier';

export type OrderStatus = 'pending' | 'paid' | 'failed' | 'cancelled';

export interface Order {
  orderId: string;
  paymentRequestId: string;
  paymentId?: string | undefined;
  item: string;
  amount: { currency: string; value: string };
  status: OrderStatus;
  /** How the status became known: the verified notification, or an inquiry. */
  source?: 'notification' | 'inquiry';
  createdAt: number;
}

/** Moments the demo timeline prints; a real shop would log them. */
export type MerchantEventType = 'order.created' | 'pay.answered' | 'notification.verified' | 'notification.acknowledged' | 'return.viewed';

export interface MerchantAppOptions {
  client: AmsClient;
  /** The notify route; also the path Alipay signs. Default '/alipay/notify'. */
  notifyPath?: string;
  /** The shop's public origin (behind a proxy or tunnel). Default: taken from each request's Host. */
  publicUrl?: string;
  /** Contract settlement currency; the shop charges in it. Default 'USD'. */
  currency?: string;
  onEvent?: (type: MerchantEventType, detail: Record<string, unknown>) => void;
  /**
   * Test routes for `ams-cashier notify-test --order-url`: POST /test/orders makes an order without paying it (the
   * tool's notifications then carry its id and amount), GET /test/orders?paymentRequestId=… says whether it is paid.
   * Never in production. Default false.
   */
  testRoutes?: boolean;
}

export interface MerchantApp {
  app: Express;
  /** The shop's own order store (in memory: a real shop uses its database). */
  orders: Map<string, Order>;
}

const page = (title: string, body: string, refresh = false): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>${refresh ? '<meta http-equiv="refresh" content="1">' : ''}
<style>body{font-family:system-ui,sans-serif;max-width:480px;margin:40px auto;color:#1f2a37}
button{font-size:16px;padding:10px 18px;border-radius:8px;border:0;background:#1677ff;color:#fff;cursor:pointer}
.status{font-size:28px;font-weight:600}</style></head><body>${body}</body></html>`;

/**
 * The shop's prices, in major units. Prices live on the server: the buyer's form says what to buy, never what it
 * costs. The second item carries one of the embedded gateway's magic amounts (…4051: pay is refused) for the demo.
 */
export const CATALOG: Readonly<Record<string, string>> = { 'T-shirt': '19.99', 'Demo: refused payment': '40.51' };

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The express app of the example shop. Listen on it yourself (start.ts and the tests do). */
export function createMerchantApp(options: MerchantAppOptions): MerchantApp {
  const { client, notifyPath = '/alipay/notify', currency = 'USD', onEvent = () => undefined } = options;
  const orders = new Map<string, Order>();
  const byRequestId = new Map<string, Order>();
  const app = express();
  const origin = (req: Request): string => options.publicUrl ?? `${req.protocol}://${req.get('host')}`;

  app.get('/', (_req, res) => {
    res.type('html').send(
      page(
        'Example shop',
        `<h1>Example shop</h1><p>One T-shirt, ${fromMinorUnits(toMinorUnits('19.99', currency), currency)} ${currency}.</p>
<form method="post" action="/checkout"><input type="hidden" name="item" value="T-shirt">
<button type="submit" id="checkout">Pay with Alipay</button></form>`,
      ),
    );
  });

  // Checkout: create the order, call pay, send the buyer to the cashier.
  app.post('/checkout', express.urlencoded({ extended: false }), async (req, res) => {
    const form = req.body as { item?: unknown } | undefined;
    const item = typeof form?.item === 'string' ? form.item : 'T-shirt';
    const price = Object.hasOwn(CATALOG, item) ? CATALOG[item] : undefined;
    if (price === undefined) {
      res
        .status(400)
        .type('html')
        .send(page('Unknown item', `<h1>Unknown item</h1><p>${escape(item.slice(0, 80))} is not for sale here.</p>`));
      return;
    }
    const amount = { currency, value: toMinorUnits(price, currency) };
    const orderId = `order-${randomUUID().slice(0, 8)}`;
    const order: Order = { orderId, paymentRequestId: `pay-${orderId}`, item, amount, status: 'pending', createdAt: Date.now() };
    orders.set(orderId, order);
    byRequestId.set(order.paymentRequestId, order);
    onEvent('order.created', { orderId });
    let answer: PayResponse;
    try {
      answer = await client.pay({
        productCode: 'CASHIER_PAYMENT',
        paymentRequestId: order.paymentRequestId,
        order: {
          referenceOrderId: orderId,
          orderDescription: item,
          orderAmount: amount,
          extendInfo: buildExtendInfo({ chinaExtraTransInfo: { businessType: '4', goodsInfo: `${item}^1`, totalQuantity: '1' } }),
        },
        paymentAmount: amount,
        paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
        paymentRedirectUrl: `${origin(req)}/return?order=${orderId}`,
        paymentNotifyUrl: `${origin(req)}${notifyPath}`,
        env: { terminalType: 'WEB' },
        settlementStrategy: { settlementCurrency: currency },
      });
    } catch (err) {
      order.status = 'failed';
      const why = err instanceof AmsApiError ? `${err.resultCode}: ${err.resultMessage}` : 'the payment could not be created';
      res
        .status(502)
        .type('html')
        .send(page('Payment failed', `<h1>Payment failed</h1><p>${escape(why)}</p>`));
      return;
    }
    order.paymentId = answer.paymentId;
    onEvent('pay.answered', { orderId, paymentId: answer.paymentId, result: answer.result });
    // The guide's redirect: a GET form to redirectUrl carrying every parameter. A browser gets the page, which
    // submits itself; other clients (scripts, tests) get the same GET as one URL in a 303.
    const redirect = cashierRedirect(answer);
    if (req.accepts(['json', 'html']) === 'html' || !redirect.url) res.type('html').send(redirect.html);
    else res.redirect(303, redirect.url);
  });

  // Notifications: the raw body, verified by the handler; acknowledged only after the order is updated.
  const notify = createNotificationHandler({
    client,
    path: notifyPath,
    onPayment: (n) => {
      const order = byRequestId.get(n.paymentRequestId);
      // Throwing answers 500: Alipay sends it again, so nothing is lost while the order is not found (a restart,
      // a replica behind) — acknowledging here would drop a real payment for good.
      if (!order) throw new Error(`notification for unknown paymentRequestId ${n.paymentRequestId}`);
      // Signed by Alipay is not "for this order": compare the id, currency and amount before recording it. A match
      // needs `paid` unless other outcomes are named; this shop records failed and pending ones too, so it names them.
      const match = matchNotification(
        n,
        { paymentRequestId: order.paymentRequestId, paymentAmount: order.amount },
        { outcomes: ['paid', 'failed', 'pending'] },
      );
      if (!match.ok) {
        throw new Error(
          `notification differs from order ${order.orderId} (${match.mismatches.map((m) => m.field).join(', ')}): investigate before shipping`,
        );
      }
      onEvent('notification.verified', { orderId: order.orderId, paymentId: n.paymentId, outcome: n.outcome });
      // `outcome`, never resultStatus: a PAYMENT_PENDING carries resultStatus S and is not paid.
      if (n.outcome !== 'pending') {
        order.status = n.outcome;
        order.source = 'notification';
      }
    },
    onRefund: () => undefined,
  });
  app.post(notifyPath, express.raw({ type: '*/*' }), async (req, res, next) => {
    res.on('finish', () => {
      if (res.statusCode === 200) onEvent('notification.acknowledged', { status: res.statusCode });
    });
    await notify(req, res, next);
  });

  if (options.testRoutes === true) {
    app.post('/test/orders', (_req, res) => {
      const amount = { currency, value: toMinorUnits(CATALOG['T-shirt']!, currency) };
      const orderId = `order-${randomUUID().slice(0, 8)}`;
      const order: Order = {
        orderId,
        paymentRequestId: `pay-${orderId}`,
        item: 'T-shirt',
        amount,
        status: 'pending',
        createdAt: Date.now(),
      };
      orders.set(orderId, order);
      byRequestId.set(order.paymentRequestId, order);
      res.json({ paymentRequestId: order.paymentRequestId, paymentAmount: amount });
    });
    app.get('/test/orders', (req, res) => {
      const order = byRequestId.get(typeof req.query.paymentRequestId === 'string' ? req.query.paymentRequestId : '');
      if (!order) res.status(404).json({ error: 'unknown order' });
      else res.json({ paid: order.status === 'paid' });
    });
  }

  // The buyer comes back here. The store decides; while pending, ask Alipay (a notification may be late).
  app.get('/return', async (req, res) => {
    const order = orders.get(typeof req.query.order === 'string' ? req.query.order : '');
    if (!order) {
      res.status(404).type('html').send(page('Unknown order', '<h1>Unknown order</h1>'));
      return;
    }
    if (order.status === 'pending') {
      try {
        const inquiry = await client.inquiryPayment({ paymentRequestId: order.paymentRequestId });
        const mapped: Partial<Record<string, OrderStatus>> = { SUCCESS: 'paid', FAIL: 'failed', CANCELLED: 'cancelled' };
        const status = mapped[inquiry.paymentStatus];
        if (status && order.status === 'pending') {
          order.status = status;
          order.source = 'inquiry';
        }
      } catch {
        // Still pending as far as we know; the page refreshes.
      }
    }
    onEvent('return.viewed', { orderId: order.orderId, status: order.status });
    res.type('html').send(
      page(
        `Order ${order.orderId}`,
        `<h1>Order ${escape(order.orderId)}</h1><p>${escape(order.item)} — ${fromMinorUnits(order.amount.value, order.amount.currency)} ${order.amount.currency}</p>
<p>Status: <span class="status" id="status">${order.status}</span></p>${order.status === 'pending' ? '<p>Waiting for Alipay…</p>' : ''}`,
        order.status === 'pending',
      ),
    );
  });

  app.get('/orders/:id', (req, res) => {
    const order = orders.get(req.params.id);
    if (!order) res.status(404).json({ error: 'unknown order' });
    else res.json(order);
  });

  return { app, orders };
}
