// The gateway's payment life as Antom documents it: cancel after payment refunds, transactions[], notifyRefund, customs, PENDING.
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  AmsApiError,
  createNotificationHandler,
  type AmsNotification,
  type InquiryPaymentResponse,
  type PaymentStatus,
} from '../../src/index';
import { startAmsGateway, type AmsGateway, type GatewayCore } from '../../mocks/index';
import { cancelDeadlineMs } from '../../mocks/cancel';
import { testClient } from '../helpers/client';
import { alipay, merchant } from '../helpers/keys';
import { listen, type Running } from '../notifications/helpers';
import { CLIENT_ID, payRequest } from './targets';

let gw: AmsGateway;
let shop: Running;
let received: AmsNotification[] = [];

beforeAll(async () => {
  gw = await startAmsGateway({ clientId: CLIENT_ID, merchantPublicKey: merchant.publicSpkiPem, alipayPrivateKey: alipay.privatePem });
  shop = await listen(
    createNotificationHandler({
      client: client(),
      path: '/notify',
      logger: {},
      onPayment: (n) => void received.push(n),
      onRefund: (n) => void received.push(n),
      onCapture: (n) => void received.push(n),
    }),
  );
});
afterAll(async () => {
  await gw.close();
  await shop.close();
});
beforeEach(() => {
  received = [];
});

/** A client of the loopback gateway: the real clock (the gateway checks times against its own), instant sleeps. */
function client(url = gw.url, key: GatewayCore['alipayPublicKey'] = gw.alipayPublicKey) {
  return testClient({
    region: undefined,
    baseUrl: url,
    alipayPublicKey: key,
    clock: { now: () => new Date(), sleep: async () => {} },
  }).client;
}

/** A payment the buyer paid at the cashier; returns its paymentId. */
async function paid(id: string, amount = { currency: 'USD', value: '1999' }, extra: Record<string, unknown> = {}) {
  const req = payRequest(id, amount.value, { paymentNotifyUrl: `${shop.url}/notify`, ...extra });
  req.paymentAmount.currency = amount.currency;
  req.order.orderAmount.currency = amount.currency;
  const res = await client().pay(req);
  await gw.core.completePayment(res.paymentId);
  return res.paymentId;
}

