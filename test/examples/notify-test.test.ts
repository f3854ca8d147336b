// The example shop's notify endpoint, proven by testNotificationEndpoint inside a test, as a merchant would in its own suite.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { testNotificationEndpoint } from '../../src/notify-test/run';
import { startEmbeddedShop, type EmbeddedShop } from '../../examples/express-merchant/embedded';

const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });
let shop: EmbeddedShop | undefined;
afterAll(async () => shop?.close());

describe('a merchant app under notify-test', () => {
  it(
    'passes every scenario, its order route feeding the payments; PAYMENT_PENDING leaves the order unpaid',
    { timeout: 60_000 },
    async () => {
      shop = await startEmbeddedShop({ alipayPrivateKey: alipay.privateKey, testRoutes: true });
      const orderUrl = `${shop.merchantUrl}/test/orders`;
      const report = await testNotificationEndpoint({
        url: `${shop.merchantUrl}/alipay/notify`,
        clientId: 'SANDBOX_DEMO_MERCHANT',
        alipayPrivateKey: alipay.privateKey,
        order: {
          create: async () =>
            (await (await fetch(orderUrl, { method: 'POST' })).json()) as {
              paymentRequestId: string;
              paymentAmount: { currency: string; value: string };
            },
          isPaid: async (id) => ((await (await fetch(`${orderUrl}?paymentRequestId=${id}`)).json()) as { paid: boolean }).paid,
        },
      });
      expect(report.scenarios.filter((s) => !s.ok)).toEqual([]);
      expect(report.ok).toBe(true);
      const paid = [...shop.merchant.orders.values()].filter((o) => o.status === 'paid');
      expect(paid.length).toBeGreaterThanOrEqual(4);
    },
  );
});
