// End to end on the loopback gateway: every answer and notification carries fields and status values this version does
// not know; each call resolves, the values are kept and logged once, and nothing unknown counts as paid or final.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createNotificationHandler,
  type AmsNotification,
  type CaptureNotification,
  type PaymentNotification,
  type PaymentOutcome,
  type PaymentStatus,
  type RefundNotification,
  type SettledOutcome,
} from '../../src/index';
import { startAmsGateway, type AmsGateway, type GatewayApi, type RewriteSet } from '../../mocks/index';
import { testClient, type Recorded } from '../helpers/client';
import { alipay, merchant } from '../helpers/keys';
import { listen, recordingLogger, type LogLine, type Running } from '../notifications/helpers';
import { CLIENT_ID, payRequest } from './targets';

/** A field no version of this package knows, on every answer and notification. */
const NEW_FIELD = { someNewField: { addedBy: 'Antom, later', list: [1, 'two', { three: true }] } };
/** Status values no version of this package knows. */
const NEW = {
  paymentStatus: 'PAYMENT_NEW',
  transactionStatus: 'TX_NEW',
  transactionType: 'TYPE_NEW',
  refundStatus: 'REFUND_NEW',
} as const;
const FINAL: readonly string[] = ['SUCCESS', 'FAIL', 'CANCELLED'];

let gw: AmsGateway;
let shop: Running;
let client: ReturnType<typeof testClient>['client'];
let rec: Recorded;
const handlerLog = recordingLogger();
const received: AmsNotification[] = [];

