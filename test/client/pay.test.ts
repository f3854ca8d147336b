// AmsClient.pay end to end against msw playing Alipay: happy paths, every fault, retries, validation, secrets.
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  AmsAbortError,
  AmsApiError,
  AmsConnectionError,
  AmsHttpError,
  AmsSignatureError,
  AmsTimeoutError,
  AmsUnknownResultError,
  AmsValidationError,
  verifySignature,
} from '../../src/index';
import { amsResponse, IN_PROCESS } from '../helpers/ams-responder';
import { FIXED_NOW, payRequest, testClient } from '../helpers/client';
import { alipay, merchant, other } from '../helpers/keys';
import { useMswServer } from '../helpers/msw';

const server = useMswServer();
const PATH = '/ams/sandbox/api/v1/payments/pay';
const URL_ = `https://open-na.alipay.com${PATH}`;
const CLIENT = 'SANDBOX_5Y055A2Y2F6K05235';
const fixtureResponse = JSON.parse(readFileSync(new URL('../fixtures/pay-response.payment-in-process.json', import.meta.url), 'utf8'));

interface Seen {
  headers: Record<string, string>;
  body: string;
}

/** Installs a handler that answers attempt n with `answers[n]` (the last one repeats) and records every request. */
function gateway(answers: Array<(seen: Seen) => Response | Promise<Response>>): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.post(URL_, async ({ request }) => {
      const s = { headers: Object.fromEntries(request.headers), body: await request.text() };
      seen.push(s);
      return answers[Math.min(seen.length - 1, answers.length - 1)]!(s);
    }),
  );
  return seen;
}

const ok = () => amsResponse({ ...fixtureResponse, paymentRequestId: 'pr-0001' }, { path: PATH, clientId: CLIENT });

