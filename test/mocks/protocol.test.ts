// The gateway's side of the protocol, checked on raw requests: authentication, validation, signed answers, idempotency.
import { describe, expect, it } from 'vitest';
import { AmsApiError, signRequest, verifySignature } from '../../src/index';
import { createGatewayCore, MAGIC_AMOUNTS, startAmsGateway, type GatewayCore } from '../../mocks/index';
import { alipay, merchant, other, publicOf } from '../helpers/keys';
import { CLIENT_ID, payRequest } from './targets';

const ORIGIN = 'https://open-na.alipay.com';
const SANDBOX_PAY = '/ams/sandbox/api/v1/payments/pay';

function core(extra = {}): GatewayCore {
  return createGatewayCore({
    merchants: {
      [CLIENT_ID]: merchant.publicSpkiPem,
      LIVE_MERCHANT_1: { merchantPublicKey: merchant.publicSpkiPem, contractSettlementCurrency: 'EUR' },
    },
    alipayPrivateKey: alipay.privatePem,
    ...extra,
  });
}

/** Sends a raw signed request through the core, as a client on the wire would. */
async function send(
  g: GatewayCore,
  path: string,
  body: unknown,
  o: { clientId?: string; key?: string; headers?: Record<string, string | undefined> } = {},
) {
  const clientId = o.clientId ?? CLIENT_ID;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const requestTime = '2026-11-22T08:00:00+08:00';
  const signature = signRequest({ path, clientId, requestTime, body: text, privateKey: o.key ?? merchant.privatePkcs8Pem });
  const reply = await g.handle({
    method: 'POST',
    url: ORIGIN + path,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': clientId,
      'request-time': requestTime,
      signature,
      ...o.headers,
    },
    body: text,
  });
  return {
    reply,
    json: JSON.parse(reply.body) as { result: { resultStatus: string; resultCode: string; resultMessage: string } } & Record<
      string,
      unknown
    >,
  };
}