beforeAll(async () => {
  gw = await startAmsGateway({ clientId: CLIENT_ID, merchantPublicKey: merchant.publicSpkiPem, alipayPrivateKey: alipay.privatePem });
  ({ client, rec } = testClient({
    region: undefined,
    baseUrl: gw.url,
    alipayPublicKey: gw.alipayPublicKey,
    clock: { now: () => new Date(), sleep: async () => {} },
  }));
  shop = await listen(
    createNotificationHandler({
      client,
      path: '/notify',
      logger: handlerLog.logger,
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

/** The next answer of `api` carries the new field plus `set`, rewritten before the gateway signs it. */
function rewriteNext(api: GatewayApi, set: RewriteSet = {}, times = 1): void {
  gw.script(
    api,
    Array.from({ length: times }, () => ({ fault: 'rewrite' as const, set: { ...NEW_FIELD, ...set } })),
  );
}

/** Warnings naming this unknown value. */
function warningsFor(logs: readonly LogLine[], value: string): LogLine[] {
  return logs.filter((l) => l.level === 'warn' && l.meta?.value === value);
}

/** A payment the buyer paid at the cashier, notifying the shop; its notification is rewritten as the test set it. */
async function paidPayment(id: string, value = '20000'): Promise<string> {
  const res = await client.pay(payRequest(id, value, { paymentNotifyUrl: `${shop.url}/notify` }));
  await gw.core.completePayment(res.paymentId);
  await gw.waitForNotification({ paymentId: res.paymentId, notifyType: 'PAYMENT_RESULT' });
  return res.paymentId;
}

describe('every API answer carries unknown fields and unknown status values', () => {
  it('each call resolves, keeps what it was sent, and logs each unknown value once', async () => {
    rewriteNext('pay', { 'redirectActionForm.newFormField': 'kept', 'paymentAmount.newAmountField': 'kept' });
    const payment = await client.pay(payRequest('uv-1', '20000'));
    expect(payment).toMatchObject({
      ...NEW_FIELD,
      result: { resultCode: 'PAYMENT_IN_PROCESS' },
      redirectActionForm: { newFormField: 'kept' },
    });
    await gw.core.completePayment(payment.paymentId);

    const capture = await (async () => {
      rewriteNext('capture', { 'result.resultCode': 'SUCCESS_NEW' });
      return client.capture({
        captureRequestId: 'uv-cap',
        paymentId: payment.paymentId,
        captureAmount: { currency: 'USD', value: '20000' },
      });
    })();
    expect(capture).toMatchObject({
      ...NEW_FIELD,
      result: { resultStatus: 'S', resultCode: 'SUCCESS_NEW' },
      captureAmount: { value: '20000' },
    });

    rewriteNext('refund', { 'result.resultCode': 'SUCCESS_NEW' });
    const refund = await client.refund({
      refundRequestId: 'uv-r1',
      paymentId: payment.paymentId,
      refundAmount: { currency: 'USD', value: '500' },
    });
    expect(refund).toMatchObject({ ...NEW_FIELD, refundId: expect.any(String) });

    rewriteNext('inquiryRefund', { refundStatus: NEW.refundStatus });
    const refundState = await client.inquiryRefund({ refundRequestId: 'uv-r1' });
    expect(refundState).toMatchObject({ ...NEW_FIELD, refundStatus: NEW.refundStatus, refundId: refund.refundId });

    // The payment's own status and both fields of each transaction (the gateway lists the capture and the refund).
    const inquirySet = {
      paymentStatus: NEW.paymentStatus,
      'transactions.0.transactionStatus': NEW.transactionStatus,
      'transactions.0.transactionType': NEW.transactionType,
      'transactions.1.transactionStatus': NEW.transactionStatus,
      paymentMethodType: 'WALLET_NEW',
      paymentResultCode: 'CODE_NEW',
    };
    rewriteNext('inquiryPayment', inquirySet, 2);
    const inquiry = await client.inquiryPayment({ paymentId: payment.paymentId });
    expectTypeOf(inquiry.paymentStatus).toEqualTypeOf<PaymentStatus>();
    expect(inquiry).toMatchObject({
      ...NEW_FIELD,
      paymentStatus: NEW.paymentStatus,
      paymentMethodType: 'WALLET_NEW',
      transactions: [
        { transactionStatus: NEW.transactionStatus, transactionType: NEW.transactionType, transactionId: capture.captureId },
        { transactionStatus: NEW.transactionStatus, transactionType: 'REFUND', transactionId: refund.refundId },
      ],
    });
    expect(FINAL).not.toContain(inquiry.paymentStatus);
    // The same unknown values again: kept again, not logged again.
    await expect(client.inquiryPayment({ paymentId: payment.paymentId })).resolves.toMatchObject({ paymentStatus: NEW.paymentStatus });

    rewriteNext('cancel', { 'result.resultCode': 'SUCCESS_NEW' });
    const open = await client.pay(payRequest('uv-2'));
    await expect(client.cancel({ paymentId: open.paymentId })).resolves.toMatchObject({ ...NEW_FIELD, paymentId: open.paymentId });

    rewriteNext('consult', {
      'paymentOptions.0.paymentMethodCategory': 'CATEGORY_NEW',
      'paymentOptions.1.disableReason': 'REASON_NEW',
      'paymentOptions.2': { paymentMethodType: 'METHOD_NEW', paymentMethodCategory: 'CATEGORY_NEW', enabled: true },
    });
    const consult = await client.consult({
      productCode: 'CASHIER_PAYMENT',
      paymentAmount: { currency: 'USD', value: '100' },
      env: { terminalType: 'WEB' },
    });
    expect(consult).toMatchObject(NEW_FIELD);
    expect(consult.paymentOptions.map((o) => o.paymentMethodType)).toEqual(['ALIPAY_CN', 'CARD', 'METHOD_NEW']);
    expect(consult.paymentOptions[0]!.paymentMethodCategory).toBe('CATEGORY_NEW');

    rewriteNext('createPaymentSession', { 'result.resultCode': 'SUCCESS_NEW' });
    const session = await client.createPaymentSession({
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: 'uv-session',
      order: { referenceOrderId: 'o-uv', orderDescription: 'Ink', orderAmount: { currency: 'USD', value: '900' } },
      paymentAmount: { currency: 'USD', value: '900' },
    });
    expect(session).toMatchObject({ ...NEW_FIELD, paymentSessionId: expect.any(String) });

    const cny = await client.pay(
      payRequest('uv-cny', '10000', {
        paymentAmount: { currency: 'CNY', value: '10000' },
        order: { ...payRequest('uv-cny').order, orderAmount: { currency: 'CNY', value: '10000' } },
      }),
    );
    await gw.core.completePayment(cny.paymentId);
    rewriteNext('declare', { identityCheckResult: 'CHECK_NEW', clearingChannel: 'CHANNEL_NEW' });
    const declared = await client.declare({
      declarationRequestId: 'uv-decl',
      paymentId: cny.paymentId,
      declarationAmount: { currency: 'CNY', value: '10000' },
      customs: { customsCode: 'ZONGSHU', region: 'CN' },
      merchantCustomsInfo: { merchantCustomsCode: 'MC-1', merchantCustomsName: 'Merchant Co' },
      splitOrder: false,
    });
    expect(declared).toMatchObject({ ...NEW_FIELD, identityCheckResult: 'CHECK_NEW', clearingChannel: 'CHANNEL_NEW' });

    rewriteNext('inquiryDeclarationRequests', {
      'declarationRecords.0.declarationRequestStatus': 'DECL_NEW',
      'declarationRecords.0.customsDeclarationResultCode': 'RESULT_NEW',
    });
    const declarations = await client.inquiryDeclarationRequests({ declarationRequestIds: ['uv-decl'] });
    expect(declarations).toMatchObject(NEW_FIELD);
    expect(declarations.declarationRecords[0]).toMatchObject({
      declarationRequestStatus: 'DECL_NEW',
      customsDeclarationResultCode: 'RESULT_NEW',
    });

    // Every open-enum value this version does not know was logged once, naming the field and what is known.
    for (const [value, field, aKnownOne] of [
      [NEW.paymentStatus, 'paymentStatus', 'SUCCESS'],
      [NEW.transactionStatus, 'transactions[0].transactionStatus', 'SUCCESS'],
      [NEW.transactionType, 'transactions[0].transactionType', 'REFUND'],
      [NEW.refundStatus, 'refundStatus', 'SUCCESS'],
    ] as const) {
      const warnings = warningsFor(rec.logs, value);
      expect(warnings, value).toHaveLength(1);
      expect(warnings[0]!.meta).toMatchObject({ field, value, known: expect.arrayContaining([aKnownOne]) });
    }
    // Never the same warning twice (the second inquiry, the second transaction with TX_NEW).
    const warned = rec.logs.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(new Set(warned).size).toBe(warned.length);
    // The gateway kept its own state: the rewrites changed what was said, not what happened.
    expect(gw.getPayment(payment.paymentId)!.status).toBe('SUCCESS');
  });

  it('awaitPaymentResult on an unknown paymentStatus neither cancels nor reports a final status', async () => {
    const res = await client.pay(payRequest('uv-await'));
    rewriteNext('inquiryPayment', { paymentStatus: 'PAYMENT_LATER_NEW' }, 3);
    const seen = gw.core.events.length;
    const result = await client.awaitPaymentResult({ paymentId: res.paymentId, scheduleMs: [0, 0, 0] });
    expectTypeOf(result.paymentStatus).toEqualTypeOf<PaymentStatus>();
    expect(result).toMatchObject({ paymentStatus: 'PAYMENT_LATER_NEW', cancelled: false, inquiry: { ...NEW_FIELD } });
    expect(FINAL).not.toContain(result.paymentStatus);
    const calls = gw.core.events.slice(seen).filter((e) => e.type === 'request.received');
    expect(calls.map((e) => e.api)).toEqual(['inquiryPayment', 'inquiryPayment', 'inquiryPayment']);
    expect(gw.getPayment(res.paymentId)!.status).toBe('PROCESSING');
    expect(gw.core.pendingFaults('inquiryPayment')).toBe(0);
    expect(warningsFor(rec.logs, 'PAYMENT_LATER_NEW')).toHaveLength(1);
  });
});

describe('every notification carries unknown fields and unknown status values, signed', () => {
  it('payments: S stays paid, F failed, PAYMENT_PENDING pending, the new fields kept', async () => {
    gw.core.rewriteNotifications('PAYMENT_RESULT', { ...NEW_FIELD, 'result.resultCode': 'CODE_NEW', paymentMethodType: 'WALLET_NEW' });
    gw.core.rewriteNotifications('PAYMENT_PENDING', { ...NEW_FIELD, 'result.resultCode': 'PENDING_NEW' });
    try {
      const paid = await paidPayment('uvn-paid');
      const pending = await client.pay(payRequest('uvn-pending', '1999', { paymentNotifyUrl: `${shop.url}/notify` }));
      await gw.core.completePayment(pending.paymentId, 'PENDING');
      await gw.waitForNotification({ paymentId: pending.paymentId, notifyType: 'PAYMENT_PENDING' });
      const failed = await client.pay(payRequest('uvn-failed', '4052', { paymentNotifyUrl: `${shop.url}/notify` }));
      await gw.core.completePayment(failed.paymentId, 'FAIL', 'USER_BALANCE_NOT_ENOUGH');
      await gw.waitForNotification({ paymentId: failed.paymentId });

      const payments = received.filter((n): n is PaymentNotification => n.kind === 'payment');
      expectTypeOf(payments[0]!.outcome).toEqualTypeOf<PaymentOutcome>();
      const of = (id: string) => payments.filter((n) => n.paymentId === id);
      expect(of(paid)).toEqual([
        expect.objectContaining({
          ...NEW_FIELD,
          outcome: 'paid',
          paymentMethodType: 'WALLET_NEW',
          result: expect.objectContaining({ resultCode: 'CODE_NEW' }),
        }),
      ]);
      expect(of(pending.paymentId)).toEqual([expect.objectContaining({ ...NEW_FIELD, notifyType: 'PAYMENT_PENDING', outcome: 'pending' })]);
      expect(of(failed.paymentId)).toEqual([expect.objectContaining({ ...NEW_FIELD, outcome: 'failed' })]);
    } finally {
      gw.core.rewriteNotifications('PAYMENT_RESULT', undefined);
      gw.core.rewriteNotifications('PAYMENT_PENDING', undefined);
    }
  });

  it('refunds: an unknown refundStatus is pending, never succeeded, and is logged once by the handler', async () => {
    const paymentId = await paidPayment('uvn-refund');
    gw.core.rewriteNotifications('REFUND_RESULT', { ...NEW_FIELD, refundStatus: NEW.refundStatus });
    try {
      for (const [id, value] of [
        ['uvn-r1', '100'],
        ['uvn-r2', '200'],
      ] as const) {
        const r = await client.refund({
          refundRequestId: id,
          paymentId,
          refundAmount: { currency: 'USD', value },
          refundNotifyUrl: `${shop.url}/notify`,
        });
        const d = await gw.waitForNotification({ refundId: r.refundId });
        expect(d.state).toBe('acknowledged');
      }
    } finally {
      gw.core.rewriteNotifications('REFUND_RESULT', undefined);
    }
    const refunds = received.filter((n): n is RefundNotification => n.kind === 'refund');
    expectTypeOf(refunds[0]!.outcome).toEqualTypeOf<SettledOutcome>();
    expect(refunds.map((n) => [n.refundRequestId, n.refundStatus, n.outcome])).toEqual([
      ['uvn-r1', NEW.refundStatus, 'pending'],
      ['uvn-r2', NEW.refundStatus, 'pending'],
    ]);
    expect(refunds[0]).toMatchObject(NEW_FIELD);
    const warnings = warningsFor(handlerLog.logs, NEW.refundStatus);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.meta).toMatchObject({ field: 'refundStatus', known: expect.arrayContaining(['SUCCESS', 'FAIL']) });
  });

  it('captures: result U (which notifyCapture does not document) is pending, never succeeded', async () => {
    const paymentId = await paidPayment('uvn-capture');
    gw.core.rewriteNotifications('CAPTURE_RESULT', { ...NEW_FIELD, 'result.resultStatus': 'U', 'result.resultCode': 'CAPTURE_NEW' });
    try {
      await client.capture({ captureRequestId: 'uvn-cap', paymentId, captureAmount: { currency: 'USD', value: '20000' } });
      const d = await gw.waitForNotification({ kind: 'capture', paymentId });
      expect(d.state).toBe('acknowledged');
    } finally {
      gw.core.rewriteNotifications('CAPTURE_RESULT', undefined);
    }
    const captures = received.filter((n): n is CaptureNotification => n.kind === 'capture');
    expect(captures).toEqual([
      expect.objectContaining({
        ...NEW_FIELD,
        captureRequestId: 'uvn-cap',
        outcome: 'pending',
        result: expect.objectContaining({ resultStatus: 'U' }),
      }),
    ]);
    // Nothing this test sent with an unknown status was taken as money moved.
    for (const n of received) {
      const unknownStatus =
        (n.kind === 'refund' && n.refundStatus === NEW.refundStatus) || (n.kind === 'capture' && n.result.resultStatus === 'U');
      if (unknownStatus) expect(['paid', 'succeeded']).not.toContain(n.outcome);
    }
  });
});
