// client.request(path, body, { schema }): the generic signed call on an API the package does not model, and on a loopback gateway.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { AmsConfigError, AmsUnknownResultError, AmsValidationError, resolveEndpoint, type AmsApi } from '../../src/index';
import { testClient } from '../helpers/client';
import { useMswServer } from '../helpers/msw';
import { answerAt, S } from './helpers';

const server = useMswServer();
const ORIGIN = 'https://open-na.alipay.com';
const VAULT = '/v1/vaults/vaultPaymentMethod';

const VaultAnswer = z.looseObject({
  result: z.looseObject({ resultStatus: z.enum(['S', 'F', 'U']), resultCode: z.string() }),
  vaultingRequestId: z.string(),
  normalUrl: z.string(),
});
const vaultBody = { vaultingRequestId: 'v-1', paymentMethodType: 'CARD', vaultingNotificationUrl: 'https://merchant.example/n' };

describe('endpoint resolution for full paths', () => {
  it('puts /ams/sandbox/api or /ams/api in front of any /v1/... path, and names resolve to their family', () => {
    expect(resolveEndpoint({ region: 'NA', sandbox: true }, VAULT)).toEqual({
      url: `${ORIGIN}/ams/sandbox/api${VAULT}`,
      path: `/ams/sandbox/api${VAULT}`,
    });
    expect(resolveEndpoint({ region: 'SEA' }, '/v1/customs/declare').path).toBe('/ams/api/v1/customs/declare');
    expect(resolveEndpoint({ region: 'NA' }, 'declare').path).toBe('/ams/api/v1/customs/declare');
    expect(resolveEndpoint({ region: 'NA', sandbox: true }, 'inquiryDeclarationRequests').path).toBe(
      '/ams/sandbox/api/v1/customs/inquiryDeclarationRequests',
    );
    expect(resolveEndpoint({ region: 'NA' }, 'createPaymentSession').path).toBe('/ams/api/v1/payments/createPaymentSession');
  });
  it('refuses paths that are not /v1/<family>/<api>', () => {
    for (const bad of ['/ams/api/v1/payments/pay', '/v1/payments/../pay', '/v1/pay', 'v1/payments/pay', '/v1/payments/pay?x=1']) {
      expect(() => resolveEndpoint({ region: 'NA' }, bad as AmsApi), bad).toThrow(AmsConfigError);
    }
  });
});

