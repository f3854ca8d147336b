// createPaymentSession, retrievePaymentSession and consult against msw playing Alipay: validation, the pay rules reused,
// retries, F, paths, types.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  buildExtendInfo,
  type ConsultResponse,
  type PaymentSessionRequest,
  type PaymentSessionResponse,
  type RetrievePaymentSessionResponse,
} from '../../src/index';
import { FIXED_NOW, testClient } from '../helpers/client';
import { useMswServer } from '../helpers/msw';
import { answerAt, expectRefused, F, S, U } from './helpers';

const server = useMswServer();
const SESSION = '/ams/sandbox/api/v1/payments/createPaymentSession';
const CONSULT = '/ams/sandbox/api/v1/payments/consult';
const RETRIEVE = '/ams/sandbox/api/v1/payments/retrievePaymentSession';

function sessionRequest(overrides: Record<string, unknown> = {}): PaymentSessionRequest {
  return {
    productCode: 'CASHIER_PAYMENT',
    productScene: 'CHECKOUT_PAYMENT',
    paymentRequestId: 'ps-1',
    order: { referenceOrderId: 'order-1', orderDescription: 'Two pencils', orderAmount: { currency: 'USD', value: '100' } },
    paymentAmount: { currency: 'USD', value: '100' },
    paymentRedirectUrl: 'https://merchant.example/return',
    paymentNotifyUrl: 'https://merchant.example/notify',
    settlementStrategy: { settlementCurrency: 'USD' },
    ...overrides,
  };
}
const sessionAnswer = {
  result: S,
  paymentSessionData: 'opaque+data==',
  paymentSessionId: 'sess-1',
  paymentSessionExpiryTime: '2026-11-22T01:00:00+00:00',
  normalUrl: 'https://checkout.example/p',
};

describe('createPaymentSession', () => {
  it('sends the request unchanged to the sandbox path and returns the session, typed', async () => {
    const seen = answerAt(server, SESSION, [sessionAnswer]);
    const res = await testClient().client.createPaymentSession(sessionRequest());
    expect(res).toEqual(sessionAnswer);
    expect(JSON.parse(seen[0]!)).toEqual(sessionRequest());
    expectTypeOf(res).toEqualTypeOf<PaymentSessionResponse>();
    expectTypeOf(res.paymentSessionData).toEqualTypeOf<string>();
    expectTypeOf(res.normalUrl).toEqualTypeOf<string | undefined>();
    expectTypeOf<PaymentSessionRequest['paymentRequestId']>().toEqualTypeOf<string>();
  });
  it('a production client uses /ams/api', async () => {
    const seen = answerAt(server, '/ams/api/v1/payments/createPaymentSession', [sessionAnswer], 'LIVE_1');
    await testClient({ clientId: 'LIVE_1' }).client.createPaymentSession(sessionRequest());
    expect(seen).toHaveLength(1);
  });
  it('U then S: retried with the byte-identical body; F is final and not retried', async () => {
    const seen = answerAt(server, SESSION, [{ result: U }, sessionAnswer]);
    await testClient().client.createPaymentSession(sessionRequest());
    expect(seen).toEqual([seen[0], seen[0]]);
    server.resetHandlers();
    const once = answerAt(server, SESSION, [{ result: F('PARAM_ILLEGAL') }]);
    await expect(testClient().client.createPaymentSession(sessionRequest())).rejects.toMatchObject({
      name: 'AmsApiError',
      resultCode: 'PARAM_ILLEGAL',
      paymentRequestId: 'ps-1',
    });
    expect(once).toHaveLength(1);
  });
  it('an S without paymentSessionData is not a session', async () => {
    answerAt(server, SESSION, [{ result: S, paymentSessionId: 'x' }]);
    await expect(testClient().client.createPaymentSession(sessionRequest())).rejects.toMatchObject({
      name: 'AmsHttpError',
      message: expect.stringMatching(/paymentSessionData/),
    });
  });
  it('each required field, bad amounts and over-long ids are refused before sending', async () => {
    const seen = answerAt(server, SESSION, [sessionAnswer]);
    const { client } = testClient();
    for (const required of ['productCode', 'paymentRequestId', 'order', 'paymentAmount']) {
      const { [required]: _gone, ...rest } = sessionRequest();
      await expectRefused(client.createPaymentSession(rest as never), [required]);
    }
    for (const value of ['0', '1.50', '-1', '', 'abc']) {
      await expectRefused(client.createPaymentSession(sessionRequest({ paymentAmount: { currency: 'USD', value } })), [
        'paymentAmount.value',
      ]);
    }
    await expectRefused(client.createPaymentSession(sessionRequest({ paymentAmount: { currency: 'usd', value: '100' } })), [
      'paymentAmount.currency',
    ]);
    await expectRefused(
      client.createPaymentSession(sessionRequest({ paymentRequestId: 'x'.repeat(65) })),
      ['paymentRequestId'],
      /at most 64/,
    );
    await expectRefused(client.createPaymentSession(sessionRequest({ productScene: 'x'.repeat(33) })), ['productScene']);
    expect(seen).toHaveLength(0);
  });
  it('the session expiry must be within 1 hour of now', async () => {
    const { client } = testClient();
    const at = (ms: number) => new Date(FIXED_NOW.getTime() + ms).toISOString();
    await expectRefused(
      client.createPaymentSession(sessionRequest({ paymentSessionExpiryTime: at(3600_000 + 1000) })),
      ['paymentSessionExpiryTime'],
      /at most 1 hour/,
    );
    await expectRefused(
      client.createPaymentSession(sessionRequest({ paymentSessionExpiryTime: at(-1000) })),
      ['paymentSessionExpiryTime'],
      /in the past/,
    );
    answerAt(server, SESSION, [sessionAnswer]);
    await expect(client.createPaymentSession(sessionRequest({ paymentSessionExpiryTime: at(3600_000) }))).resolves.toMatchObject({
      paymentSessionId: 'sess-1',
    });
  });
  it('with ALIPAY_CN as the method, pay()’s currency, contract and chinaExtraTransInfo rules apply; without a method they do not', async () => {
    const { client } = testClient({ contractSettlementCurrency: 'USD' });
    const cn = { paymentMethod: { paymentMethodType: 'ALIPAY_CN' } };
    await expectRefused(client.createPaymentSession(sessionRequest({ ...cn, settlementStrategy: undefined })), [
      'settlementStrategy.settlementCurrency',
      'order.extendInfo.chinaExtraTransInfo',
    ]);
    const extendInfo = buildExtendInfo({ chinaExtraTransInfo: { businessType: '4', goodsInfo: 'pencil^2', totalQuantity: '2' } });
    await expectRefused(
      client.createPaymentSession(
        sessionRequest({ ...cn, paymentAmount: { currency: 'EUR', value: '100' }, order: { ...sessionRequest().order, extendInfo } }),
      ),
      ['settlementStrategy.settlementCurrency'],
    );
    await expectRefused(client.createPaymentSession(sessionRequest(cn)), ['order.extendInfo.chinaExtraTransInfo']);
    const seen = answerAt(server, SESSION, [sessionAnswer]);
    await client.createPaymentSession(sessionRequest({ ...cn, order: { ...sessionRequest().order, extendInfo: JSON.parse(extendInfo) } }));
    // The object form goes on the wire as the string, as pay() sends it.
    expect(JSON.parse(seen[0]!).order.extendInfo).toBe(extendInfo);
    await client.createPaymentSession(sessionRequest({ paymentRequestId: 'ps-2' }));
    expect(seen).toHaveLength(2);
  });
});

