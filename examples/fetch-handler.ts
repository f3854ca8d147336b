// A Fetch-API notify route (Next.js app router, Hono, Bun, Deno): `export const POST = createNotifyRoute(client)`.
// Run: npx tsx examples/fetch-handler.ts — pays on the embedded gateway and lets it notify this route.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AmsClient, buildExtendInfo, createFetchNotificationHandler, matchNotification, toMinorUnits } from 'ams-cashier';
import { startAmsGateway } from 'ams-cashier/mocks';

/** What app/api/alipay/notify/route.ts would hold (Next.js): the handler reads request.text() itself. */
export function createNotifyRoute(client: AmsClient, paid: Set<string>, orders: Map<string, { currency: string; value: string }>) {
  return createFetchNotificationHandler({
    client,
    path: '/api/alipay/notify',
    onPayment: async (notification) => {
      // Signed by Alipay is not "for this order": compare it with what you charged before marking it paid.
      const amount = orders.get(notification.paymentRequestId);
      if (!amount) throw new Error(`unknown paymentRequestId ${notification.paymentRequestId}`); // not acknowledged: retried
      if (notification.outcome !== 'paid') return; // failed or pending: nothing to mark (acknowledged)
      // A match means paid, for this request id, currency and amount.
      const { ok, mismatches } = matchNotification(notification, {
        paymentRequestId: notification.paymentRequestId,
        paymentAmount: amount,
      });
      if (!ok) throw new Error(`notification differs from the order: ${mismatches.map((m) => m.field).join(', ')}`);
      paid.add(notification.paymentRequestId);
    },
  });
}

// Everything below only makes the example runnable without a framework.
if (import.meta.url === `file://${process.argv[1]}`) {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const gateway = await startAmsGateway({
    clientId: 'SANDBOX_DEMO_MERCHANT',
    merchantPublicKey: keys.publicKey,
    notifyRetryCompression: 1000,
  });
  const client = new AmsClient({
    clientId: 'SANDBOX_DEMO_MERCHANT',
    privateKey: keys.privateKey,
    alipayPublicKey: gateway.alipayPublicKey,
    baseUrl: gateway.url,
  });
  const paid = new Set<string>();
  const orders = new Map<string, { currency: string; value: string }>();
  const POST = createNotifyRoute(client, paid, orders);

  // A minimal bridge from node:http to the Fetch handler (a framework does this for you).
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const response = await POST(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method ?? 'POST', headers, body: Buffer.concat(chunks) }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/alipay/notify`;

  try {
    const amount = { currency: 'USD', value: toMinorUnits('5.00', 'USD') };
    const paymentRequestId = `fetch-example-${Date.now()}`;
    orders.set(paymentRequestId, amount);
    const res = await client.pay({
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId,
      order: {
        referenceOrderId: 'order-2',
        orderDescription: 'Sticker',
        orderAmount: amount,
        extendInfo: buildExtendInfo({ chinaExtraTransInfo: { businessType: '4', goods: [{ name: 'Sticker', quantity: 1 }] } }),
      },
      paymentAmount: amount,
      paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
      paymentRedirectUrl: 'https://merchant.example/return',
      paymentNotifyUrl: notifyUrl,
      env: { terminalType: 'WEB' },
      settlementStrategy: { settlementCurrency: 'USD' },
    });
    await gateway.core.completePayment(res.paymentId); // the buyer pays
    const delivery = await gateway.waitForNotification({ paymentId: res.paymentId, timeoutMs: 5_000 });
    console.log(`notification ${delivery.state} after ${delivery.attempts.length} attempt(s); paid: ${[...paid].join(', ')}`);
  } finally {
    server.closeAllConnections();
    server.close();
    await gateway.close();
  }
}
