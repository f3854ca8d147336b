// The request fields Antom documents and the client used to refuse, end to end through the embedded gateway (msw):
// refund's SDK fields, merchantAccountId on inquiries and cancel, a MINI_APP's appId, customsCode ≤ 128, suborderId.
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { AmsValidationError, type RefundRequest } from '../../src/index';
import { createAmsHandlers, type AmsHandlers } from '../../mocks/msw';
import { RULE_SOURCES } from '../../src/rules/sources';
import { payRequest, testClient } from '../helpers/client';
import { alipay, merchant } from '../helpers/keys';
import { useMswServer } from '../helpers/msw';
import { CLIENT, expectRefused } from './helpers';

const server = useMswServer();

/** The embedded gateway on Alipay's origin, recording every request body it is sent, and a client of it. */
function gateway(): {
  handlers: AmsHandlers;
  sent: Array<{ path: string; body: Record<string, unknown> }>;
  client: ReturnType<typeof testClient>['client'];
} {
  const handlers = createAmsHandlers({ clientId: CLIENT, merchantPublicKey: merchant.publicSpkiPem, alipayPrivateKey: alipay.privatePem });
  const sent: Array<{ path: string; body: Record<string, unknown> }> = [];
  // Records, then falls through to the gateway's own handlers.
  const recorder = http.post(/.*/, async ({ request }) => {
    sent.push({ path: new URL(request.url).pathname, body: JSON.parse(await request.clone().text()) as Record<string, unknown> });
  });
  server.use(recorder, ...handlers);
  const { client } = testClient({ clock: { now: () => new Date(), sleep: async () => {} } });
  return { handlers, sent, client };
}

const lastBody = (sent: Array<{ path: string; body: Record<string, unknown> }>, api: string) =>
  sent.filter((s) => s.path.endsWith(`/${api}`)).at(-1)!.body;

/** A successful ALIPAY_CN payment at the gateway; returns its paymentId. */
async function paid(g: ReturnType<typeof gateway>, id: string): Promise<string> {
  const res = await g.client.pay(payRequest({ paymentRequestId: id }));
  await g.handlers.gateway.completePayment(res.paymentId);
  return res.paymentId;
}

describe('refund carries every field of the SDKs’ refund request', () => {
  it('captureId, referenceRefundId, extendInfo, isAsyncRefund, metadata, refundDetails and the rest reach the gateway, which refunds', async () => {
    const g = gateway();
    const paymentId = await paid(g, 'fields-refund-1');
    const request: RefundRequest = {
      refundRequestId: 'fr-1',
      paymentId,
      refundAmount: { currency: 'USD', value: '60' },
      referenceRefundId: 'my-refund-0001',
      refundReason: 'r'.repeat(256),
      refundNotifyUrl: `https://merchant.example/${'n'.repeat(1024 - 'https://merchant.example/'.length)}`,
      captureId: 'C-1',
      isAsyncRefund: 'true',
      extendInfo: '{"k":"v"}',
      metadata: '{"order":"1001"}',
      refundDetails: [
        { refundAmount: { currency: 'USD', value: '40' }, refundFrom: 'SELLER' },
        { refundAmount: { currency: 'USD', value: '20' }, refundFrom: 'MARKETPLACE' },
      ],
      actualRefundAmount: { currency: 'USD', value: '60' },
      refundToBankInfo: { bankCode: 'B1', accountNo: '123' },
      refundSourceAccountNo: 'ACC-1',
      customizedInfo: { customizedField1: 'x' },
    };
    const res = await g.client.refund(request);
    expect(res).toMatchObject({ result: { resultStatus: 'S' }, refundRequestId: 'fr-1', refundAmount: { currency: 'USD', value: '60' } });
    // Sent as given, but for the Boolean, which goes as the JSON boolean the Java SDK sends.
    expect(lastBody(g.sent, 'refund')).toEqual({ ...request, isAsyncRefund: true });
    g.handlers.gateway.close();
  });

  it('refundNotifyUrl over 1024 characters, a long referenceRefundId, a bad refundFrom, a typo: refused before sending', async () => {
    const g = gateway();
    const base: RefundRequest = { refundRequestId: 'fr-2', paymentId: 'pay-1', refundAmount: { currency: 'USD', value: '1' } };
    const url = `https://merchant.example/${'n'.repeat(1025 - 'https://merchant.example/'.length)}`;
    await expectRefused(g.client.refund({ ...base, refundNotifyUrl: url }), ['refundNotifyUrl'], /at most 1024/);
    await expectRefused(g.client.refund({ ...base, referenceRefundId: 'x'.repeat(65) }), ['referenceRefundId'], /at most 64/);
    await expectRefused(
      g.client.refund({ ...base, refundDetails: [{ refundAmount: { currency: 'USD', value: '1' }, refundFrom: 'BUYER' as never }] }),
      ['refundDetails[0].refundFrom'],
      /SELLER, MARKETPLACE, UNSETTLED_FUNDS/,
    );
    await expectRefused(g.client.refund({ ...base, isAsyncRefund: 'yes' as never }), ['isAsyncRefund']);
    await expectRefused(g.client.refund({ ...base, refundNotifyURL: 'https://merchant.example/n' } as never), ['']);
    expect(g.sent).toEqual([]);
    g.handlers.gateway.close();
  });
});