describe('retrievePaymentSession', () => {
  const answer = {
    result: S,
    order: { orderAmount: { currency: 'USD', value: '100' }, goods: [{ referenceGoodsId: 'g-1', goodsQuantity: '2' }] },
    futureField: 1,
  };
  it("sends { paymentRequestId } to Antom's path (one slash) and returns the order, unknown fields kept", async () => {
    const seen = answerAt(server, RETRIEVE, [answer]);
    const res = await testClient().client.retrievePaymentSession({ paymentRequestId: 'ps-1' });
    expect(res).toEqual(answer);
    expect(seen.map((b) => JSON.parse(b))).toEqual([{ paymentRequestId: 'ps-1' }]);
    expectTypeOf(res).toEqualTypeOf<RetrievePaymentSessionResponse>();
    const live = answerAt(server, '/ams/api/v1/payments/retrievePaymentSession', [answer], 'LIVE_1');
    await testClient({ clientId: 'LIVE_1' }).client.retrievePaymentSession({ paymentRequestId: 'ps-1' });
    expect(live).toHaveLength(1);
  });
  it('U then S with the same body; F is final and names the paymentRequestId', async () => {
    const seen = answerAt(server, RETRIEVE, [{ result: U }, answer]);
    await testClient().client.retrievePaymentSession({ paymentRequestId: 'ps-1' });
    expect(seen).toEqual([seen[0], seen[0]]);
    server.resetHandlers();
    answerAt(server, RETRIEVE, [{ result: F('PROCESS_FAIL') }]);
    await expect(testClient().client.retrievePaymentSession({ paymentRequestId: 'ps-9' })).rejects.toMatchObject({
      name: 'AmsApiError',
      resultCode: 'PROCESS_FAIL',
      paymentRequestId: 'ps-9',
      api: 'retrievePaymentSession',
    });
  });
  it('a missing or over-long paymentRequestId, or another field, is refused before sending', async () => {
    const seen = answerAt(server, RETRIEVE, [answer]);
    const { client } = testClient();
    await expectRefused(client.retrievePaymentSession({} as never), ['paymentRequestId']);
    await expectRefused(client.retrievePaymentSession({ paymentRequestId: 'x'.repeat(65) }), ['paymentRequestId'], /at most 64/);
    await expectRefused(
      client.retrievePaymentSession({ paymentRequestId: 'ps-1', paymentSessionId: 's' } as never),
      [''],
      /paymentSessionId/,
    );
    expect(seen).toHaveLength(0);
  });
});