describe('pay: happy path', () => {
  it('signs exactly what it sends and resolves U/PAYMENT_IN_PROCESS with the typed body', async () => {
    const seen = gateway([ok]);
    const { client } = testClient();
    const req = payRequest();
    const res = await client.pay(req);
    expect(res.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    expect(res.redirectActionForm?.redirectUrl).toBe('https://iopensandbox.alipay.com/alipaycn/pc/cashier');
    expect(res.paymentId).toBe(fixtureResponse.paymentId);
    expect(seen).toHaveLength(1);
    const { headers, body } = seen[0]!;
    expect(body).toBe(JSON.stringify(req));
    expect(headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(headers['client-id']).toBe(CLIENT);
    expect(headers['request-time']).toBe('2026-11-22T00:00:00+00:00');
    expect(headers['agent-token']).toBeUndefined();
    expect(headers['signature']).toMatch(/^algorithm=RSA256,keyVersion=1,signature=[A-Za-z0-9%]+$/);
    expect(
      verifySignature({
        path: PATH,
        clientId: CLIENT,
        time: headers['request-time']!,
        body,
        signature: headers['signature']!,
        publicKey: merchant.publicSpkiPem,
      }),
    ).toBe(true);
  });

  it('keeps unknown response fields and resolves S', async () => {
    gateway([
      () =>
        amsResponse(
          { result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'ok' }, paymentId: 'p1', extraField: { a: 1 } },
          { path: PATH, clientId: CLIENT },
        ),
    ]);
    const res = await testClient().client.pay(payRequest());
    expect(res.paymentId).toBe('p1');
    expect((res as Record<string, unknown>).extraField).toEqual({ a: 1 });
  });

  it('sends Agent-Token only when configured, and uses the production path for production ids', async () => {
    const prodUrl = 'https://open-sea.alipay.com/ams/api/v1/payments/pay';
    const seen: Seen[] = [];
    server.use(
      http.post(prodUrl, async ({ request }) => {
        seen.push({ headers: Object.fromEntries(request.headers), body: await request.text() });
        return amsResponse(IN_PROCESS, { path: '/ams/api/v1/payments/pay', clientId: 'LIVE_1' });
      }),
    );
    const { client } = testClient({ clientId: 'LIVE_1', region: 'SEA', agentToken: 'agent-token-secret-123' });
    await client.pay(payRequest());
    expect(seen[0]!.headers['agent-token']).toBe('agent-token-secret-123');
  });

  it('accepts the cashier guide request as is (env inside order)', async () => {
    gateway([() => amsResponse(fixtureResponse, { path: PATH, clientId: CLIENT })]); // the cashier guide's own answer to it
    const seed = JSON.parse(readFileSync(new URL('../fixtures/pay-request.alipaycn-web.json', import.meta.url), 'utf8'));
    await expect(testClient().client.pay(seed)).resolves.toMatchObject({ result: { resultStatus: 'U' } });
  });

  it('works the same with the jsrsasign backend', async () => {
    const seen = gateway([ok]);
    await testClient({ cryptoBackend: 'jsrsasign' }).client.pay(payRequest());
    const { headers, body } = seen[0]!;
    expect(
      verifySignature({
        path: PATH,
        clientId: CLIENT,
        time: headers['request-time']!,
        body,
        signature: headers['signature']!,
        publicKey: merchant.publicSpkiPem,
      }),
    ).toBe(true);
  });
});

describe('pay: retries carry the same body, re-signed', () => {
  it('U UNKNOWN_EXCEPTION then success', async () => {
    let t = 0;
    const seen = gateway([
      () =>
        amsResponse(
          { result: { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U', resultMessage: 'x' } },
          { path: PATH, clientId: CLIENT },
        ),
      ok,
    ]);
    const rec = { sleeps: [] as number[] };
    const { client } = testClient({
      clock: { now: () => new Date(FIXED_NOW.getTime() + 5000 * t++), sleep: async (ms) => void rec.sleeps.push(ms) },
    });
    await client.pay(payRequest());
    expect(seen).toHaveLength(2);
    expect(seen[1]!.body).toBe(seen[0]!.body);
    expect(JSON.parse(seen[1]!.body).paymentRequestId).toBe('pr-0001');
    expect(seen[0]!.headers['request-time']).not.toBe(seen[1]!.headers['request-time']);
    expect(seen[0]!.headers['signature']).not.toBe(seen[1]!.headers['signature']);
    expect(rec.sleeps).toHaveLength(1);
    expect(rec.sleeps[0]).toBeGreaterThan(370);
    expect(rec.sleeps[0]).toBeLessThanOrEqual(500);
  });

  it('503 then success', async () => {
    const seen = gateway([
      () => new HttpResponse('<html>Service Unavailable</html>', { status: 503, headers: { 'content-type': 'text/html' } }),
      ok,
    ]);
    await testClient().client.pay(payRequest());
    expect(seen.map((s) => s.body)).toEqual([seen[0]!.body, seen[0]!.body]);
  });

  it('429 honours Retry-After, backoff doubles', async () => {
    gateway([
      () => new HttpResponse('', { status: 429, headers: { 'retry-after': '3' } }),
      () => new HttpResponse('', { status: 502 }),
      ok,
    ]);
    const { client, rec } = testClient();
    await client.pay(payRequest());
    expect(rec.sleeps[0]).toBe(3000);
    expect(rec.sleeps[1]).toBeGreaterThan(740);
    expect(rec.sleeps[1]).toBeLessThanOrEqual(1000);
  });

  it('ignores a Retry-After over 60 s', async () => {
    gateway([() => new HttpResponse('', { status: 429, headers: { 'retry-after': '3600' } }), ok]);
    const { client, rec } = testClient();
    await client.pay(payRequest());
    expect(rec.sleeps[0]).toBeLessThanOrEqual(500);
  });

  it('connection reset then success; always reset → AmsConnectionError after 3 attempts', async () => {
    const seen = gateway([() => HttpResponse.error(), ok]);
    await testClient().client.pay(payRequest());
    expect(seen).toHaveLength(2);
    server.resetHandlers();
    const seen2 = gateway([() => HttpResponse.error()]);
    const err = await testClient()
      .client.pay(payRequest())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsConnectionError);
    expect(err).not.toBeInstanceOf(AmsTimeoutError);
    expect((err as AmsConnectionError).attempts).toBe(3);
    expect(seen2).toHaveLength(3);
  });

  it('a hang times out per attempt → AmsTimeoutError', async () => {
    const seen = gateway([
      async () => {
        await delay('infinite');
        return ok();
      },
    ]);
    const err = await testClient({ timeoutMs: 150, maxRetries: 1 })
      .client.pay(payRequest())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsTimeoutError);
    expect(err).toBeInstanceOf(AmsConnectionError);
    expect((err as AmsTimeoutError).attempts).toBe(2);
    expect(seen).toHaveLength(2);
  });

  it('a U that stays unknown → AmsUnknownResultError telling the caller to inquire', async () => {
    const seen = gateway([
      () =>
        amsResponse(
          { result: { resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT', resultStatus: 'U', resultMessage: 'busy' } },
          { path: PATH, clientId: CLIENT },
        ),
    ]);
    const err = (await testClient()
      .client.pay(payRequest())
      .catch((e: unknown) => e)) as AmsUnknownResultError;
    expect(err).toBeInstanceOf(AmsUnknownResultError);
    expect(err).toMatchObject({ resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT', paymentRequestId: 'pr-0001', attempts: 3 });
    expect(err.message).toMatch(/inquire/);
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
  });

  it('per-call maxRetries and timeoutMs override the client', async () => {
    const seen = gateway([() => new HttpResponse('', { status: 500 })]);
    const err = await testClient()
      .client.pay(payRequest(), { maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsHttpError);
    expect((err as AmsHttpError).httpStatus).toBe(500);
    expect(seen).toHaveLength(1);
  });

  it('per-call timeoutMs applies to each attempt', async () => {
    const seen = gateway([
      async () => {
        await delay('infinite');
        return ok();
      },
    ]);
    const started = Date.now();
    const err = await testClient({ timeoutMs: 60_000 })
      .client.pay(payRequest(), { timeoutMs: 100, maxRetries: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsTimeoutError);
    expect((err as Error).message).toMatch(/within 100 ms/);
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('per-call options are validated', async () => {
    const { client } = testClient();
    await expect(client.pay(payRequest(), { maxRetries: Infinity })).rejects.toMatchObject({
      name: 'AmsValidationError',
      issues: [expect.objectContaining({ field: 'maxRetries' })],
    });
    await expect(client.pay(payRequest(), { timeoutMs: 0 })).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'timeoutMs' })],
    });
  });

  it("the caller's own AbortSignal.timeout() is an abort, not our timeout", async () => {
    gateway([
      async () => {
        await delay('infinite');
        return ok();
      },
    ]);
    const signal = AbortSignal.timeout(100);
    const err = await testClient({ timeoutMs: 10_000 })
      .client.pay(payRequest(), { signal })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsAbortError);
    expect(err).not.toBeInstanceOf(AmsConnectionError);
    expect(err).toMatchObject({ mayHaveReachedAlipay: true, attempts: 1, cause: signal.reason });
    expect((err as Error).message).toMatch(/aborted by the caller.*inquire with the same id/);
  });

  it('an abort while signing (calls in flight) sends nothing more', async () => {
    const seen = gateway([
      async () => {
        await delay(300);
        return ok();
      },
    ]);
    const { client } = testClient();
    const ac = new AbortController();
    const other = client.pay(payRequest({ paymentRequestId: 'pr-other' })).catch(() => undefined);
    const mine = client.pay(payRequest(), { signal: ac.signal });
    ac.abort(); // the second call is signing on the threadpool right now
    await expect(mine).rejects.toThrow(/aborted by the caller/);
    await other;
    expect(seen.map((s) => JSON.parse(s.body).paymentRequestId)).toEqual(['pr-other']);
  });

  it('a custom transport that throws a plain error fails as a typed, retried connection error', async () => {
    let calls = 0;
    const transport = async () => {
      calls++;
      throw new Error('socket hang up');
    };
    const err = await testClient({ transport })
      .client.pay(payRequest())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsConnectionError);
    expect(calls).toBe(3);
  });

  it('an aborted signal stops at once and during backoff', async () => {
    gateway([() => new HttpResponse('', { status: 503 })]);
    const ac = new AbortController();
    ac.abort();
    const before = await testClient()
      .client.pay(payRequest(), { signal: ac.signal })
      .catch((e: unknown) => e);
    expect(before).toBeInstanceOf(AmsAbortError);
    expect(before).toMatchObject({ mayHaveReachedAlipay: false, attempts: 0 });
    expect((before as Error).message).toMatch(/nothing was sent to Alipay/);
    const ac2 = new AbortController();
    const { client } = testClient({
      clock: {
        now: () => FIXED_NOW,
        sleep: (_ms, signal) =>
          new Promise((_r, rej) => {
            ac2.abort();
            rej(signal?.reason);
          }),
      },
    });
    const err = await client.pay(payRequest(), { signal: ac2.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsAbortError);
    expect(err).toMatchObject({ mayHaveReachedAlipay: true, attempts: 1 });
    expect((err as Error).message).toMatch(/aborted by the caller/);
  });
});

describe('pay: verification faults', () => {
  it('F → AmsApiError with the fields a person needs; not retried', async () => {
    const seen = gateway([
      () =>
        amsResponse(
          { result: { resultCode: 'CURRENCY_NOT_SUPPORT', resultStatus: 'F', resultMessage: 'currency not supported' } },
          { path: PATH, clientId: CLIENT, status: 200 },
        ),
    ]);
    const err = (await testClient()
      .client.pay(payRequest())
      .catch((e: unknown) => e)) as AmsApiError;
    expect(err).toBeInstanceOf(AmsApiError);
    expect(err).toMatchObject({
      resultCode: 'CURRENCY_NOT_SUPPORT',
      resultStatus: 'F',
      resultMessage: 'currency not supported',
      paymentRequestId: 'pr-0001',
      httpStatus: 200,
      api: 'pay',
    });
    expect(seen).toHaveLength(1);
  });

  it('unsigned F is accepted as an F (e.g. INVALID_SIGNATURE from the gateway)', async () => {
    gateway([
      () =>
        amsResponse(
          { result: { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F', resultMessage: 'bad sig' } },
          { path: PATH, clientId: CLIENT, unsigned: true },
        ),
    ]);
    await expect(testClient().client.pay(payRequest())).rejects.toMatchObject({ name: 'AmsApiError', resultCode: 'INVALID_SIGNATURE' });
  });

  it('unsigned S → AmsSignatureError missing_header', async () => {
    gateway([
      () =>
        amsResponse(
          { result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'ok' } },
          { path: PATH, clientId: CLIENT, unsigned: true },
        ),
    ]);
    await expect(testClient().client.pay(payRequest())).rejects.toMatchObject({
      name: 'AmsSignatureError',
      reason: 'missing_header',
      check: 'signature',
    });
  });

  it('a signature without the headers it covers → missing_header, whatever the result', async () => {
    gateway([
      () => {
        const r = amsResponse({ result: { resultCode: 'SUCCESS', resultStatus: 'S' } }, { path: PATH, clientId: CLIENT });
        r.headers.delete('response-time');
        return r;
      },
    ]);
    await expect(testClient().client.pay(payRequest())).rejects.toMatchObject({ reason: 'missing_header', check: 'response-time' });
    server.resetHandlers();
    gateway([
      () => {
        const r = amsResponse({ result: { resultCode: 'PROCESS_FAIL', resultStatus: 'F' } }, { path: PATH, clientId: CLIENT });
        r.headers.delete('client-id');
        return r;
      },
    ]);
    await expect(testClient().client.pay(payRequest())).rejects.toMatchObject({
      name: 'AmsSignatureError',
      reason: 'missing_header',
      check: 'client-id',
    });
  });

  it('an unsigned PAYMENT_IN_PROCESS is rejected: it carries the URL the buyer is sent to', async () => {
    gateway([
      () =>
        amsResponse(
          { ...IN_PROCESS, paymentRequestId: 'pr-0001', normalUrl: 'https://evil.example/cashier' },
          { path: PATH, clientId: CLIENT, unsigned: true },
        ),
    ]);
    await expect(testClient().client.pay(payRequest())).rejects.toMatchObject({
      name: 'AmsSignatureError',
      reason: 'missing_header',
      check: 'signature',
    });
  });

  it('a validly signed answer about another payment (a replay) is rejected', async () => {
    gateway([() => amsResponse({ ...fixtureResponse, paymentRequestId: 'someone-elses-order' }, { path: PATH, clientId: CLIENT })]);
    await expect(testClient().client.pay(payRequest())).rejects.toMatchObject({
      name: 'AmsSignatureError',
      reason: 'mismatch',
      check: 'body',
    });
  });

  it('tampered body → AmsSignatureError mismatch', async () => {
    gateway([
      () =>
        amsResponse(fixtureResponse, { path: PATH, clientId: CLIENT, tamper: (b) => b.replace('iopensandbox.alipay.com', 'evil.example') }),
    ]);
    await expect(testClient().client.pay(payRequest())).rejects.toMatchObject({
      name: 'AmsSignatureError',
      reason: 'mismatch',
      check: 'signature',
    });
  });

  it('signed by a key that is not Alipay’s → mismatch that tells which key to check', async () => {
    gateway([() => amsResponse(fixtureResponse, { path: PATH, clientId: CLIENT, signWith: other.privatePem })]);
    const err = await testClient()
      .client.pay(payRequest())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsSignatureError);
    expect((err as Error).message).toMatch(/Alipay's key/);
  });

  it('a response for another client id → mismatch on client-id', async () => {
    gateway([() => amsResponse(fixtureResponse, { path: PATH, clientId: 'SANDBOX_SOMEONE_ELSE' })]);
    await expect(testClient().client.pay(payRequest())).rejects.toMatchObject({ reason: 'mismatch', check: 'client-id' });
  });

  it('truncated JSON → AmsHttpError with a snippet', async () => {
    gateway([() => amsResponse(JSON.stringify(fixtureResponse).slice(0, 80), { path: PATH, clientId: CLIENT })]);
    const err = (await testClient()
      .client.pay(payRequest())
      .catch((e: unknown) => e)) as AmsHttpError;
    expect(err).toBeInstanceOf(AmsHttpError);
    expect(err.bodySnippet.length).toBeGreaterThan(10);
  });

  it('a 200 HTML page → AmsHttpError', async () => {
    gateway([() => new HttpResponse('<html>proxy error</html>', { status: 200, headers: { 'content-type': 'text/html' } })]);
    await expect(testClient().client.pay(payRequest())).rejects.toMatchObject({ name: 'AmsHttpError', httpStatus: 200 });
  });

  it('a signed success missing required response fields → AmsHttpError naming them', async () => {
    gateway([
      () =>
        amsResponse(
          { result: { resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U' }, redirectActionForm: { method: 'GET' } },
          { path: PATH, clientId: CLIENT },
        ),
    ]);
    await expect(testClient().client.pay(payRequest())).rejects.toThrow(/redirectActionForm\.redirectUrl/);
  });
});

describe('pay: validation before any network call', () => {
  it('lists every bad field at once', async () => {
    const err = (await testClient()
      .client.pay({
        ...payRequest({
          paymentRequestId: 'x'.repeat(65),
          paymentAmount: { currency: 'USD', value: '19.99' },
          env: { terminalType: 'TV' },
        }),
        order: undefined,
      } as never)
      .catch((e: unknown) => e)) as AmsValidationError;
    expect(err).toBeInstanceOf(AmsValidationError);
    expect(err.fields).toEqual(expect.arrayContaining(['paymentRequestId', 'paymentAmount.value', 'env.terminalType', 'order']));
    expect(err.message).toContain(
      "paymentAmount.value: must be a positive integer string: amounts are strings of minor units, e.g. '1999' for 19.99 USD; toMinorUnits('19.99', 'USD') makes one",
    );
  });

  it('requires settlementStrategy.settlementCurrency for ALIPAY_CN', async () => {
    const { settlementStrategy: _omit, ...req } = payRequest();
    await expect(testClient().client.pay(req as never)).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'settlementStrategy.settlementCurrency' })],
    });
  });

  it('runs the ALIPAY_CN currency rules', async () => {
    const err = (await testClient()
      .client.pay(payRequest({ settlementStrategy: { settlementCurrency: 'CNY' } }))
      .catch((e: unknown) => e)) as AmsValidationError;
    expect(err).toBeInstanceOf(AmsValidationError);
    expect(err.fields).toContain('settlementStrategy.settlementCurrency');
    const err2 = (await testClient()
      .client.pay(payRequest({ settlementStrategy: { settlementCurrency: 'EUR' } }))
      .catch((e: unknown) => e)) as AmsValidationError;
    expect(err2.issues.some((i) => /EUR|USD/.test(i.message))).toBe(true);
  });

  it('checks extendInfo', async () => {
    const bad = payRequest();
    bad.order.extendInfo = JSON.stringify({ chinaExtraTransInfo: { businessType: '4', goodsInfo: 'pencil^2', totalQuantity: '3' } });
    await expect(testClient().client.pay(bad)).rejects.toBeInstanceOf(AmsValidationError);
    bad.order.extendInfo = '{not json';
    await expect(testClient().client.pay(bad)).rejects.toBeInstanceOf(AmsValidationError);
  });

  it('checks paymentExpiryTime against the clock (< 10 minutes)', async () => {
    await expect(testClient().client.pay(payRequest({ paymentExpiryTime: '2026-11-22T00:15:00+00:00' }))).rejects.toThrow(
      /less than 10 minutes/,
    );
    gateway([ok]);
    await expect(testClient().client.pay(payRequest({ paymentExpiryTime: '2026-11-22T08:05:00+08:00' }))).resolves.toBeDefined();
  });
});

describe('pay: secrets never reach logs or errors', () => {
  it('no private key, no full signature, no agent token in any log line or error message', async () => {
    const seen = gateway([
      () =>
        amsResponse(
          { result: { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U', resultMessage: 'x' } },
          { path: PATH, clientId: CLIENT },
        ),
      () => amsResponse(fixtureResponse, { path: PATH, clientId: CLIENT, tamper: (b) => `${b} ` }),
    ]);
    const { client, rec } = testClient({ agentToken: 'agent-token-secret-123' });
    const err = await client.pay(payRequest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsSignatureError);
    const haystack = [JSON.stringify(rec.logs), (err as Error).message, inspect(err), inspect(client), JSON.stringify(client)].join('\n');
    const secrets = [
      ...merchant.privatePkcs8Base64.match(/.{24}/g)!,
      'agent-token-secret-123',
      ...seen.map((s) => decodeURIComponent(s.headers['signature']!.split('signature=')[1]!)),
      ...seen.map((s) => s.headers['signature']!.split('signature=')[1]!),
    ];
    for (const secret of secrets) expect(haystack).not.toContain(secret);
    expect(rec.logs.filter((l) => l.message === 'ams: request')).toHaveLength(2);
    expect(JSON.stringify(rec.logs)).toContain('<redacted');
    expect(alipay.publicBase64.length).toBeGreaterThan(0);
  });
});

describe('pay: secrets a gateway reflects never come back out', () => {
  const TOKEN = 'agent-token-REFLECTED-9c1e2d';
  it('an answer that echoes the request headers: Agent-Token and signature are cut from bodySnippet, by value', async () => {
    const seen = gateway([
      ({ headers }) =>
        new HttpResponse(
          `<html><pre>${JSON.stringify(headers)}\nagent-token = ${headers['agent-token']}\n${decodeURIComponent(headers['signature']!)}</pre></html>`,
          {
            status: 400,
            headers: { 'content-type': 'text/html' },
          },
        ),
    ]);
    const { client, rec } = testClient({ agentToken: TOKEN });
    const err = await client.pay(payRequest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsHttpError);
    const sentSignature = seen[0]!.headers['signature']!.split('signature=')[1]!;
    const everything = `${(err as AmsHttpError).bodySnippet} ${(err as Error).message} ${inspect(err)} ${JSON.stringify(rec.logs)}`;
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(sentSignature);
    expect(everything).not.toContain(decodeURIComponent(sentSignature));
    expect((err as AmsHttpError).bodySnippet).toContain('<redacted');
  });

  it('the same on a retryable status, after every retry', async () => {
    gateway([({ headers }) => new HttpResponse(`upstream failed for token ${headers['agent-token']}`, { status: 502 })]);
    const { client } = testClient({ agentToken: TOKEN });
    const err = await client.pay(payRequest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsHttpError);
    expect((err as AmsHttpError).httpStatus).toBe(502);
    expect((err as AmsHttpError).bodySnippet).toBe('upstream failed for token <redacted 28 chars>');
  });

  it("a logger never sees the token, even in what a merchant's own code puts into a message", async () => {
    const { redactingLogger } = await import('../../src/internal/redact');
    const lines: string[] = [];
    const logger = redactingLogger({ warn: (m: string, meta?: unknown) => lines.push(`${m} ${JSON.stringify(meta)}`) }, TOKEN);
    logger.warn(`failed with ${TOKEN}`, { nested: { list: [TOKEN, encodeURIComponent(TOKEN)] }, error: new Error(`x ${TOKEN}`) });
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines.join('\n')).toContain('<redacted 28 chars>');
  });
});

describe('pay: the AlipayCN cashier rules on the client', () => {
  const withoutExtra = () => {
    const r = payRequest();
    const { extendInfo: _omitted, ...order } = r.order;
    return { ...r, order };
  };

  it('a direct merchant (the default) without chinaExtraTransInfo: AmsValidationError naming the field and its source, nothing sent', async () => {
    const seen = gateway([ok]);
    const err = await testClient()
      .client.pay(withoutExtra())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsValidationError);
    expect((err as AmsValidationError).issues).toEqual([
      expect.objectContaining({
        field: 'order.extendInfo.chinaExtraTransInfo',
        code: 'required',
        source: expect.stringContaining('directly integrated with AlipayCN'),
      }),
    ]);
    expect(seen).toHaveLength(0);
  });

  it('an acquirer may omit it, but what it sends is checked the same way', async () => {
    const seen = gateway([ok]);
    const { client } = testClient({ integration: 'acquirer' });
    await client.pay(withoutExtra());
    expect(seen).toHaveLength(1);
    const bad = {
      ...payRequest(),
      order: {
        ...payRequest().order,
        extendInfo: { chinaExtraTransInfo: { businessType: '4', goodsInfo: 'pencil^2', totalQuantity: '3' } },
      },
    };
    const err = await client.pay(bad).catch((e: unknown) => e);
    expect((err as AmsValidationError).fields).toEqual(['order.extendInfo.chinaExtraTransInfo.totalQuantity']);
    expect(seen).toHaveLength(1);
  });

  it('extendInfo as an object: sent as the JSON string, serialized once and signed exactly as sent', async () => {
    const seen = gateway([ok]);
    const info = { chinaExtraTransInfo: { businessType: '4', goodsInfo: 'pencil^2', totalQuantity: '2' }, note: 'ü' };
    const req = { ...payRequest(), order: { ...payRequest().order, extendInfo: info } };
    await testClient().client.pay(req);
    const sent = JSON.parse(seen[0]!.body) as { order: { extendInfo: unknown } };
    expect(sent.order.extendInfo).toBe(JSON.stringify(info));
    expect(seen[0]!.body).toBe(JSON.stringify({ ...req, order: { ...req.order, extendInfo: JSON.stringify(info) } }));
    // The caller's object is left as it was.
    expect(req.order.extendInfo).toBe(info);
    const { headers } = seen[0]!;
    expect(
      verifySignature({
        path: PATH,
        clientId: CLIENT,
        time: headers['request-time']!,
        body: seen[0]!.body,
        signature: headers['signature']!,
        publicKey: merchant.publicSpkiPem,
      }),
    ).toBe(true);
  });

  it('contractSettlementCurrency on the client: a request settling elsewhere is refused before anything is sent', async () => {
    const seen = gateway([ok]);
    const { client } = testClient({ contractSettlementCurrency: 'EUR' });
    const err = await client.pay(payRequest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsValidationError);
    const issue = (err as AmsValidationError).issues.find((i) => i.code === 'SETTLEMENT_NOT_CONTRACT');
    expect(issue).toMatchObject({
      field: 'settlementStrategy.settlementCurrency',
      message: expect.stringContaining('EUR'),
      source: expect.stringContaining('contract'),
    });
    expect(seen).toHaveLength(0);
    expect(() => testClient({ contractSettlementCurrency: 'usd' })).toThrow(/contractSettlementCurrency/);
    expect(() => testClient({ integration: 'isv' as never })).toThrow(/integration/);
  });

  it('an order currency other than the payment currency is no longer refused (no source states that rule)', async () => {
    const seen = gateway([ok]);
    const req = payRequest();
    await testClient().client.pay({ ...req, order: { ...req.order, orderAmount: { currency: 'EUR', value: '100' } } });
    expect(seen).toHaveLength(1);
  });
});

describe('pay: an unsigned failure that reflects our secrets', () => {
  const TOKEN = 'agent-tok-REFLECTED-77';
  it('an unsigned F or U echoing the Agent-Token and signature: cut from the message, raw, inspect() and every log line', async () => {
    let n = 0;
    const seen = gateway([
      ({ headers }) => {
        n++;
        const echo = `${headers['agent-token']} ${decodeURIComponent(headers['signature']!.split('signature=')[1]!)}`;
        const result =
          n === 1
            ? { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION', resultMessage: `retry later ${echo}` }
            : { resultStatus: 'F', resultCode: 'PARAM_ILLEGAL', resultMessage: `bad ${echo}` };
        return new HttpResponse(JSON.stringify({ result, echoed: echo }), { status: 400, headers: { 'content-type': 'application/json' } });
      },
    ]);
    const { client, rec } = testClient({ agentToken: TOKEN });
    const err = await client.pay(payRequest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsApiError);
    expect(err).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringContaining('<redacted') });
    const signatures = seen.map((s) => decodeURIComponent(s.headers['signature']!.split('signature=')[1]!));
    const everything = `${(err as Error).message} ${inspect(err, { depth: 5 })} ${JSON.stringify((err as AmsApiError).raw)} ${JSON.stringify(rec.logs)}`;
    expect(everything).not.toContain(TOKEN);
    for (const sig of signatures) expect(everything).not.toContain(sig);
    expect(rec.logs.some((l) => l.message === 'ams: retrying')).toBe(true);
  });
});