describe('merchantAccountId on inquiryPayment, cancel and inquiryRefund', () => {
  it('is sent with the one id, and awaitPaymentResult sends it on every inquiry and on the cancel', async () => {
    const g = gateway();
    const paymentId = await paid(g, 'fields-acct-1');
    const inquiry = await g.client.inquiryPayment({ paymentId, merchantAccountId: 'ACCT-SG-01' });
    expect(inquiry.paymentStatus).toBe('SUCCESS');
    expect(lastBody(g.sent, 'inquiryPayment')).toEqual({ paymentId, merchantAccountId: 'ACCT-SG-01' });
    const refund = await g.client.refund({ refundRequestId: 'fa-r1', paymentId, refundAmount: { currency: 'USD', value: '1' } });
    await g.client.inquiryRefund({ refundId: refund.refundId!, merchantAccountId: 'ACCT-SG-01' });
    expect(lastBody(g.sent, 'inquiryRefund')).toEqual({ refundId: refund.refundId, merchantAccountId: 'ACCT-SG-01' });

    // A payment never paid: the await inquires, then cancels, each with the merchant account.
    await g.client.pay(payRequest({ paymentRequestId: 'fields-acct-2' }));
    const awaited = await g.client.awaitPaymentResult({
      paymentRequestId: 'fields-acct-2',
      merchantAccountId: 'ACCT-SG-01',
      scheduleMs: [0],
    });
    expect(awaited).toMatchObject({ paymentStatus: 'CANCELLED', cancelled: true });
    const tail = g.sent.filter((s) => /\/(inquiryPayment|cancel)$/.test(s.path)).slice(-3);
    expect(tail.map((s) => s.path.split('/').at(-1))).toEqual(['inquiryPayment', 'cancel', 'inquiryPayment']);
    for (const s of tail) expect(s.body).toEqual({ paymentRequestId: 'fields-acct-2', merchantAccountId: 'ACCT-SG-01' });
    await g.client.cancel({ paymentRequestId: 'fields-acct-2', merchantAccountId: 'ACCT-SG-01' });
    expect(lastBody(g.sent, 'cancel')).toEqual({ paymentRequestId: 'fields-acct-2', merchantAccountId: 'ACCT-SG-01' });
    g.handlers.gateway.close();
  });

  it('is at most 32 characters, and does not stand in for an id: exactly one id is still required', async () => {
    const g = gateway();
    const long = 'a'.repeat(33);
    await expectRefused(g.client.inquiryPayment({ paymentRequestId: 'p', merchantAccountId: long }), ['merchantAccountId'], /at most 32/);
    await expectRefused(g.client.cancel({ paymentId: 'p', merchantAccountId: long }), ['merchantAccountId']);
    await expectRefused(g.client.inquiryRefund({ refundId: 'r', merchantAccountId: long }), ['merchantAccountId']);
    await expectRefused(g.client.inquiryPayment({ merchantAccountId: 'A' } as never), ['paymentRequestId | paymentId'], /is required/);
    await expectRefused(g.client.cancel({ paymentId: 'p', paymentRequestId: 'q', merchantAccountId: 'A' } as never), [
      'paymentRequestId | paymentId',
    ]);
    await expectRefused(g.client.inquiryRefund({ merchantAccountId: 'A' } as never), ['refundRequestId | refundId']);
    expect(g.sent).toEqual([]);
    g.handlers.gateway.close();
  });
});