describe('cancel', () => {
  it('of a paid payment succeeds, makes it CANCELLED and refunds the buyer in full, listed in transactions[]', async () => {
    const paymentId = await paid('cx-paid');
    const c = client();
    const cancelled = await c.cancel({ paymentId });
    expect(cancelled).toMatchObject({ result: { resultStatus: 'S' }, paymentId, cancelTime: expect.any(String) });

    const auto = gw.core.refunds.filter((r) => r.paymentId === paymentId);
    expect(auto).toEqual([
      expect.objectContaining({
        source: 'cancel',
        status: 'SUCCESS',
        refundRequestId: '',
        refundAmount: { currency: 'USD', value: '1999' },
      }),
    ]);
    expect(gw.core.events).toContainEqual(
      expect.objectContaining({ type: 'refund.succeeded', api: 'cancel', paymentId, refundId: auto[0]!.refundId }),
    );

    const inquiry = await c.inquiryPayment({ paymentId });
    expect(inquiry.paymentStatus).toBe('CANCELLED');
    expect(inquiry.transactions).toEqual([
      expect.objectContaining({ transactionType: 'CANCEL', transactionStatus: 'SUCCESS', transactionTime: cancelled.cancelTime }),
      expect.objectContaining({
        transactionType: 'REFUND',
        transactionStatus: 'SUCCESS',
        transactionId: auto[0]!.refundId,
        transactionAmount: { currency: 'USD', value: '1999' },
        transactionResult: expect.objectContaining({ resultStatus: 'S' }),
      }),
    ]);
    // A cancelled payment is no longer paid: no settlement, nothing to declare.
    expect(inquiry).not.toHaveProperty('customsDeclarationAmount');
    // The automatic refund is a refund like any other: inquirable by its id (it has no merchant request id).
    const refund = await c.inquiryRefund({ refundId: auto[0]!.refundId });
    expect(refund).toMatchObject({ refundStatus: 'SUCCESS', refundAmount: { currency: 'USD', value: '1999' } });
    expect(refund).not.toHaveProperty('refundRequestId');
    // Cancelling again answers the same; the money went back already, so no second refund and no refund by hand.
    await expect(c.cancel({ paymentId })).resolves.toMatchObject({ cancelTime: cancelled.cancelTime });
    expect(gw.core.refunds.filter((r) => r.paymentId === paymentId)).toHaveLength(1);
    await expect(
      c.refund({ refundRequestId: 'cx-paid-r', paymentId, refundAmount: { currency: 'USD', value: '1' } }),
    ).rejects.toMatchObject({ resultCode: 'ORDER_STATUS_INVALID' });
  });

  it('of a failed payment answers S and the payment stays FAIL; nothing is refunded', async () => {
    const c = client();
    await expect(c.pay(payRequest('cx-fail', '4051'))).rejects.toMatchObject({ resultCode: 'RISK_REJECT' });
    const paymentId = gw.getPayment('cx-fail')!.paymentId;
    await expect(c.cancel({ paymentRequestId: 'cx-fail' })).resolves.toMatchObject({ result: { resultStatus: 'S' }, paymentId });
    const inquiry = await c.inquiryPayment({ paymentId });
    expect(inquiry.paymentStatus).toBe('FAIL');
    expect(inquiry).not.toHaveProperty('transactions');
    expect(gw.core.refunds.filter((r) => r.paymentId === paymentId)).toEqual([]);
  });

  it('of a payment that already has a refund is PROCESS_FAIL, and the payment stays SUCCESS', async () => {
    const paymentId = await paid('cx-refunded');
    const c = client();
    await c.refund({ refundRequestId: 'cx-refunded-r', paymentId, refundAmount: { currency: 'USD', value: '100' } });
    const err = await c.cancel({ paymentId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsApiError);
    expect(err).toMatchObject({ resultCode: 'PROCESS_FAIL' });
    expect((await c.inquiryPayment({ paymentId })).paymentStatus).toBe('SUCCESS');
    // A failed refund refunded nothing: it does not stand in the way.
    const other = await paid('cx-refund-failed', { currency: 'USD', value: '20000' });
    await expect(
      c.refund({ refundRequestId: 'cx-rf-fail', paymentId: other, refundAmount: { currency: 'USD', value: '4061' } }),
    ).rejects.toMatchObject({ resultCode: 'MERCHANT_BALANCE_NOT_ENOUGH' });
    await expect(c.cancel({ paymentId: other })).resolves.toMatchObject({ result: { resultStatus: 'S' } });
  });

  it('of an unpaid payment closes it without a refund', async () => {
    const c = client();
    const res = await c.pay(payRequest('cx-open'));
    await c.cancel({ paymentId: res.paymentId });
    const inquiry = await c.inquiryPayment({ paymentId: res.paymentId });
    expect(inquiry.paymentStatus).toBe('CANCELLED');
    expect(inquiry.transactions).toEqual([expect.objectContaining({ transactionType: 'CANCEL' })]);
    expect(gw.core.refunds.filter((r) => r.paymentId === res.paymentId)).toEqual([]);
  });

  it('is possible until 00:15 GMT+8 on the day after the payment was created, then CANCEL_WINDOW_EXCEED', async () => {
    const at = (iso: string) => Date.parse(iso);
    expect(cancelDeadlineMs(at('2026-11-22T10:00:00+08:00'))).toBe(at('2026-11-23T00:15:00+08:00'));
    expect(cancelDeadlineMs(at('2026-11-22T23:59:59+08:00'))).toBe(at('2026-11-23T00:15:00+08:00'));
    expect(cancelDeadlineMs(at('2026-11-22T00:00:00+08:00'))).toBe(at('2026-11-23T00:15:00+08:00'));
    expect(cancelDeadlineMs(at('2026-11-21T23:59:59+08:00'))).toBe(at('2026-11-22T00:15:00+08:00'));

    let now = at('2026-11-22T10:00:00+08:00');
    const timed = await startAmsGateway({
      clientId: CLIENT_ID,
      merchantPublicKey: merchant.publicSpkiPem,
      alipayPrivateKey: alipay.privatePem,
      clock: { now: () => new Date(now) },
    });
    try {
      const c = client(timed.url, timed.alipayPublicKey);
      const early = await c.pay(payRequest('cx-window-1'));
      const late = await c.pay(payRequest('cx-window-2'));
      await timed.core.completePayment(late.paymentId);
      now = at('2026-11-23T00:14:59+08:00');
      await expect(c.cancel({ paymentId: early.paymentId })).resolves.toMatchObject({ result: { resultStatus: 'S' } });
      now = at('2026-11-23T00:15:01+08:00');
      await expect(c.cancel({ paymentId: late.paymentId })).rejects.toMatchObject({ resultCode: 'CANCEL_WINDOW_EXCEED' });
      expect(timed.core.getPayment(late.paymentId)!.status).toBe('SUCCESS');
      expect(timed.core.refunds).toEqual([]);
      // A cancelled payment answers its cancel again, whenever asked.
      await expect(c.cancel({ paymentId: early.paymentId })).resolves.toMatchObject({ result: { resultStatus: 'S' } });
    } finally {
      await timed.close();
    }
  });
});

describe('transactions[] in inquiryPayment', () => {
  it('lists captures and refunds (failed ones too), typed for the client', async () => {
    const paymentId = await paid('tx-1', { currency: 'USD', value: '20000' });
    const c = client();
    const capture = await c.capture({ captureRequestId: 'tx-cap', paymentId, captureAmount: { currency: 'USD', value: '20000' } });
    const refund = await c.refund({ refundRequestId: 'tx-r1', paymentId, refundAmount: { currency: 'USD', value: '500' } });
    await expect(
      c.refund({ refundRequestId: 'tx-r2', paymentId, refundAmount: { currency: 'USD', value: '14061' } }),
    ).rejects.toMatchObject({ resultCode: 'MERCHANT_BALANCE_NOT_ENOUGH' });
    const inquiry = await c.inquiryPayment({ paymentId });
    expectTypeOf(inquiry).toEqualTypeOf<InquiryPaymentResponse>();
    expectTypeOf(inquiry.paymentStatus).toEqualTypeOf<PaymentStatus>();
    expect(inquiry.paymentStatus).toBe('SUCCESS');
    expect(
      inquiry.transactions!.map((t) => [t.transactionType, t.transactionStatus, t.transactionRequestId, t.transactionAmount?.value]),
    ).toEqual([
      ['CAPTURE', 'SUCCESS', 'tx-cap', '20000'],
      ['REFUND', 'SUCCESS', 'tx-r1', '500'],
      ['REFUND', 'FAIL', 'tx-r2', '14061'],
    ]);
    expect(inquiry.transactions![0]!.transactionId).toBe(capture.captureId);
    expect(inquiry.transactions![1]!.transactionId).toBe(refund.refundId);
    expect(inquiry.transactions![2]!.transactionResult).toMatchObject({ resultStatus: 'F', resultCode: 'MERCHANT_BALANCE_NOT_ENOUGH' });
    // The failed refund refunded nothing: the rest of the amount can still be refunded.
    await expect(
      c.refund({ refundRequestId: 'tx-r3', paymentId, refundAmount: { currency: 'USD', value: '19500' } }),
    ).resolves.toMatchObject({ result: { resultStatus: 'S' } });
  });
});

describe('notifyRefund', () => {
  it('a refund that succeeded: refundStatus SUCCESS, refundTime and the settlement of a CNY payment; no paymentId', async () => {
    const paymentId = await paid('nr-ok', { currency: 'CNY', value: '10000' });
    const c = client();
    const refund = await c.refund({
      refundRequestId: 'nr-ok-r',
      paymentId,
      refundAmount: { currency: 'CNY', value: '5000' },
      refundNotifyUrl: `${shop.url}/notify`,
    });
    const d = await gw.waitForNotification({ refundId: refund.refundId });
    const body = JSON.parse(d.body) as Record<string, unknown>;
    expect(body).toEqual({
      notifyType: 'REFUND_RESULT',
      result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
      refundStatus: 'SUCCESS',
      refundRequestId: 'nr-ok-r',
      refundId: refund.refundId,
      refundAmount: { currency: 'CNY', value: '5000' },
      refundTime: refund.refundTime,
      grossSettlementAmount: { currency: 'USD', value: '700' },
      settlementQuote: { quoteCurrencyPair: 'CNY/USD', quotePrice: '0.14', guaranteed: false },
    });
    expect(received.filter((n) => n.kind === 'refund')).toEqual([
      expect.objectContaining({ kind: 'refund', outcome: 'succeeded', refundId: refund.refundId }),
    ]);
  });

  it('a refund that failed: F from the refund API, REFUND_RESULT with result F and refundStatus FAIL, inquiryRefund FAIL', async () => {
    const paymentId = await paid('nr-fail', { currency: 'USD', value: '20000' });
    const c = client();
    const err = await c
      .refund({
        refundRequestId: 'nr-fail-r',
        paymentId,
        refundAmount: { currency: 'USD', value: '4061' },
        refundNotifyUrl: `${shop.url}/notify`,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AmsApiError', resultCode: 'MERCHANT_BALANCE_NOT_ENOUGH' });
    const failed = gw.core.refunds.find((r) => r.refundRequestId === 'nr-fail-r')!;
    expect(failed.status).toBe('FAIL');
    const d = await gw.waitForNotification({ refundId: failed.refundId });
    const body = JSON.parse(d.body) as Record<string, unknown>;
    expect(body).toMatchObject({ refundStatus: 'FAIL', result: { resultStatus: 'F', resultCode: 'MERCHANT_BALANCE_NOT_ENOUGH' } });
    expect(Object.keys(body).sort()).toEqual(['notifyType', 'refundAmount', 'refundId', 'refundRequestId', 'refundStatus', 'result']);
    expect(received.filter((n) => n.kind === 'refund')).toEqual([
      expect.objectContaining({ kind: 'refund', outcome: 'failed', refundStatus: 'FAIL' }),
    ]);
    await expect(c.inquiryRefund({ refundRequestId: 'nr-fail-r' })).resolves.toMatchObject({ refundStatus: 'FAIL' });
    // The same refundRequestId gets the same final answer.
    await expect(
      c.refund({ refundRequestId: 'nr-fail-r', paymentId, refundAmount: { currency: 'USD', value: '4061' } }),
    ).rejects.toMatchObject({ resultCode: 'MERCHANT_BALANCE_NOT_ENOUGH' });
    expect(gw.core.refunds.filter((r) => r.refundRequestId === 'nr-fail-r')).toHaveLength(1);
  });
});

describe('customsDeclarationAmount', () => {
  it('a successful ALIPAY_CN payment carries it in CNY: the amount itself, or converted at the settlement rates', async () => {
    const c = client();
    const cny = await paid('cu-cny', { currency: 'CNY', value: '10000' });
    const usd = await paid('cu-usd', { currency: 'USD', value: '1999' });
    expect((await c.inquiryPayment({ paymentId: cny })).customsDeclarationAmount).toEqual({ currency: 'CNY', value: '10000' });
    // 19.99 USD ÷ 0.14 USD per CNY = 142.785… CNY, half up to the fen.
    const inquiry = await c.inquiryPayment({ paymentId: usd });
    expect(inquiry.customsDeclarationAmount).toEqual({ currency: 'CNY', value: '14279' });
    expect(inquiry.paymentMethodType).toBe('ALIPAY_CN');
    const note = gw.deliveries.find((d) => d.paymentId === usd && d.notifyType === 'PAYMENT_RESULT')!;
    expect(JSON.parse(note.body)).toMatchObject({ customsDeclarationAmount: { currency: 'CNY', value: '14279' } });
    expect(received.find((n) => n.kind === 'payment' && n.paymentId === usd)).toMatchObject({
      outcome: 'paid',
      customsDeclarationAmount: { currency: 'CNY', value: '14279' },
    });
    // That is what can be declared, and no more.
    const declaration = (id: string, value: string) => ({
      declarationRequestId: id,
      paymentId: usd,
      declarationAmount: { currency: 'CNY', value },
      customs: { customsCode: 'ZONGSHU', region: 'CN' },
      merchantCustomsInfo: { merchantCustomsCode: 'MC-1', merchantCustomsName: 'Merchant Co' },
      splitOrder: false,
    });
    await expect(c.declare(declaration('cu-d1', '14280'))).rejects.toMatchObject({
      resultCode: 'PARAM_ILLEGAL',
      message: expect.stringMatching(/exceeds the payment's customsDeclarationAmount 14279 CNY/),
    });
    await expect(c.declare(declaration('cu-d2', '14279'))).resolves.toMatchObject({ result: { resultStatus: 'S' } });
  });

  it('is absent before the payment succeeds, after it failed, and for another wallet', async () => {
    const c = client();
    const open = await c.pay(payRequest('cu-open'));
    expect(await c.inquiryPayment({ paymentId: open.paymentId })).not.toHaveProperty('customsDeclarationAmount');
    const failed = await c.pay(payRequest('cu-failed', '4052'));
    await gw.core.completePayment(failed.paymentId, 'FAIL');
    expect(await c.inquiryPayment({ paymentId: failed.paymentId })).not.toHaveProperty('customsDeclarationAmount');
    const other = await paid('cu-other', { currency: 'USD', value: '1999' }, { paymentMethod: { paymentMethodType: 'GCASH' } });
    const inquiry = await c.inquiryPayment({ paymentId: other });
    expect(inquiry).toMatchObject({ paymentStatus: 'SUCCESS', paymentMethodType: 'GCASH' });
    expect(inquiry).not.toHaveProperty('customsDeclarationAmount');
    const note = gw.deliveries.find((d) => d.paymentId === other && d.notifyType === 'PAYMENT_RESULT')!;
    expect(JSON.parse(note.body)).not.toHaveProperty('customsDeclarationAmount');
  });
});

describe('PAYMENT_PENDING', () => {
  it("completePayment(id, 'PENDING'): PENDING, announced; awaitPaymentResult neither cancels it nor calls it final", async () => {
    const c = client();
    const res = await c.pay(payRequest('pd-1', '1999', { paymentNotifyUrl: `${shop.url}/notify` }));
    await gw.core.completePayment(res.paymentId, 'PENDING');
    const pending = await gw.waitForNotification({ paymentId: res.paymentId, notifyType: 'PAYMENT_PENDING' });
    expect(JSON.parse(pending.body)).toMatchObject({ notifyType: 'PAYMENT_PENDING', result: { resultStatus: 'S' } });
    expect(JSON.parse(pending.body)).not.toHaveProperty('paymentTime');
    expect(received).toEqual([expect.objectContaining({ kind: 'payment', notifyType: 'PAYMENT_PENDING', outcome: 'pending' })]);
    expect((await c.inquiryPayment({ paymentId: res.paymentId })).paymentStatus).toBe('PENDING');

    const seen = gw.core.events.length;
    const awaited = await c.awaitPaymentResult({ paymentId: res.paymentId, scheduleMs: [0, 0] });
    expect(awaited).toMatchObject({ paymentStatus: 'PENDING', cancelled: false });
    expect(gw.core.getPayment(res.paymentId)!.status).toBe('PENDING');
    expect(gw.core.events.slice(seen).filter((e) => e.api === 'cancel')).toEqual([]);
    expect(gw.core.events.slice(seen).filter((e) => e.type === 'request.received' && e.api === 'inquiryPayment')).toHaveLength(2);

    await gw.core.completePayment(res.paymentId, 'SUCCESS');
    await gw.waitForNotification({ paymentId: res.paymentId, notifyType: 'PAYMENT_RESULT' });
    expect(received.map((n) => n.kind === 'payment' && [n.notifyType, n.outcome])).toEqual([
      ['PAYMENT_PENDING', 'pending'],
      ['PAYMENT_RESULT', 'paid'],
    ]);
  });

  it('paymentPending: true sends PAYMENT_PENDING before every PAYMENT_RESULT, the cashier page included', async () => {
    const pendingGw = await startAmsGateway({
      clientId: CLIENT_ID,
      merchantPublicKey: merchant.publicSpkiPem,
      alipayPrivateKey: alipay.privatePem,
      paymentPending: true,
    });
    try {
      const c = client(pendingGw.url, pendingGw.alipayPublicKey);
      const res = await c.pay(payRequest('pd-2', '1999', { paymentNotifyUrl: `${shop.url}/notify` }));
      const paidAtCashier = await fetch(`${pendingGw.url}/alipaycn/pc/cashier/pay`, {
        method: 'POST',
        body: new URLSearchParams({ paymentId: res.paymentId }),
        redirect: 'manual',
      });
      expect(paidAtCashier.status).toBe(303);
      await pendingGw.waitForNotification({ paymentId: res.paymentId, notifyType: 'PAYMENT_RESULT' });
      expect(pendingGw.deliveries.map((d) => [d.notifyType, d.state])).toEqual([
        ['PAYMENT_PENDING', 'acknowledged'],
        ['PAYMENT_RESULT', 'acknowledged'],
      ]);
      expect(received.map((n) => n.kind === 'payment' && n.outcome)).toEqual(['pending', 'paid']);
      expect((await c.inquiryPayment({ paymentId: res.paymentId })).paymentStatus).toBe('SUCCESS');
    } finally {
      await pendingGw.close();
    }
  });
});
