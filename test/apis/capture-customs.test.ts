// capture, declare and inquiryDeclarationRequests against msw playing Alipay: validation, retries, F, paths, types.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CaptureRequest, CaptureResponse, DeclareRequest, DeclareResponse, InquiryDeclarationResponse } from '../../src/index';
import { createAmsHandlers } from '../../mocks/msw';
import { testClient } from '../helpers/client';
import { alipay, merchant } from '../helpers/keys';
import { useMswServer } from '../helpers/msw';
import { answerAt, CLIENT, expectRefused, F, S, U } from './helpers';

const server = useMswServer();
const CAPTURE = '/ams/sandbox/api/v1/payments/capture';
const DECLARE = '/ams/sandbox/api/v1/customs/declare';
const INQUIRE = '/ams/sandbox/api/v1/customs/inquiryDeclarationRequests';

const captureRequest: CaptureRequest = { captureRequestId: 'cap-1', paymentId: 'pay-1', captureAmount: { currency: 'USD', value: '1999' } };
const captureAnswer = {
  result: S,
  captureRequestId: 'cap-1',
  captureId: 'C-1',
  paymentId: 'pay-1',
  captureAmount: { currency: 'USD', value: '1999' },
  captureTime: '2026-11-22T08:00:00+08:00',
};

describe('capture', () => {
  it('sends the capture to the sandbox path and returns the typed answer', async () => {
    const seen = answerAt(server, CAPTURE, [captureAnswer]);
    const res = await testClient().client.capture(captureRequest);
    expect(res).toEqual(captureAnswer);
    expect(JSON.parse(seen[0]!)).toEqual(captureRequest);
    expectTypeOf(res).toEqualTypeOf<CaptureResponse>();
    expectTypeOf(res.captureId).toEqualTypeOf<string | undefined>();
    expectTypeOf<CaptureRequest['captureRequestId']>().toEqualTypeOf<string>();
  });
  it('U then S: retried with the same captureRequestId and byte-identical body', async () => {
    const seen = answerAt(server, CAPTURE, [{ result: U }, { result: U }, captureAnswer]);
    const { client, rec } = testClient();
    await client.capture(captureRequest);
    expect(seen).toEqual([seen[0], seen[0], seen[0]]);
    expect(rec.sleeps).toHaveLength(2);
  });
  it('F is final (not retried) and names the capture; a production client uses /ams/api', async () => {
    const seen = answerAt(server, CAPTURE, [{ result: F('CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT') }]);
    const err = await testClient()
      .client.capture(captureRequest)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AmsApiError', resultCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT', paymentId: 'pay-1', api: 'capture' });
    expect((err as Error).message).toContain('captureRequestId cap-1');
    expect(seen).toHaveLength(1);
    const live = answerAt(server, '/ams/api/v1/payments/capture', [captureAnswer], 'LIVE_1');
    await testClient({ clientId: 'LIVE_1' }).client.capture(captureRequest);
    expect(live).toHaveLength(1);
  });
  it('a signed answer about another capture is refused', async () => {
    answerAt(server, CAPTURE, [{ ...captureAnswer, captureRequestId: 'cap-other' }]);
    await expect(testClient().client.capture(captureRequest)).rejects.toMatchObject({ name: 'AmsSignatureError', check: 'body' });
  });
  it('each required field, bad amounts, over-long ids and unknown fields are refused before sending', async () => {
    const seen = answerAt(server, CAPTURE, [captureAnswer]);
    const { client } = testClient();
    for (const required of ['captureRequestId', 'paymentId', 'captureAmount'] as const) {
      const { [required]: _gone, ...rest } = captureRequest;
      await expectRefused(client.capture(rest as never), [required]);
    }
    for (const value of ['0', '19.99', '-5', '1e3']) {
      await expectRefused(client.capture({ ...captureRequest, captureAmount: { currency: 'USD', value } }), ['captureAmount.value']);
    }
    await expectRefused(client.capture({ ...captureRequest, captureRequestId: 'c'.repeat(65) }), ['captureRequestId'], /at most 64/);
    await expectRefused(client.capture({ ...captureRequest, paymentId: 'p'.repeat(65) }), ['paymentId']);
    await expectRefused(client.capture({ ...captureRequest, captureAmmount: {} } as never), ['']);
    expect(seen).toHaveLength(0);
  });
});