const consultRequest = {
  productCode: 'CASHIER_PAYMENT',
  paymentAmount: { currency: 'USD', value: '100' },
  env: { terminalType: 'WEB' as const },
};
const consultAnswer = {
  result: S,
  paymentOptions: [
    {
      paymentMethodType: 'ALIPAY_CN',
      paymentMethodCategory: 'WALLET',
      enabled: true,
      preferred: 'true',
      supportedCurrencies: ['USD'],
      futureField: { a: 1 },
    },
    {
      paymentMethodType: 'KAKAOPAY',
      enabled: 'false',
      disableReason: 'CHANNEL_NOT_SUPPORT_CURRENCY',
      amountLimitInfoMap: { USD: { singleLimit: { maxAmount: { currency: 'USD', value: '500000' } } } },
    },
  ],
};

describe('consult', () => {
  it('returns typed payment options (booleans from either wire form), unknown fields kept', async () => {
    const seen = answerAt(server, CONSULT, [consultAnswer]);
    const res = await testClient().client.consult(consultRequest);
    expect(res.paymentOptions.map((o) => [o.paymentMethodType, o.enabled, o.preferred, o.disableReason])).toEqual([
      ['ALIPAY_CN', true, true, undefined],
      ['KAKAOPAY', false, undefined, 'CHANNEL_NOT_SUPPORT_CURRENCY'],
    ]);
    expect(res.paymentOptions[0]!['futureField']).toEqual({ a: 1 });
    expect(res.paymentOptions[1]!.amountLimitInfoMap?.['USD']?.singleLimit?.maxAmount?.value).toBe('500000');
    expect(JSON.parse(seen[0]!)).toEqual(consultRequest);
    expectTypeOf(res).toEqualTypeOf<ConsultResponse>();
    expectTypeOf(res.paymentOptions[0]!.enabled).toEqualTypeOf<boolean | (string & {}) | undefined>();
  });
  it('U then S with the same body; F final; production path', async () => {
    const seen = answerAt(server, CONSULT, [{ result: U }, consultAnswer]);
    await testClient().client.consult(consultRequest);
    expect(seen).toEqual([seen[0], seen[0]]);
    server.resetHandlers();
    const once = answerAt(server, CONSULT, [{ result: F('ACCESS_DENIED') }]);
    await expect(testClient().client.consult(consultRequest)).rejects.toMatchObject({
      name: 'AmsApiError',
      resultCode: 'ACCESS_DENIED',
      api: 'consult',
    });
    expect(once).toHaveLength(1);
    const live = answerAt(server, '/ams/api/v1/payments/consult', [consultAnswer], 'LIVE_1');
    await testClient({ clientId: 'LIVE_1' }).client.consult(consultRequest);
    expect(live).toHaveLength(1);
  });
  it('each required field and bad amounts are refused before sending', async () => {
    const { client } = testClient();
    for (const required of ['productCode', 'paymentAmount', 'env']) {
      const { [required as keyof typeof consultRequest]: _gone, ...rest } = consultRequest;
      await expectRefused(client.consult(rest as never), [required]);
    }
    await expectRefused(client.consult({ ...consultRequest, paymentAmount: { currency: 'USD', value: '1.5' } }), ['paymentAmount.value']);
    await expectRefused(client.consult({ ...consultRequest, env: { terminalType: 'TV' } } as never), ['env.terminalType']);
    await expectRefused(client.consult({ ...consultRequest, merchantAccountId: 'x'.repeat(33) }), ['merchantAccountId']);
  });
});

describe('createPaymentSession: extendInfo as an object is serialized once, and what was checked is what is sent', () => {
  it('an object whose toJSON would write something else the second time is sent as it was checked', async () => {
    const seen = answerAt(server, SESSION, [sessionAnswer]);
    let calls = 0;
    const info = { chinaExtraTransInfo: { businessType: '5', otherBusinessType: 'pencils' } };
    const shifty = { toJSON: () => (++calls === 1 ? info : {}) };
    const order = { ...sessionRequest().order, extendInfo: shifty as unknown as Record<string, unknown> };
    await testClient().client.createPaymentSession(sessionRequest({ paymentMethod: { paymentMethodType: 'ALIPAY_CN' }, order }));
    expect(calls).toBe(1);
    expect((JSON.parse(seen[0]!) as { order: { extendInfo: string } }).order.extendInfo).toBe(JSON.stringify(info));
  });
});
