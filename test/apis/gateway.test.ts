// The new APIs end to end through the loopback gateway (real HTTP, no msw): request(), sessions, consult, capture, customs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AmsApiError,
  AmsUnknownResultError,
  createNotificationHandler,
  type CaptureNotification,
  type PaymentNotification,
} from '../../src/index';
import { startAmsGateway, type AmsGateway } from '../../mocks/index';
import { payRequest, testClient } from '../helpers/client';
import { alipay, merchant } from '../helpers/keys';
import { listen, type Running } from '../notifications/helpers';

const CLIENT = 'SANDBOX_5Y055A2Y2F6K05235';
const VAULT = '/v1/vaults/vaultPaymentMethod';
const vaultBody = { vaultingRequestId: 'v-1', paymentMethodType: 'CARD', vaultingNotificationUrl: 'https://merchant.example/n' };

let gw: AmsGateway;
let shop: Running;
const notified: PaymentNotification[] = [];
const captures: CaptureNotification[] = [];
beforeAll(async () => {
  gw = await startAmsGateway({ clientId: CLIENT, merchantPublicKey: merchant.publicSpkiPem, alipayPrivateKey: alipay.privatePem });
  const { client } = gatewayClient();
  shop = await listen(
    createNotificationHandler({
      client,
      path: '/notify',
      onPayment: (n) => void notified.push(n),
      onCapture: (n) => void captures.push(n),
    }),
  );
});
afterAll(async () => {
  void gw.close();
  await shop.close();
});

/** A client of the loopback gateway with the real clock (the gateway checks expiry times against its own). */
function gatewayClient() {
  const sleeps: number[] = [];
  const { client } = testClient({
    region: undefined,
    baseUrl: gw.url,
    alipayPublicKey: gw.alipayPublicKey,
    clock: { now: () => new Date(), sleep: async (ms) => void sleeps.push(ms) },
  });
  return { client, sleeps };
}

/** A paid ALIPAY_CN payment on the gateway (the buyer paid at the cashier). */
async function paidPayment(id: string, amount: { currency: string; value: string }) {
  const { client } = gatewayClient();
  const res = await client.pay(
    payRequest({
      paymentRequestId: id,
      paymentAmount: amount,
      order: { ...payRequest().order, orderAmount: amount },
      paymentNotifyUrl: `${shop.url}/notify`,
    }),
  );
  await gw.core.completePayment(res.paymentId);
  return res.paymentId;
}

describe('client.request through the loopback gateway', () => {
  it('a pay sent by path is the same signed call as pay(); an API the gateway lacks is a final F', async () => {
    const { client } = gatewayClient();
    const err = (await client
      .request('/v1/payments/pay', payRequest({ paymentRequestId: 'req-1' }))
      .catch((e: unknown) => e)) as AmsUnknownResultError;
    // request() resolves on S only: PAYMENT_IN_PROCESS is pay()'s normal answer, not the generic call's.
    expect(err).toBeInstanceOf(AmsUnknownResultError);
    expect(err.resultCode).toBe('PAYMENT_IN_PROCESS');
    const inquiry = await client.request('/v1/payments/inquiryPayment', { paymentRequestId: 'req-1' });
    expect(inquiry).toMatchObject({ result: { resultStatus: 'S' }, paymentStatus: 'PROCESSING' });
    await expect(client.request(VAULT, vaultBody)).rejects.toMatchObject({ name: 'AmsApiError', resultCode: 'INVALID_API' });
    // A name under the wrong family is not that API.
    await expect(client.request('/v1/customs/pay', {})).rejects.toMatchObject({ resultCode: 'INVALID_API' });
  });
});

