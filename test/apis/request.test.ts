// client.request(path, body, { schema }): the generic signed call on an API the package does not model, with any
// Standard Schema (zod 4, zod 3 through zod/v3, valibot, a hand-written one) typing and checking the verified answer.
import { http } from 'msw';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { AmsConfigError, AmsUnknownResultError, AmsValidationError, resolveEndpoint, type AmsApi } from '../../src/index';
import { amsResponse } from '../helpers/ams-responder';
import { testClient } from '../helpers/client';
import { useMswServer } from '../helpers/msw';
import { answerAt, CLIENT, ORIGIN as NA, S } from './helpers';

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
  it('an S that does not fit the schema is an AmsValidationError naming the field; an echoed id that differs is refused', async () => {
    answerAt(server, `/ams/sandbox/api${VAULT}`, [{ result: S, vaultingRequestId: 'v-1' }]);
    const err = await testClient()
      .client.request(VAULT, vaultBody, { schema: VaultAnswer })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsValidationError);
    expect((err as AmsValidationError).fields).toEqual(['normalUrl']);
    expect((err as Error).message).toMatch(
      /^\/v1\/vaults\/vaultPaymentMethod answered S and the answer verified, but it does not fit the schema/,
    );
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
      [VAULT, {}, { '~standard': { version: 2, validate: () => ({ value: 1 }) } }, 'schema'],
      [VAULT, {}, 'z.object()', 'schema'],
    ];
    for (const [path, body, schema, field] of cases) {
      const err = await client.request(path, body as never, { schema: schema as never }).catch((e: unknown) => e);
      expect(err, path).toBeInstanceOf(AmsValidationError);
      expect((err as AmsValidationError).fields).toEqual([field]);
    }
  });
});

