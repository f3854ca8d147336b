// Endpoints built to make testNotificationEndpoint report a refusal (or a pass) while they are unsafe: each one is named.
import { describe, expect, it } from 'vitest';
import { ALIPAY_PRIVATE, ALIPAY_PUBLIC, NOTIFY_PATH as PATH, readAll, serve } from './notify-endpoints';
import { testNotificationEndpoint } from '../../src/notify-test/run';
import { createNotificationHandler, verifyNotification } from '../../src/index';

const CLIENT_ID = 'SANDBOX_NOTIFY_ADV_1';
const FORGERIES = ['forged-signature', 'signature-over-other-bytes', 'another-merchant', 'missing-signature'];

/** A shop's orders, made through its "test route" and asked after. */
function shop() {
  const paid = new Set<string>();
  let n = 0;
  return {
    paid,
    order: {
      create: async () => ({ paymentRequestId: `ADV-${++n}`, paymentAmount: { currency: 'USD', value: '1999' } }),
      isPaid: async (id: string) => paid.has(id),
    },
  };
}

describe('testNotificationEndpoint cannot be passed by an unsafe endpoint', () => {
  it('an endpoint that marks the order paid before verifying, then answers 401, fails every forgery', async () => {
    const { paid, order } = shop();
    const url = await serve(async (req, res) => {
      const raw = (await readAll(req)).toString('utf8');
      // The bug: the body is acted on first, and verified after.
      const body = JSON.parse(raw) as { paymentRequestId?: string; result?: { resultStatus?: string } };
      if (body.paymentRequestId && body.result?.resultStatus === 'S') paid.add(body.paymentRequestId);
      try {
        verifyNotification({
          path: PATH,
          headers: req.headers as Record<string, string>,
          rawBody: raw,
          alipayPublicKey: ALIPAY_PUBLIC,
          clientId: CLIENT_ID,
        });
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } }));
      } catch {
        res.writeHead(401).end();
      }
    });
    const report = await testNotificationEndpoint({ url, clientId: CLIENT_ID, alipayPrivateKey: ALIPAY_PRIVATE, only: FORGERIES, order });
    expect(report.scenarios.map((s) => [s.name, s.ok, s.status])).toEqual(FORGERIES.map((name) => [name, false, 401]));
    for (const s of report.scenarios) expect(s.problem).toMatch(/marked the order paid/);
    expect(report.ok).toBe(false);
  });

  it('an endpoint that ships on any PAYMENT_RESULT, failed or not, fails the payment-failed scenario', async () => {
    const { paid, order } = shop();
    const url = await serve(
      createNotificationHandler({
        alipayPublicKey: ALIPAY_PUBLIC,
        clientId: CLIENT_ID,
        // The bug: a PAYMENT_RESULT is taken for a payment whatever its resultStatus.
        onPayment: (p) => void (p.notifyType === 'PAYMENT_RESULT' && paid.add(p.paymentRequestId)),
      }),
    );
    const report = await testNotificationEndpoint({
      url,
      clientId: CLIENT_ID,
      alipayPrivateKey: ALIPAY_PRIVATE,
      only: ['payment-failed'],
      order,
    });
    expect(report.scenarios[0]).toMatchObject({
      name: 'payment-failed',
      ok: false,
      status: 200,
      problem: expect.stringMatching(/failed PAYMENT_RESULT/),
    });
    expect(report.ok).toBe(false);
  });

  it('an endpoint that acknowledges every forgery with the acknowledgement keys reordered is not graded as refusing', async () => {
    const url = await serve(async (req, res) => {
      await readAll(req);
      // Read as JSON, this is the acknowledgement: Antom stops resending; it is only not byte for byte the documented body.
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"result":{"resultStatus":"S","resultMessage":"success","resultCode":"SUCCESS"}}');
    });
    const report = await testNotificationEndpoint({ url, clientId: CLIENT_ID, alipayPrivateKey: ALIPAY_PRIVATE, only: FORGERIES });
    expect(report.scenarios.map((s) => [s.name, s.ok])).toEqual(FORGERIES.map((name) => [name, false]));
    for (const s of report.scenarios) expect(s.problem).toMatch(/your endpoint accepted a forged notification/);
    expect(report.ok).toBe(false);
  });
});