describe('pay with terminalType MINI_APP names the mini program (appId)', () => {
  it('without appId it is refused before sending, with the rule’s source; with it, the gateway takes the payment', async () => {
    const g = gateway();
    const mini = { env: { terminalType: 'MINI_APP' as const, osType: 'IOS' as const } };
    const err = await g.client.pay(payRequest({ paymentRequestId: 'fields-mini-1', ...mini })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsValidationError);
    expect((err as AmsValidationError).issues).toEqual([
      expect.objectContaining({ field: 'appId', code: 'required', source: RULE_SOURCES.miniAppIdRequired }),
    ]);
    // The cashier guide's place for env counts too.
    const inOrder = payRequest({ paymentRequestId: 'fields-mini-2', env: undefined });
    await expectRefused(g.client.pay({ ...inOrder, order: { ...inOrder.order, env: { terminalType: 'MINI_APP' } } }), ['appId']);
    await expectRefused(
      g.client.pay(payRequest({ paymentRequestId: 'fields-mini-3', ...mini, appId: 'a'.repeat(33) })),
      ['appId'],
      /at most 32/,
    );
    expect(g.sent).toEqual([]);

    const res = await g.client.pay(payRequest({ paymentRequestId: 'fields-mini-4', ...mini, appId: '2021001234567890' }));
    expect(res.paymentId).toBeTruthy();
    expect(lastBody(g.sent, 'pay')).toMatchObject({ appId: '2021001234567890', env: { terminalType: 'MINI_APP' } });
    g.handlers.gateway.close();
  });
});

describe('declare: customsCode up to 128 characters, and the sub-order id under both of its names', () => {
  const declare = (paymentId: string, id: string) => ({
    declarationRequestId: id,
    paymentId,
    declarationAmount: { currency: 'CNY', value: '100' },
    customs: { customsCode: 'ZONGSHU', region: 'CN' },
    merchantCustomsInfo: { merchantCustomsCode: 'MC-1', merchantCustomsName: 'Merchant Co' },
    splitOrder: true,
  });

  it('suborderId or subOrderId (or both, equal) is sent as both; the gateway declares the sub-order', async () => {
    const g = gateway();
    const paymentId = await paid(g, 'fields-customs-1');
    const given = [{ suborderId: 'SUB-1' }, { subOrderId: 'SUB-2' }, { suborderId: 'SUB-3', subOrderId: 'SUB-3' }];
    for (const [i, ids] of given.entries()) {
      const res = await g.client.declare({ ...declare(paymentId, `fd-${i}`), ...ids });
      const sub = `SUB-${i + 1}`;
      expect(res.customsOrderId).toBe(sub);
      expect(lastBody(g.sent, 'declare')).toEqual({ ...declare(paymentId, `fd-${i}`), suborderId: sub, subOrderId: sub });
    }
    const code = 'C'.repeat(128);
    await g.client.declare({ ...declare(paymentId, 'fd-code'), customs: { customsCode: code, region: 'CN' }, suborderId: 'SUB-9' });
    expect(lastBody(g.sent, 'declare')).toMatchObject({ customs: { customsCode: code } });
    g.handlers.gateway.close();
  });

  it('two different sub-order ids, a customsCode of 129 characters: refused before sending', async () => {
    const g = gateway();
    await expectRefused(
      g.client.declare({ ...declare('pay-1', 'fd-x'), suborderId: 'SUB-A', subOrderId: 'SUB-B' }),
      ['suborderId'],
      /one field spelt two ways/,
    );
    await expectRefused(
      g.client.declare({ ...declare('pay-1', 'fd-y'), customs: { customsCode: 'C'.repeat(129) }, suborderId: 'SUB-A' }),
      ['customs.customsCode'],
      /at most 128/,
    );
    await expectRefused(g.client.declare(declare('pay-1', 'fd-z')), ['subOrderId'], /required when splitOrder is true/);
    expect(g.sent).toEqual([]);
    g.handlers.gateway.close();
  });
});
