// The cashier page and the notifications the gateway sends: signed, retried on the compressed schedule, recorded.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AmsClient } from '../../src/index';
import { verifyNotification } from '../../src/index';
import { ACK_BODY, NOTIFY_RETRY_SCHEDULE_MS, startAmsGateway, type AmsGateway } from '../../mocks/index';
import { alipay, merchant } from '../helpers/keys';
import { CLIENT_ID, payRequest } from './targets';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A merchant notify endpoint on loopback answering each delivery with the next of `answers` (last repeats). */
async function notifyEndpoint(
  answers: Array<{ status: number; body: string }>,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const a = answers[Math.min(received.length - 1, answers.length - 1)]!;
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alipay/notify`, received, server };
}

let gateways: AmsGateway[] = [];
let servers: Server[] = [];
afterEach(async () => {
  for (const g of gateways) await g.close();
  gateways = [];
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  servers = [];
});

async function setup(options = {}) {
  const gw = await startAmsGateway({
    clientId: CLIENT_ID,
    merchantPublicKey: merchant.publicSpkiPem,
    alipayPrivateKey: alipay.privatePem,
    ...options,
  });
  gateways.push(gw);
  const client = new AmsClient({
    clientId: CLIENT_ID,
    privateKey: merchant.privatePkcs8Pem,
    alipayPublicKey: gw.alipayPublicKey,
    baseUrl: gw.url,
  });
  return { gw, client };
}

describe('cashier page', () => {
  it('shows the order, the amount in major units, a QR code and the two buttons; paying redirects (303) and notifies', async () => {
    const endpoint = await notifyEndpoint([{ status: 200, body: ACK_BODY }]);
    servers.push(endpoint.server);
    const { gw, client } = await setup();
    const res = await client.pay(payRequest('c-1', '1999', { paymentNotifyUrl: `${endpoint.url}?shop=1` }));

    const page = await fetch(res.normalUrl!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('19.99 USD');
    expect(html).toContain('T-shirt');
    expect(html).toContain('<svg');
    expect(html).toContain('Pay with test account');
    expect(html).toContain('Cancel');

    const paid = await fetch(`${gw.url}/alipaycn/pc/cashier/pay`, {
      method: 'POST',
      body: new URLSearchParams({ paymentId: res.paymentId }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe('http://127.0.0.1:9/return');

    // The first delivery happened before the buyer was redirected.
    expect(endpoint.received).toHaveLength(1);
    const n = endpoint.received[0]!;
    expect(n.path).toBe('/alipay/notify?shop=1');
    const verified = verifyNotification({
      path: '/alipay/notify',
      headers: n.headers,
      rawBody: n.body,
      alipayPublicKey: gw.alipayPublicKeyPem,
      clientId: CLIENT_ID,
    });
    expect(verified).toMatchObject({
      kind: 'payment',
      notifyType: 'PAYMENT_RESULT',
      paymentRequestId: 'c-1',
      paymentId: res.paymentId,
      result: { resultStatus: 'S' },
    });
    expect(JSON.parse(n.body)).toMatchObject({
      paymentAmount: { currency: 'USD', value: '1999' },
      grossSettlementAmount: { currency: 'USD', value: '1999' },
    });
    expect(gw.deliveries[0]).toMatchObject({ state: 'acknowledged', attempts: [{ attempt: 1, status: 200, acknowledged: true }] });
    expect((await client.inquiryPayment({ paymentId: res.paymentId })).paymentStatus).toBe('SUCCESS');

    // Paid is final: the page says so and offers no buttons.
    const after = await (await fetch(res.normalUrl!)).text();
    expect(after).toContain('SUCCESS');
    expect(after).not.toContain('Pay with test account');
  });

  it('cancel at the cashier: CANCELLED, redirected, no notification', async () => {
    const { gw, client } = await setup();
    const res = await client.pay(payRequest('c-2'));
    const r = await fetch(`${gw.url}/alipaycn/pc/cashier/cancel`, {
      method: 'POST',
      body: new URLSearchParams({ paymentId: res.paymentId }),
      redirect: 'manual',
    });
    expect(r.status).toBe(303);
    expect((await client.inquiryPayment({ paymentRequestId: 'c-2' })).paymentStatus).toBe('CANCELLED');
    expect(gw.deliveries).toHaveLength(0);
    expect((await fetch(`${gw.url}/alipaycn/pc/cashier?paymentId=nope`)).status).toBe(404);
  });
});

describe('notification delivery', () => {
  it('retries on the compressed schedule until HTTP 200 with exactly the acknowledgement', async () => {
    const endpoint = await notifyEndpoint([
      { status: 500, body: 'oops' },
      { status: 200, body: '{"result":"ok"}' },
      { status: 200, body: ACK_BODY },
    ]);
    servers.push(endpoint.server);
    const { gw, client } = await setup({ notifyRetryCompression: 2_000 });
    const res = await client.pay(payRequest('n-1', '1999', { paymentNotifyUrl: endpoint.url }));
    await gw.core.completePayment(res.paymentId);
    const started = Date.now();
    const delivery = await gw.waitForNotification({ paymentId: res.paymentId, timeoutMs: 5_000 });
    const elapsed = Date.now() - started;
    expect(delivery.attempts.map((a) => [a.attempt, a.status, a.acknowledged])).toEqual([
      [1, 500, false],
      [2, 200, false],
      [3, 200, true],
    ]);
    // 2 min and 10 min compressed 2000× are 60 ms and 300 ms.
    expect(elapsed).toBeGreaterThanOrEqual((NOTIFY_RETRY_SCHEDULE_MS[1]! + NOTIFY_RETRY_SCHEDULE_MS[2]!) / 2_000 - 20);
    // Same body every time, each attempt freshly signed.
    expect(new Set(endpoint.received.map((r) => r.body)).size).toBe(1);
    for (const r of endpoint.received) {
      expect(() =>
        verifyNotification({
          path: '/alipay/notify',
          headers: r.headers,
          rawBody: r.body,
          alipayPublicKey: gw.alipayPublicKey,
          clientId: CLIENT_ID,
        }),
      ).not.toThrow();
    }
  });

  it('records unreachable endpoints, gives up after 8 attempts, and close() stops pending retries', async () => {
    const { gw, client } = await setup({ notifyRetrySchedule: [0, 10, 10, 10, 10, 10, 10, 10], notifyTimeoutMs: 500 });
    const res = await client.pay(payRequest('n-2', '1999', { paymentNotifyUrl: 'http://127.0.0.1:9/notify' }));
    await gw.core.completePayment(res.paymentId);
    await expect(gw.waitForNotification({ paymentId: res.paymentId, timeoutMs: 300 })).rejects.toThrow(/no notification was acknowledged/);
    await expect.poll(() => gw.deliveries[0]!.state, { timeout: 3_000 }).toBe('exhausted');
    expect(gw.deliveries[0]!.attempts).toHaveLength(8);
    expect(gw.deliveries[0]!.attempts[0]!.error).toBeTruthy();

    const slow = await setup({ notifyRetryCompression: 1 });
    const r2 = await slow.client.pay(payRequest('n-3', '1999', { paymentNotifyUrl: 'http://127.0.0.1:9/notify' }));
    await slow.gw.core.completePayment(r2.paymentId);
    expect(slow.gw.deliveries[0]!.state).toBe('delivering');
    await slow.gw.close();
    expect(slow.gw.deliveries[0]!.state).toBe('stopped');
  });

  it('refunds with refundNotifyUrl are notified (REFUND_RESULT, refundStatus SUCCESS, no paymentId)', async () => {
    const endpoint = await notifyEndpoint([{ status: 200, body: ACK_BODY }]);
    servers.push(endpoint.server);
    const { gw, client } = await setup();
    const res = await client.pay(payRequest('n-4'));
    await gw.core.completePayment(res.paymentId);
    const refund = await client.refund({
      refundRequestId: 'rf-1',
      paymentId: res.paymentId,
      refundAmount: { currency: 'USD', value: '500' },
      refundNotifyUrl: endpoint.url,
    });
    const d = await gw.waitForNotification({ kind: 'refund', timeoutMs: 5_000 });
    expect(d.refundId).toBe(refund.refundId);
    const n = verifyNotification({
      path: '/alipay/notify',
      headers: endpoint.received[0]!.headers,
      rawBody: endpoint.received[0]!.body,
      alipayPublicKey: gw.alipayPublicKey,
      clientId: CLIENT_ID,
    });
    expect(n).toMatchObject({
      kind: 'refund',
      notifyType: 'REFUND_RESULT',
      refundStatus: 'SUCCESS',
      outcome: 'succeeded',
      refundId: refund.refundId,
      refundRequestId: 'rf-1',
      refundAmount: { currency: 'USD', value: '500' },
      refundTime: refund.refundTime,
    });
    // Antom's notifyRefund has no paymentId: the shop maps it back through refundRequestId or refundId.
    expect(JSON.parse(endpoint.received[0]!.body)).not.toHaveProperty('paymentId');
  });

  it('CNY paid, settled in the contract currency: grossSettlementAmount converted', async () => {
    const endpoint = await notifyEndpoint([{ status: 200, body: ACK_BODY }]);
    servers.push(endpoint.server);
    const { gw, client } = await setup();
    const req = payRequest('n-5', '100', { paymentNotifyUrl: endpoint.url });
    req.paymentAmount.currency = 'CNY';
    req.order.orderAmount.currency = 'CNY';
    const res = await client.pay(req);
    await gw.core.completePayment(res.paymentId);
    expect(JSON.parse(endpoint.received[0]!.body)).toMatchObject({
      paymentAmount: { currency: 'CNY', value: '100' },
      grossSettlementAmount: { currency: 'USD', value: '14' },
    });
  });
});