const declareRequest: DeclareRequest = {
  declarationRequestId: 'decl-1',
  paymentId: 'pay-1',
  declarationAmount: { currency: 'CNY', value: '10000' },
  customs: { customsCode: 'ZONGSHU', region: 'CN' },
  merchantCustomsInfo: { merchantCustomsCode: 'MC-1', merchantCustomsName: 'Merchant Co' },
  splitOrder: false,
};
const declareAnswer = {
  result: S,
  customsPaymentId: 'CP-1',
  customsOrderId: 'CO-1',
  identityCheckResult: 'CHECK_PASSED',
  clearingChannel: 'CUP',
};

describe('declare', () => {
  it('goes to the /customs/ sandbox path and returns the typed answer', async () => {
    const seen = answerAt(server, DECLARE, [declareAnswer]);
    const res = await testClient().client.declare(declareRequest);
    expect(res).toEqual(declareAnswer);
    expect(JSON.parse(seen[0]!)).toEqual(declareRequest);
    expectTypeOf(res).toEqualTypeOf<DeclareResponse>();
    expectTypeOf(res.identityCheckResult).toEqualTypeOf<'CHECK_PASSED' | 'CHECK_NOT_PASSED' | (string & {}) | undefined>();
  });
  it('a split order sends the sub-order id as suborderId (the reference) and subOrderId (the Java SDK), however given; splitOrder as a JSON boolean', async () => {
    const seen = answerAt(server, DECLARE, [declareAnswer]);
    const { client } = testClient();
    await client.declare({ ...declareRequest, splitOrder: true, subOrderId: 'sub-1' });
    await client.declare({ ...declareRequest, declarationRequestId: 'decl-2', splitOrder: 'true', suborderId: 'sub-2' });
    await client.declare({ ...declareRequest, declarationRequestId: 'decl-3', splitOrder: true, suborderId: 'sub-3', subOrderId: 'sub-3' });
    expect(seen.map((b) => JSON.parse(b))).toEqual([
      { ...declareRequest, splitOrder: true, suborderId: 'sub-1', subOrderId: 'sub-1' },
      { ...declareRequest, declarationRequestId: 'decl-2', splitOrder: true, suborderId: 'sub-2', subOrderId: 'sub-2' },
      { ...declareRequest, declarationRequestId: 'decl-3', splitOrder: true, suborderId: 'sub-3', subOrderId: 'sub-3' },
    ]);
    // Without a sub-order id neither key is sent.
    await client.declare({ ...declareRequest, declarationRequestId: 'decl-4' });
    expect(JSON.parse(seen[3]!)).toEqual({ ...declareRequest, declarationRequestId: 'decl-4' });
  });
  it('U then S with the same body; F final; production path /ams/api/v1/customs/declare', async () => {
    const seen = answerAt(server, DECLARE, [{ result: U }, declareAnswer]);
    await testClient().client.declare(declareRequest);
    expect(seen).toEqual([seen[0], seen[0]]);
    server.resetHandlers();
    const once = answerAt(server, DECLARE, [{ result: F('ACCESS_DENIED') }]);
    await expect(testClient().client.declare(declareRequest)).rejects.toMatchObject({
      name: 'AmsApiError',
      resultCode: 'ACCESS_DENIED',
      api: 'declare',
      message: expect.stringContaining('declarationRequestId decl-1'),
    });
    expect(once).toHaveLength(1);
    const live = answerAt(server, '/ams/api/v1/customs/declare', [declareAnswer], 'LIVE_1');
    await testClient({ clientId: 'LIVE_1' }).client.declare(declareRequest);
    expect(live).toHaveLength(1);
  });
  it('each required field, a non-CNY or bad amount, an id over 32 characters and a split order without sub-order id are refused', async () => {
    const seen = answerAt(server, DECLARE, [declareAnswer]);
    const { client } = testClient();
    for (const required of [
      'declarationRequestId',
      'paymentId',
      'declarationAmount',
      'customs',
      'merchantCustomsInfo',
      'splitOrder',
    ] as const) {
      const { [required]: _gone, ...rest } = declareRequest;
      await expectRefused(client.declare(rest as never), [required]);
    }
    await expectRefused(
      client.declare({ ...declareRequest, declarationAmount: { currency: 'USD', value: '100' } }),
      ['declarationAmount.currency'],
      /must be CNY/,
    );
    await expectRefused(client.declare({ ...declareRequest, declarationAmount: { currency: 'CNY', value: '100.00' } }), [
      'declarationAmount.value',
    ]);
    await expectRefused(
      client.declare({ ...declareRequest, declarationRequestId: 'd'.repeat(33) }),
      ['declarationRequestId'],
      /at most 32/,
    );
    await expectRefused(client.declare({ ...declareRequest, customs: { customsCode: '' } }), ['customs.customsCode']);
    await expectRefused(client.declare({ ...declareRequest, splitOrder: true }), ['subOrderId'], /required when splitOrder is true/);
    await expectRefused(client.declare({ ...declareRequest, splitOrder: 'yes' as never }), ['splitOrder']);
    await expectRefused(
      client.declare({ ...declareRequest, subOrderId: 'a', suborderId: 'b' }),
      ['suborderId'],
      /one field spelt two ways/,
    );
    await expectRefused(client.declare({ ...declareRequest, splitOrder: true, suborderId: 's'.repeat(65) }), ['suborderId'], /at most 64/);
    await expectRefused(
      client.declare({ ...declareRequest, customs: { customsCode: 'C'.repeat(129) } }),
      ['customs.customsCode'],
      /at most 128/,
    );
    expect(seen).toHaveLength(0);
  });
});