describe('createPaymentSession through the gateway', () => {
  it('leads to the cashier page, and paying there sends a payment notification whose outcome is paid', async () => {
    const { client } = gatewayClient();
    const session = await client.createPaymentSession({
      productCode: 'CASHIER_PAYMENT',
      productScene: 'CHECKOUT_PAYMENT',
      paymentRequestId: 'sess-1',
      order: { referenceOrderId: 'o-s1', orderDescription: 'A pencil', orderAmount: { currency: 'USD', value: '250' } },
      paymentAmount: { currency: 'USD', value: '250' },
      paymentRedirectUrl: 'https://merchant.example/return',
      paymentNotifyUrl: `${shop.url}/notify`,
    });
    expect(session.paymentSessionData.length).toBeGreaterThan(10);
    expect(session.normalUrl).toMatch(new RegExp(`^${gw.url}/`));
    const page = await fetch(session.normalUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('A pencil');
    const payment = gw.payments.find((p) => p.paymentRequestId === 'sess-1')!;
    await gw.core.completePayment(payment.paymentId);
    await gw.core.waitForNotification({ paymentId: payment.paymentId });
    expect(notified.find((n) => n.paymentId === payment.paymentId)).toMatchObject({ outcome: 'paid', paymentRequestId: 'sess-1' });
    // The same paymentRequestId is the same session's payment: no second payment.
    await client.createPaymentSession({
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: 'sess-1',
      order: { referenceOrderId: 'o-s1', orderDescription: 'A pencil', orderAmount: { currency: 'USD', value: '250' } },
      paymentAmount: { currency: 'USD', value: '250' },
    });
    expect(gw.payments.filter((p) => p.paymentRequestId === 'sess-1')).toHaveLength(1);
  });
  it('a scripted U is retried with the same body and one payment is created', async () => {
    gw.script('createPaymentSession', ['U', '503']);
    const { client, sleeps } = gatewayClient();
    const request = {
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: 'sess-2',
      order: { referenceOrderId: 'o-s2', orderDescription: 'Ink', orderAmount: { currency: 'EUR', value: '900' } },
      paymentAmount: { currency: 'EUR', value: '900' },
    };
    const session = await client.createPaymentSession(request);
    expect(session.paymentSessionId).toMatch(/^SESSION_/);
    expect(sleeps).toHaveLength(2);
    expect(gw.core.pendingFaults('createPaymentSession')).toBe(0);
    expect(gw.payments.filter((p) => p.paymentRequestId === 'sess-2')).toHaveLength(1);
  });
});

describe('consult through the gateway', () => {
  it('ALIPAY_CN is enabled for its currencies and disabled with a reason otherwise', async () => {
    const { client } = gatewayClient();
    const usd = await client.consult({
      productCode: 'CASHIER_PAYMENT',
      paymentAmount: { currency: 'USD', value: '100' },
      env: { terminalType: 'WEB' },
    });
    expect(usd.paymentOptions.find((o) => o.paymentMethodType === 'ALIPAY_CN')).toMatchObject({ enabled: true });
    const krw = await client.consult({
      productCode: 'CASHIER_PAYMENT',
      paymentAmount: { currency: 'KRW', value: '1000' },
      env: { terminalType: 'WAP' },
    });
    expect(krw.paymentOptions.find((o) => o.paymentMethodType === 'ALIPAY_CN')).toMatchObject({
      enabled: false,
      disableReason: 'CHANNEL_NOT_SUPPORT_CURRENCY',
    });
  });
});

describe('capture through the gateway', () => {
  it('captures part of an authorized amount, repeats answer the same, and more than authorized is F', async () => {
    const paymentId = await paidPayment('cap-pay-1', { currency: 'USD', value: '1999' });
    const { client, sleeps } = gatewayClient();
    gw.script('capture', ['U']);
    const first = await client.capture({ captureRequestId: 'cap-1', paymentId, captureAmount: { currency: 'USD', value: '1000' } });
    expect(sleeps).toHaveLength(1);
    expect(first).toMatchObject({
      result: { resultStatus: 'S' },
      captureRequestId: 'cap-1',
      paymentId,
      captureAmount: { currency: 'USD', value: '1000' },
    });
    // The capture is announced to the payment's notify URL, where onCapture sees it succeeded.
    await gw.core.waitForNotification({ kind: 'capture', paymentId });
    expect(captures.filter((n) => n.paymentId === paymentId)).toMatchObject([
      { captureId: first.captureId, captureRequestId: 'cap-1', outcome: 'succeeded', captureAmount: { currency: 'USD', value: '1000' } },
    ]);
    const again = await client.capture({ captureRequestId: 'cap-1', paymentId, captureAmount: { currency: 'USD', value: '1000' } });
    expect(again.captureId).toBe(first.captureId);
    await expect(
      client.capture({ captureRequestId: 'cap-1', paymentId, captureAmount: { currency: 'USD', value: '999' } }),
    ).rejects.toMatchObject({ resultCode: 'REPEAT_REQ_INCONSISTENT' });
    const err = await client
      .capture({ captureRequestId: 'cap-2', paymentId, captureAmount: { currency: 'USD', value: '1000' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsApiError);
    expect(err).toMatchObject({ resultCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT' });
    await expect(
      client.capture({ captureRequestId: 'cap-3', paymentId, captureAmount: { currency: 'USD', value: '999' } }),
    ).resolves.toMatchObject({ result: { resultStatus: 'S' } });
  });
  it('an unpaid payment cannot be captured', async () => {
    const { client } = gatewayClient();
    const res = await client.pay(payRequest({ paymentRequestId: 'cap-unpaid' }));
    await expect(
      client.capture({ captureRequestId: 'cap-9', paymentId: res.paymentId, captureAmount: { currency: 'USD', value: '100' } }),
    ).rejects.toMatchObject({ resultCode: 'ORDER_STATUS_INVALID' });
  });
});

describe('customs through the gateway', () => {
  const declaration = (paymentId: string, declarationRequestId: string) => ({
    declarationRequestId,
    paymentId,
    declarationAmount: { currency: 'CNY', value: '10000' },
    customs: { customsCode: 'ZONGSHU', region: 'CN' },
    merchantCustomsInfo: { merchantCustomsCode: 'MC-1', merchantCustomsName: 'Merchant Co' },
    splitOrder: false,
  });
  it('declare is taken (not decided); inquiries move it through its statuses; unknown ids are listed', async () => {
    const paymentId = await paidPayment('decl-pay-1', { currency: 'CNY', value: '10000' });
    const { client, sleeps } = gatewayClient();
    gw.script('declare', ['503']);
    const taken = await client.declare(declaration(paymentId, 'decl-1'));
    expect(sleeps).toHaveLength(1);
    expect(taken).toMatchObject({ result: { resultStatus: 'S' }, clearingChannel: 'CUP' });
    expect(taken.customsPaymentId).toBeTruthy();
    const statuses: Array<string | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const res = await client.inquiryDeclarationRequests({ declarationRequestIds: ['decl-1', 'decl-unknown'] });
      expect(res.declarationRequestsNotFound).toEqual(['decl-unknown']);
      statuses.push(res.declarationRecords[0]!.declarationRequestStatus);
    }
    expect(statuses).toEqual(['WAITING_FOR_PROCESSING', 'PROCESSING', 'SUCCESS']);
  });
  it('more than a CNY payment, or an unpaid payment, is refused', async () => {
    const paymentId = await paidPayment('decl-pay-2', { currency: 'CNY', value: '5000' });
    const { client } = gatewayClient();
    await expect(client.declare(declaration(paymentId, 'decl-2'))).rejects.toMatchObject({
      resultCode: 'PARAM_ILLEGAL',
      message: expect.stringMatching(/exceeds/),
    });
    const unpaid = await client.pay(payRequest({ paymentRequestId: 'decl-unpaid' }));
    await expect(client.declare(declaration(unpaid.paymentId, 'decl-3'))).rejects.toMatchObject({ resultCode: 'ORDER_STATUS_INVALID' });
  });
});