describe('authentication', () => {
  it('signs every answer over POST <path>\\n<client-id>.<response-time>.<body> with its key', async () => {
    const g = core();
    const { reply, json } = await send(g, SANDBOX_PAY, payRequest('p-1'));
    expect(json.result).toEqual({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS', resultMessage: 'payment in process' });
    expect(reply.headers['client-id']).toBe(CLIENT_ID);
    expect(reply.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(
      verifySignature({
        path: SANDBOX_PAY,
        clientId: CLIENT_ID,
        time: reply.headers['response-time']!,
        body: reply.body,
        signature: reply.headers['signature']!,
        publicKey: publicOf(alipay.privatePem),
      }),
    ).toBe(true);
    g.close();
  });

  it('a signature by another key: F INVALID_SIGNATURE, unsigned', async () => {
    const g = core();
    const { reply, json } = await send(g, SANDBOX_PAY, payRequest('p-2'), { key: other.privatePem });
    expect(json.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
    expect(reply.headers['signature']).toBeUndefined();
    expect(g.payments).toHaveLength(0);
  });

  it('missing or malformed headers: INVALID_SIGNATURE / INVALID_CLIENT, unsigned', async () => {
    const g = core();
    for (const [headers, code, text] of [
      [{ signature: undefined }, 'INVALID_SIGNATURE', /Signature header is missing/],
      [{ 'request-time': undefined }, 'INVALID_SIGNATURE', /Request-Time header is missing/],
      [{ signature: 'algorithm=RSA256,signature=not base64!' }, 'INVALID_SIGNATURE', /Malformed/],
      [{ 'request-time': '2026-11-22T08:00:01+08:00' }, 'INVALID_SIGNATURE', /does not verify/],
      [{ 'client-id': undefined }, 'INVALID_CLIENT', /Client-Id header is missing/],
    ] as const) {
      const { reply, json } = await send(g, SANDBOX_PAY, payRequest('p-3'), { headers: { ...headers } });
      expect(json.result.resultCode).toBe(code);
      expect(json.result.resultMessage).toMatch(text);
      expect(reply.headers['signature']).toBeUndefined();
    }
  });

  it('an unknown client id: INVALID_CLIENT', async () => {
    const { json } = await send(core(), SANDBOX_PAY, payRequest('p-4'), { clientId: 'SANDBOX_NOBODY' });
    expect(json.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CLIENT' });
  });

  it('a sandbox client on the production path, or a production client on the sandbox path: ACCESS_DENIED, explained', async () => {
    const g = core();
    const a = await send(g, '/ams/api/v1/payments/pay', payRequest('p-5'));
    expect(a.json.result).toMatchObject({ resultStatus: 'F', resultCode: 'ACCESS_DENIED' });
    expect(a.json.result.resultMessage).toMatch(/sandbox client: call \/ams\/sandbox\/api\/v1\/payments\/pay/);
    const b = await send(g, SANDBOX_PAY, payRequest('p-6'), { clientId: 'LIVE_MERCHANT_1' });
    expect(b.json.result.resultMessage).toMatch(/production client: call \/ams\/api\/v1\/payments\/pay/);
  });
});

describe('validation', () => {
  it('PARAM_ILLEGAL names the field', async () => {
    const g = core();
    const bad = payRequest('p-7');
    (bad.paymentAmount as { value: string }).value = '19.99';
    const { json, reply } = await send(g, SANDBOX_PAY, bad);
    expect(json.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(json.result.resultMessage).toContain('paymentAmount.value');
    expect(reply.headers['signature']).toBeDefined();
    const { json: j2 } = await send(g, SANDBOX_PAY, '{not json');
    expect(j2.result.resultCode).toBe('PARAM_ILLEGAL');
  });

  it('CURRENCY_NOT_SUPPORT for the ALIPAY_CN rules and for a settlement currency outside the contract', async () => {
    const g = core();
    const cny = await send(g, SANDBOX_PAY, payRequest('p-8', '100', { settlementStrategy: { settlementCurrency: 'CNY' } }));
    expect(cny.json.result.resultCode).toBe('CURRENCY_NOT_SUPPORT');
    expect(cny.json.result.resultMessage).toMatch(/CNY/);
    const live = await send(g, '/ams/api/v1/payments/pay', payRequest('p-9'), { clientId: 'LIVE_MERCHANT_1' });
    expect(live.json.result.resultCode).toBe('CURRENCY_NOT_SUPPORT');
    expect(live.json.result.resultMessage).toMatch(/EUR/);
    const eur = payRequest('p-10', '100', { settlementStrategy: { settlementCurrency: 'EUR' } });
    eur.paymentAmount.currency = 'EUR';
    eur.order.orderAmount.currency = 'EUR';
    expect((await send(g, '/ams/api/v1/payments/pay', eur, { clientId: 'LIVE_MERCHANT_1' })).json.result.resultCode).toBe(
      'PAYMENT_IN_PROCESS',
    );
  });

  it('an API the gateway does not implement: INVALID_API', async () => {
    const { json } = await send(core(), '/ams/sandbox/api/v1/vaults/vaultPaymentMethod', {});
    expect(json.result.resultCode).toBe('INVALID_API');
  });
});

describe('pay', () => {
  it('answers like the real sandbox: redirectActionForm (GET, JSON parameters) and normalUrl to its cashier', async () => {
    const g = core();
    const { json } = await send(g, SANDBOX_PAY, payRequest('p-11'));
    const form = json.redirectActionForm as { method: string; parameters: string; redirectUrl: string };
    expect(form.method).toBe('GET');
    expect(form.redirectUrl).toBe(`${ORIGIN}/alipaycn/pc/cashier`);
    const params = JSON.parse(form.parameters) as Record<string, unknown>;
    expect(params).toMatchObject({
      paymentId: json.paymentId,
      amountValue: '1999',
      amountCurrency: 'USD',
      paymentMethodType: 'ALIPAY_CN',
      callback: 'http://127.0.0.1:9/return',
    });
    expect(json.normalUrl).toBe(`${form.redirectUrl}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
  });

  it('is idempotent by paymentRequestId; a different amount is REPEAT_REQ_INCONSISTENT', async () => {
    const g = core();
    const a = await send(g, SANDBOX_PAY, payRequest('p-12'));
    const b = await send(g, SANDBOX_PAY, payRequest('p-12', '1999', { paymentRedirectUrl: 'http://127.0.0.1:9/other' }));
    expect(b.json.paymentId).toBe(a.json.paymentId);
    const c = await send(g, SANDBOX_PAY, payRequest('p-12', '2000'));
    expect(c.json.result).toMatchObject({ resultStatus: 'F', resultCode: 'REPEAT_REQ_INCONSISTENT' });
    expect(g.payments).toHaveLength(1);
  });
});

describe('magic amounts', () => {
  it('…4051: F RISK_REJECT, and the inquiry finds it FAIL', async () => {
    const gw = await startAmsGateway({
      clientId: CLIENT_ID,
      merchantPublicKey: merchant.publicSpkiPem,
      alipayPrivateKey: alipay.privatePem,
    });
    const { AmsClient } = await import('../../src/index');
    const client = new AmsClient({
      clientId: CLIENT_ID,
      privateKey: merchant.privatePkcs8Pem,
      alipayPublicKey: gw.alipayPublicKey,
      baseUrl: gw.url,
    });
    try {
      const err = await client.pay(payRequest('m-1', MAGIC_AMOUNTS.RISK_REJECT)).catch((e: unknown) => e);
      expect((err as AmsApiError).resultCode).toBe('RISK_REJECT');
      expect((await client.inquiryPayment({ paymentRequestId: 'm-1' })).paymentStatus).toBe('FAIL');

      // …4054 settles by itself at the third inquiry.
      await client.pay(payRequest('m-4', `1${MAGIC_AMOUNTS.SETTLES_ON_THIRD_INQUIRY}`));
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await client.inquiryPayment({ paymentRequestId: 'm-4' })).paymentStatus);
      expect(statuses).toEqual(['PROCESSING', 'PROCESSING', 'SUCCESS']);

      // …4055: created, but pay answers U every time; the inquiry finds it.
      const unknown = await client.pay(payRequest('m-5', MAGIC_AMOUNTS.UNKNOWN_RESULT), { maxRetries: 1 }).catch((e: unknown) => e);
      expect((unknown as Error).name).toBe('AmsUnknownResultError');
      expect((await client.inquiryPayment({ paymentRequestId: 'm-5' })).paymentStatus).toBe('PROCESSING');
      expect(gw.payments.filter((p) => p.paymentRequestId === 'm-5')).toHaveLength(1);

      // …4053 never settles: the cashier's pay button leaves it PROCESSING; a cancel ends it.
      const never = await client.pay(payRequest('m-3', MAGIC_AMOUNTS.NEVER_SETTLES));
      const page = await fetch(`${gw.url}/alipaycn/pc/cashier/pay`, {
        method: 'POST',
        body: new URLSearchParams({ paymentId: never.paymentId }),
        redirect: 'manual',
      });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('never settles');
      expect((await client.inquiryPayment({ paymentId: never.paymentId })).paymentStatus).toBe('PROCESSING');
      await client.cancel({ paymentId: never.paymentId });
      expect((await client.inquiryPayment({ paymentId: never.paymentId })).paymentStatus).toBe('CANCELLED');

      // …4052 fails at the cashier.
      const fails = await client.pay(payRequest('m-2', MAGIC_AMOUNTS.FAIL_AT_CASHIER));
      const r = await fetch(`${gw.url}/alipaycn/pc/cashier/pay`, {
        method: 'POST',
        body: new URLSearchParams({ paymentId: fails.paymentId }),
        redirect: 'manual',
      });
      expect(r.status).toBe(303);
      const inquiry = await client.inquiryPayment({ paymentId: fails.paymentId });
      expect(inquiry).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_BALANCE_NOT_ENOUGH' });
    } finally {
      await gw.close();
    }
  });
});

describe('the HTTP gateway and large bodies', () => {
  it('answers 413 (readable by the client, not a reset) to a body over maxBodyBytes', async () => {
    const gw = await startAmsGateway({ clientId: CLIENT_ID, merchantPublicKey: merchant.publicSpkiPem, maxBodyBytes: 1024 });
    try {
      const res = await fetch(`${gw.url}${SANDBOX_PAY}`, {
        method: 'POST',
        body: 'x'.repeat(200_000),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(413);
      expect(await res.text()).toMatch(/too large/);
    } finally {
      await gw.close();
    }
  });
});

describe('pay: the cashier guide, as the gateway enforces it', () => {
  const direct = (extra: Record<string, unknown> = {}) => {
    const r = payRequest(`g-${Math.random().toString(36).slice(2, 10)}`, '100', extra) as Record<string, unknown> & {
      order: Record<string, unknown>;
    };
    delete r.order.extendInfo;
    return r;
  };
  it('a direct merchant without chinaExtraTransInfo: F PARAM_ILLEGAL naming the field; an acquirer may omit it', async () => {
    const g = core();
    const { json } = await send(g, SANDBOX_PAY, direct());
    expect(json.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(json.result.resultMessage).toContain('order.extendInfo.chinaExtraTransInfo');
    const acquirer = core({ merchants: { [CLIENT_ID]: { merchantPublicKey: merchant.publicSpkiPem, integration: 'acquirer' } } });
    expect((await send(acquirer, SANDBOX_PAY, direct())).json.result.resultCode).toBe('PAYMENT_IN_PROCESS');
  });
  it('extendInfo as an object on the wire is refused (AMS takes the string)', async () => {
    const { json } = await send(core(), SANDBOX_PAY, payRequest('g-obj', '100', {}));
    expect(json.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const obj = payRequest('g-obj2', '100') as { order: Record<string, unknown> };
    obj.order.extendInfo = { chinaExtraTransInfo: { businessType: '5', otherBusinessType: 'x' } };
    expect((await send(core(), SANDBOX_PAY, obj)).json.result.resultCode).toBe('PARAM_ILLEGAL');
  });
});

describe('the cashier honours paymentExpiryTime', () => {
  it('a payment past its expiry can no longer be paid at the cashier; it stays PROCESSING for the merchant to cancel', async () => {
    let now = Date.parse('2026-11-22T08:00:00Z');
    const clock = { now: () => new Date(now) };
    const gw = await startAmsGateway({
      clientId: CLIENT_ID,
      merchantPublicKey: merchant.publicSpkiPem,
      alipayPrivateKey: alipay.privatePem,
      clock,
    });
    try {
      const { AmsClient } = await import('../../src/index');
      const client = new AmsClient({
        clientId: CLIENT_ID,
        privateKey: merchant.privatePkcs8Pem,
        alipayPublicKey: gw.alipayPublicKey,
        baseUrl: gw.url,
        clock,
      });
      const res = await client.pay(payRequest('exp-1', '100', { paymentExpiryTime: '2026-11-22T08:05:00+00:00' }));
      expect(JSON.parse(res.redirectActionForm!.parameters!)).toMatchObject({ paymentExpireTime: Date.parse('2026-11-22T08:05:00Z') });
      now += 6 * 60_000;
      const page = await fetch(`${gw.url}/alipaycn/pc/cashier/pay`, {
        method: 'POST',
        body: new URLSearchParams({ paymentId: res.paymentId }),
        redirect: 'manual',
      });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('has expired');
      expect((await client.inquiryPayment({ paymentId: res.paymentId })).paymentStatus).toBe('PROCESSING');
      // Without paymentExpiryTime, Antom's default of 14 minutes.
      const plain = await client.pay(payRequest('exp-2', '100'));
      expect(JSON.parse(plain.redirectActionForm!.parameters!).paymentExpireTime).toBe(now + 14 * 60_000);
    } finally {
      await gw.close();
    }
  });
});