describe('client.request on an API the package does not model', () => {
  it('signs and sends the body to the sandbox path, verifies, and types the answer with the schema', async () => {
    const seen = answerAt(server, `/ams/sandbox/api${VAULT}`, [
      { result: S, vaultingRequestId: 'v-1', normalUrl: 'https://pay.example/vault' },
    ]);
    const res = await testClient().client.request(VAULT, vaultBody, { schema: VaultAnswer });
    expect(res.normalUrl).toBe('https://pay.example/vault');
    expect(JSON.parse(seen[0]!)).toEqual(vaultBody);
    expectTypeOf(res).toEqualTypeOf<z.infer<typeof VaultAnswer>>();
  });
  it('a production client uses /ams/api', async () => {
    const seen = answerAt(server, `/ams/api${VAULT}`, [{ result: S, vaultingRequestId: 'v-1' }], 'LIVE_1');
    const res = await testClient({ clientId: 'LIVE_1' }).client.request(VAULT, vaultBody);
    expect(res.result.resultStatus).toBe('S');
    expect(res['vaultingRequestId']).toBe('v-1');
    expectTypeOf(res.result.resultCode).toEqualTypeOf<string>();
    expectTypeOf(res['vaultingRequestId']).toEqualTypeOf<unknown>();
    expect(seen).toHaveLength(1);
  });
  it('U then S: retried with the byte-identical body', async () => {
    const seen = answerAt(server, `/ams/sandbox/api${VAULT}`, [
      { result: { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' } },
      { result: S, vaultingRequestId: 'v-1', normalUrl: 'u' },
    ]);
    const { client, rec } = testClient();
    await client.request(VAULT, vaultBody, { schema: VaultAnswer });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
    expect(rec.sleeps).toHaveLength(1);
  });
  it('U every time: AmsUnknownResultError naming the path after maxRetries + 1 attempts', async () => {
    const seen = answerAt(server, `/ams/sandbox/api${VAULT}`, [{ result: { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' } }]);
    const err = await testClient()
      .client.request(VAULT, vaultBody, { maxRetries: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsUnknownResultError);
    expect(err).toMatchObject({ api: VAULT, attempts: 2 });
    expect(seen).toHaveLength(2);
  });
  it('F is final: AmsApiError with the code, not retried', async () => {
    const seen = answerAt(server, `/ams/sandbox/api${VAULT}`, [
      { result: { resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: 'bad' } },
    ]);
    await expect(testClient().client.request(VAULT, vaultBody)).rejects.toMatchObject({
      name: 'AmsApiError',
      resultCode: 'PARAM_ILLEGAL',
      api: VAULT,
    });
    expect(seen).toHaveLength(1);
  });
  it('an S that does not fit the schema is refused; an echoed id that differs is refused', async () => {
    answerAt(server, `/ams/sandbox/api${VAULT}`, [{ result: S, vaultingRequestId: 'v-1' }]);
    await expect(testClient().client.request(VAULT, vaultBody, { schema: VaultAnswer })).rejects.toMatchObject({
      name: 'AmsHttpError',
      message: expect.stringMatching(/normalUrl/),
    });
    server.resetHandlers();
    answerAt(server, '/ams/sandbox/api/v1/payments/inquiryPayment', [{ result: S, paymentRequestId: 'someone-else' }]);
    await expect(testClient().client.request('/v1/payments/inquiryPayment', { paymentRequestId: 'mine' })).rejects.toMatchObject({
      name: 'AmsSignatureError',
      check: 'body',
    });
  });
  it('a bad path, body or schema is an AmsValidationError before anything is sent', async () => {
    const { client } = testClient();
    const cases: Array<[string, unknown, unknown, string]> = [
      ['/ams/api/v1/payments/pay', {}, undefined, 'path'],
      ['pay', {}, undefined, 'path'],
      [VAULT, [], undefined, 'body'],
      [VAULT, null, undefined, 'body'],
      [VAULT, {}, { parse: () => 1 }, 'schema'],
    ];
    for (const [path, body, schema, field] of cases) {
      const err = await client.request(path, body as never, { schema: schema as never }).catch((e: unknown) => e);
      expect(err, path).toBeInstanceOf(AmsValidationError);
      expect((err as AmsValidationError).fields).toEqual([field]);
    }
  });
});

describe('resolveEndpoint', () => {
  it('takes any API name as a /v1/payments/ API, as well as the modelled ones and full paths', () => {
    expect(resolveEndpoint({ region: 'NA', sandbox: true }, 'inquireExchangeRate').path).toBe(
      '/ams/sandbox/api/v1/payments/inquireExchangeRate',
    );
    expect(resolveEndpoint({ region: 'NA' }, 'declare').path).toBe('/ams/api/v1/customs/declare');
    expect(resolveEndpoint({ region: 'SEA' }, '/v1/vaults/vaultPaymentMethod').url).toBe(
      'https://open-sea.alipay.com/ams/api/v1/vaults/vaultPaymentMethod',
    );
  });
  it('EU and the accelerated domains; the risk APIs keep the production path in sandbox', () => {
    expect(resolveEndpoint({ region: 'EU' }, 'pay').url).toBe('https://open-de-global.alipay.com/ams/api/v1/payments/pay');
    expect(resolveEndpoint({ region: 'SEA', accelerated: true }, 'pay').url).toBe(
      'https://open-sea-global.alipay.com/ams/api/v1/payments/pay',
    );
    expect(resolveEndpoint({ region: 'NA', accelerated: true, sandbox: true }, 'pay').url).toBe(
      'https://open-na-global.alipay.com/ams/sandbox/api/v1/payments/pay',
    );
    expect(resolveEndpoint({ region: 'NA', sandbox: true }, '/v1/risk/payments/decide').path).toBe('/ams/api/v1/risk/payments/decide');
    expect(resolveEndpoint({ region: 'NA', sandbox: true }, '/v1/riskless/x').path).toBe('/ams/sandbox/api/v1/riskless/x');
    expect(() => resolveEndpoint({ region: 'EUROPE' as 'EU' }, 'pay')).toThrow(/region must be one of NA, SEA, EU/);
  });
});
