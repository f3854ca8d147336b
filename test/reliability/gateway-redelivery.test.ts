// With the embedded gateway's own redelivery (Alipay's schedule, compressed): callback failures are retried by the
// gateway, forgeries are refused, and every valid notification ends processed exactly once and acknowledged.
import { createPrivateKey, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAmsGateway, type AmsGateway } from '../../mocks/index';
import { AmsClient, createNotificationHandler, type PaymentNotification } from '../../src/index';
import { alipay, merchant, other } from '../helpers/keys';
import { listen, type Running } from '../notifications/helpers';

const CLIENT = 'SANDBOX_REDELIVERY';
const PATH = '/shop/alipay/notify';
const COUNT = 150;

let gw: AmsGateway;
let shop: Running;
let client: AmsClient;
const successes = new Map<string, number>();
const calls = new Map<string, number>();

beforeAll(async () => {
  // 2 min → 1 ms: the whole 24-hour schedule fits in well under a second.
  gw = await startAmsGateway({
    clientId: CLIENT,
    merchantPublicKey: merchant.publicSpkiPem,
    alipayPrivateKey: alipay.privatePem,
    notifyRetryCompression: 120_000,
  });
  client = new AmsClient({ clientId: CLIENT, privateKey: merchant.privatePkcs8Pem, alipayPublicKey: gw.alipayPublicKey, baseUrl: gw.url });
  shop = await listen(
    createNotificationHandler({
      path: PATH,
      client,
      logger: {},
      onPayment: async (n: PaymentNotification) => {
        const n1 = (calls.get(n.paymentRequestId) ?? 0) + 1;
        calls.set(n.paymentRequestId, n1);
        const i = Number(n.paymentRequestId.split('-').pop());
        // Every 10th fails twice (the gateway must come back twice), every 7th fails once.
        if ((i % 10 === 0 && n1 <= 2) || (i % 7 === 0 && n1 === 1)) throw new Error('downstream unavailable');
        successes.set(n.paymentRequestId, (successes.get(n.paymentRequestId) ?? 0) + 1);
      },
    }),
  );
});
afterAll(async () => {
  await gw?.close();
  await shop?.close();
});

describe('gateway redelivery', () => {
  it(`${COUNT} payments: every valid notification processed exactly once, nothing forged acknowledged`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const amount = { currency: 'USD', value: String(1000 + i) };
      const res = await client.pay({
        productCode: 'CASHIER_PAYMENT',
        paymentRequestId: `redeliver-${i}`,
        order: {
          referenceOrderId: `o-${i}`,
          orderDescription: 'item',
          orderAmount: amount,
          extendInfo: { chinaExtraTransInfo: { businessType: '5', otherBusinessType: 'digital goods' } },
        },
        paymentAmount: amount,
        paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
        paymentRedirectUrl: 'https://shop.example/return',
        paymentNotifyUrl: `${shop.url}${PATH}`,
        env: { terminalType: 'WEB' },
        settlementStrategy: { settlementCurrency: 'USD' },
      });
      ids.push(res.paymentId);
    }
    // Forgeries aimed at the same endpoint while the real ones arrive.
    const forgerKey = createPrivateKey(other.privatePem);
    const forged = Array.from({ length: 20 }, (_, i) => {
      const body = JSON.stringify({
        notifyType: 'PAYMENT_RESULT',
        paymentRequestId: `redeliver-${i}`,
        paymentId: ids[i],
        paymentAmount: { currency: 'USD', value: '1' },
        result: { resultCode: 'SUCCESS', resultStatus: 'S' },
      });
      const time = new Date().toISOString();
      const sig = sign('sha256', Buffer.from(`POST ${PATH}\n${CLIENT}.${time}.${body}`), forgerKey).toString('base64');
      return fetch(`${shop.url}${PATH}`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'client-id': CLIENT,
          'request-time': time,
          signature: `algorithm=RSA256,signature=${encodeURIComponent(sig)}`,
        },
      });
    });
    await Promise.all(ids.map((id) => gw.core.completePayment(id)));
    const forgedAnswers = await Promise.all(forged);
    expect(forgedAnswers.map((r) => r.status)).toEqual(Array(20).fill(401));

    await Promise.all(ids.map((paymentId) => gw.waitForNotification({ paymentId, timeoutMs: 15_000 })));
    expect(gw.deliveries).toHaveLength(COUNT);
    expect(gw.deliveries.every((d) => d.state === 'acknowledged')).toBe(true);
    expect(successes.size).toBe(COUNT);
    expect([...successes.values()].every((n) => n === 1)).toBe(true);
    // The failing ones needed the gateway to come back: 3 attempts for every 10th, 2 for the other 7ths.
    const attemptsOf = (i: number) => gw.deliveries.find((d) => d.paymentId === ids[i])!.attempts.length;
    expect(attemptsOf(10)).toBe(3);
    expect(attemptsOf(7)).toBe(2);
    expect(attemptsOf(1)).toBe(1);
    for (const d of gw.deliveries) expect(d.attempts.filter((a) => a.acknowledged)).toHaveLength(1);
  }, 60_000);
});