describe('client.request with any Standard Schema', () => {
  const PATH = `/ams/sandbox/api${VAULT}`;
  const ANSWER = { result: S, vaultingRequestId: 'v-1', normalUrl: 'https://pay.example/vault', extra: 1 };

  it('zod 4 without `result`: the package reads result itself; the schema output is what resolves', async () => {
    answerAt(server, PATH, [ANSWER]);
    const Vault = z.object({ vaultingRequestId: z.string(), normalUrl: z.url() });
    const res = await testClient().client.request(VAULT, vaultBody, { schema: Vault });
    expect(res).toStrictEqual({ vaultingRequestId: 'v-1', normalUrl: 'https://pay.example/vault' });
    expectTypeOf(res).toEqualTypeOf<{ vaultingRequestId: string; normalUrl: string }>();
  });

  it("a transform's output resolves, and the schema runs once per call on the caller's own validator", async () => {
    answerAt(server, PATH, [ANSWER]);
    let runs = 0;
    const Url = z.looseObject({ normalUrl: z.string() }).transform((a) => (runs++, new URL(a.normalUrl)));
    const { client } = testClient();
    for (let i = 1; i <= 3; i++) {
      const url = await client.request(VAULT, vaultBody, { schema: Url });
      expect(url).toBeInstanceOf(URL);
      expect(url.host).toBe('pay.example');
      expectTypeOf(url).toEqualTypeOf<URL>();
      expect(runs).toBe(i);
    }
  });

  it('zod 3 (zod ≥ 3.24 implements Standard Schema; here zod/v3)', async () => {
    answerAt(server, PATH, [ANSWER]);
    const Vault = z3.object({ vaultingRequestId: z3.string(), normalUrl: z3.string() });
    const res = await testClient().client.request(VAULT, vaultBody, { schema: Vault });
    expect(res).toStrictEqual({ vaultingRequestId: 'v-1', normalUrl: 'https://pay.example/vault' });
    expectTypeOf(res).toEqualTypeOf<{ vaultingRequestId: string; normalUrl: string }>();
    server.resetHandlers();
    answerAt(server, PATH, [{ result: S, vaultingRequestId: 7 }]);
    const err = await testClient()
      .client.request(VAULT, vaultBody, { schema: Vault })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsValidationError);
    expect((err as AmsValidationError).fields).toEqual(['vaultingRequestId', 'normalUrl']);
  });

  it('valibot: typed by its output, a refused field named', async () => {
    answerAt(server, PATH, [ANSWER]);
    const Vault = v.object({ vaultingRequestId: v.string(), normalUrl: v.pipe(v.string(), v.url()) });
    const res = await testClient().client.request(VAULT, vaultBody, { schema: Vault });
    expect(res).toStrictEqual({ vaultingRequestId: 'v-1', normalUrl: 'https://pay.example/vault' });
    expectTypeOf(res).toEqualTypeOf<{ vaultingRequestId: string; normalUrl: string }>();
    server.resetHandlers();
    answerAt(server, PATH, [{ ...ANSWER, cards: [{ last4: '4242' }, { last4: 42 }] }]);
    const Cards = v.object({ cards: v.array(v.object({ last4: v.string() })) });
    const err = await testClient()
      .client.request(VAULT, vaultBody, { schema: Cards })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsValidationError);
    expect((err as AmsValidationError).fields).toEqual(['cards[1].last4']);
  });

  it('a hand-written Standard Schema, synchronous or asynchronous, with path segments as keys or { key }', async () => {
    answerAt(server, PATH, [ANSWER]);
    const handWritten = (async: boolean): StandardSchemaV1<unknown, { url: string }> => ({
      '~standard': {
        version: 1,
        vendor: 'merchant',
        validate: (value) => {
          const url = (value as { normalUrl?: unknown }).normalUrl;
          const result: StandardSchemaV1.Result<{ url: string }> =
            typeof url === 'string' && url.startsWith('https://')
              ? { value: { url } }
              : { issues: [{ message: 'must be an https URL', path: [{ key: 'normalUrl' }] }] };
          return async ? Promise.resolve(result) : result;
        },
      },
    });
    const { client } = testClient();
    for (const async of [false, true]) {
      const res = await client.request(VAULT, vaultBody, { schema: handWritten(async) });
      expect(res).toStrictEqual({ url: 'https://pay.example/vault' });
      expectTypeOf(res).toEqualTypeOf<{ url: string }>();
    }
    server.resetHandlers();
    answerAt(server, PATH, [{ ...ANSWER, normalUrl: 'http://pay.example/vault' }]);
    for (const async of [false, true]) {
      const err = await client.request(VAULT, vaultBody, { schema: handWritten(async) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AmsValidationError);
      expect((err as AmsValidationError).issues).toEqual([{ field: 'normalUrl', message: 'must be an https URL', code: 'schema' }]);
    }
  });

  it('a schema that throws is an AmsValidationError naming the schema, the error kept as the cause', async () => {
    answerAt(server, PATH, [ANSWER]);
    const boom = new RangeError('no vaults today');
    const Throws = z.looseObject({}).transform(() => {
      throw boom;
    });
    const err = await testClient()
      .client.request(VAULT, vaultBody, { schema: Throws })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsValidationError);
    expect((err as AmsValidationError).fields).toEqual(['schema']);
    expect((err as Error).message).toContain('RangeError: no vaults today');
    expect((err as Error).cause).toBe(boom);
  });

  it('a schema that accepts anything cannot make an F, an unsigned S or a badly signed S resolve: it is never run', async () => {
    let runs = 0;
    const anything: StandardSchemaV1<unknown, unknown> = {
      '~standard': { version: 1, vendor: 'test', validate: (value) => (runs++, { value }) },
    };
    const { client } = testClient();
    answerAt(server, PATH, [{ result: { resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: 'bad' } }]);
    await expect(client.request(VAULT, vaultBody, { schema: anything })).rejects.toMatchObject({ name: 'AmsApiError' });
    server.resetHandlers();
    server.use(http.post(NA + PATH, () => amsResponse(ANSWER, { path: PATH, clientId: CLIENT, unsigned: true })));
    await expect(client.request(VAULT, vaultBody, { schema: anything })).rejects.toMatchObject({ name: 'AmsSignatureError' });
    server.resetHandlers();
    server.use(
      http.post(NA + PATH, () =>
        amsResponse(ANSWER, { path: PATH, clientId: CLIENT, tamper: (b) => b.replace('pay.example', 'evil.example') }),
      ),
    );
    await expect(client.request(VAULT, vaultBody, { schema: anything, maxRetries: 0 })).rejects.toMatchObject({
      name: 'AmsSignatureError',
    });
    expect(runs).toBe(0);
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