describe('inquiryDeclarationRequests', () => {
  const inquiryAnswer = {
    result: S,
    declarationRecords: [
      {
        declarationRequestId: 'decl-1',
        declarationRequestStatus: 'WAITING_FOR_PROCESSING',
        declarationAmount: { currency: 'CNY', value: '10000' },
        splitOrder: 'false',
      },
    ],
    declarationRequestsNotFound: ['decl-9'],
  };
  it('returns the records and the ids not found, typed', async () => {
    const seen = answerAt(server, INQUIRE, [inquiryAnswer]);
    const res = await testClient().client.inquiryDeclarationRequests({ declarationRequestIds: ['decl-1', 'decl-9'] });
    expect(res.declarationRecords[0]).toMatchObject({
      declarationRequestId: 'decl-1',
      declarationRequestStatus: 'WAITING_FOR_PROCESSING',
      splitOrder: false,
    });
    expect(res.declarationRequestsNotFound).toEqual(['decl-9']);
    expect(JSON.parse(seen[0]!)).toEqual({ declarationRequestIds: ['decl-1', 'decl-9'] });
    expectTypeOf(res).toEqualTypeOf<InquiryDeclarationResponse>();
    expectTypeOf(res.declarationRecords[0]!.declarationRequestStatus).toEqualTypeOf<string | undefined>();
  });
  it('U then S with the same body; F final', async () => {
    const seen = answerAt(server, INQUIRE, [{ result: U }, inquiryAnswer]);
    await testClient().client.inquiryDeclarationRequests({ declarationRequestIds: ['decl-1'] });
    expect(seen).toEqual([seen[0], seen[0]]);
    server.resetHandlers();
    answerAt(server, INQUIRE, [{ result: F('ACCESS_DENIED') }]);
    await expect(testClient().client.inquiryDeclarationRequests({ declarationRequestIds: ['decl-1'] })).rejects.toMatchObject({
      resultCode: 'ACCESS_DENIED',
    });
  });
  it('1 to 10 ids of at most 32 characters', async () => {
    const { client } = testClient();
    await expectRefused(client.inquiryDeclarationRequests({ declarationRequestIds: [] }), ['declarationRequestIds'], /at least 1/);
    await expectRefused(
      client.inquiryDeclarationRequests({ declarationRequestIds: Array.from({ length: 11 }, (_, i) => `d${i}`) }),
      ['declarationRequestIds'],
      /at most 10/,
    );
    await expectRefused(client.inquiryDeclarationRequests({ declarationRequestIds: ['ok', 'x'.repeat(33)] }), ['declarationRequestIds[1]']);
    await expectRefused(client.inquiryDeclarationRequests({} as never), ['declarationRequestIds']);
  });
});

describe('the msw gateway (createAmsHandlers)', () => {
  it('answers the /customs/ family on Alipay’s origin, like /payments/', async () => {
    const handlers = createAmsHandlers({
      clientId: CLIENT,
      merchantPublicKey: merchant.publicSpkiPem,
      alipayPrivateKey: alipay.privatePem,
    });
    server.use(...handlers);
    const { client } = testClient();
    const res = await client.inquiryDeclarationRequests({ declarationRequestIds: ['never-declared'] });
    expect(res).toMatchObject({ result: { resultStatus: 'S' }, declarationRecords: [], declarationRequestsNotFound: ['never-declared'] });
    await expect(client.declare(declareRequest)).rejects.toMatchObject({ name: 'AmsApiError', resultCode: 'ORDER_NOT_EXIST' });
    handlers.gateway.close();
  });
});