describe('pay: extendInfo objects JSON cannot write faithfully', () => {
  const withInfo = (extendInfo: unknown) => ({ ...payRequest(), order: { ...payRequest().order, extendInfo } }) as never;
  it('a BigInt or a cycle: AmsValidationError on order.extendInfo, never a TypeError; nothing sent', async () => {
    const seen = gateway([ok]);
    const { client } = testClient();
    const cyclic: Record<string, unknown> = { chinaExtraTransInfo: { businessType: '5', otherBusinessType: 'x' } };
    cyclic.self = cyclic;
    for (const info of [{ chinaExtraTransInfo: { businessType: '5', otherBusinessType: 'x' }, n: 1n }, cyclic]) {
      const err = await client.pay(withInfo(info)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AmsValidationError);
      expect((err as AmsValidationError).fields).toEqual(['order.extendInfo']);
    }
    expect(seen).toHaveLength(0);
  });
  it('an object whose toJSON writes something else is checked as what it writes', async () => {
    const seen = gateway([ok]);
    const sneaky = { chinaExtraTransInfo: { businessType: '5', otherBusinessType: 'x' }, toJSON: () => ({}) };
    const err = await testClient()
      .client.pay(withInfo(sneaky))
      .catch((e: unknown) => e);
    expect((err as AmsValidationError).fields).toEqual(['order.extendInfo.chinaExtraTransInfo']);
    expect(seen).toHaveLength(0);
  });
});
