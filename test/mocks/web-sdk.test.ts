// What the gateway gives Antom's web SDK, over real HTTP: sessions in the SDK's four-segment format, the /mgw.htm RPC
// with its CORS, the Checkout Page and its actions, the component pages, and retrievePaymentSession.
import { afterAll, describe, expect, it } from 'vitest';
import { startAmsGateway, type AmsGateway, type GatewayOptions } from '../../mocks/index';
import { testClient } from '../helpers/client';
import { alipay, merchant } from '../helpers/keys';

const CLIENT = 'SANDBOX_5Y055A2Y2F6K05235';
const QUERY = 'com.ipay.iexpcashier.sdkAction.query';
const SUBMIT = 'com.ipay.iexpcashier.cashier.submitPayByPaymentSession';
const SHOP = 'http://127.0.0.1:4100';

const gateways: AmsGateway[] = [];
afterAll(async () => void (await Promise.all(gateways.map((g) => g.close()))));

async function gateway(options: GatewayOptions = {}) {
  const gw = await startAmsGateway({
    clientId: CLIENT,
    merchantPublicKey: merchant.publicSpkiPem,
    alipayPrivateKey: alipay.privatePem,
    ...options,
  });
  gateways.push(gw);
  const { client } = testClient({
    region: undefined,
    baseUrl: gw.url,
    alipayPublicKey: gw.alipayPublicKey,
    clock: { now: () => new Date(), sleep: async () => undefined },
  });
  let n = 0;
  const session = (overrides: Record<string, unknown> = {}) =>
    client.createPaymentSession({
      productCode: 'CASHIER_PAYMENT',
      productScene: 'ELEMENT_PAYMENT',
      paymentRequestId: `s-${++n}`,
      order: { referenceOrderId: `o-${n}`, orderDescription: 'A pencil', orderAmount: { currency: 'USD', value: '250' } },
      paymentAmount: { currency: 'USD', value: '250' },
      ...overrides,
    });
  const rpc = (operation: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}/mgw.htm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'operation-type': operation, origin: SHOP, ...headers },
      body: JSON.stringify(body),
    });
  return { gw, client, session, rpc };
}

function decode(sessionData: string) {
  const parts = sessionData.split('&&');
  return { parts, payload: JSON.parse(Buffer.from(parts[3]!, 'base64').toString('utf8')) as Record<string, unknown> };
}

describe("sessions in the web SDK's format", () => {
  it('four segments: an unguessable key, the region code of the gateway region, a number, base64 JSON of scene, category and clientId', async () => {
    const seen = new Set<string>();
    for (const [region, code] of [
      [undefined, 'SG'],
      ['SEA', 'SG'],
      ['NA', 'US'],
      ['EU', 'DE'],
    ] as const) {
      const { session } = await gateway(region ? { region } : {});
      for (const [scene, category] of [
        ['CHECKOUT_PAYMENT', 'ALL'],
        ['ELEMENT_PAYMENT', 'ALL'],
        ['CASHIER_PAYMENT', 'APM'],
      ] as const) {
        const { parts, payload } = decode((await session({ productScene: scene })).paymentSessionData);
        expect(parts).toHaveLength(4);
        expect(parts[0]).toMatch(/^[A-Za-z0-9+/]{64}$/);
        expect(seen.has(parts[0]!)).toBe(false);
        seen.add(parts[0]!);
        expect(parts[1]).toBe(code);
        expect(parts[2]).toMatch(/^\d+$/);
        expect(payload).toEqual({
          paymentSessionConfig: { productScene: scene, productSceneVersion: '1.0', paymentMethodCategoryType: category },
          clientId: CLIENT,
        });
      }
    }
    await expect(gateway({ region: 'MARS' as never })).rejects.toThrow(/region must be one of NA, SEA, EU/);
  });

  it('the same paymentRequestId and scene give the same session; another scene another one; no scene is the Checkout Page', async () => {
    const { session, gw } = await gateway();
    const same = {
      paymentRequestId: 'same',
      order: { referenceOrderId: 'o-same', orderDescription: 'A pencil', orderAmount: { currency: 'USD', value: '250' } },
    };
    const first = await session(same);
    expect((await session(same)).paymentSessionData).toBe(first.paymentSessionData);
    const other = await session({ ...same, productScene: 'CASHIER_PAYMENT' });
    expect(other.paymentSessionData).not.toBe(first.paymentSessionData);
    expect(other.paymentSessionId).not.toBe(first.paymentSessionId);
    expect(gw.payments.filter((p) => p.paymentRequestId === 'same')).toHaveLength(1);
    const bare = await session({ productScene: undefined });
    expect(decode(bare.paymentSessionData).payload).toMatchObject({ paymentSessionConfig: { productScene: 'CHECKOUT_PAYMENT' } });
    // The Checkout Page scene's normalUrl is the hosted page itself, carrying the session.
    expect(new URL(bare.normalUrl!).pathname).toBe('/checkout-page/pages/payment/index.html');
    expect(new URL(bare.normalUrl!).searchParams.get('sessionData')).toBe(bare.paymentSessionData);
    expect(new URL(first.normalUrl!).pathname).toBe('/alipaycn/pc/cashier');
  });

  it("retrievePaymentSession answers the session's order; without a session it is F PROCESS_FAIL; its faults are scriptable", async () => {
    const { session, client, gw } = await gateway();
    const order = {
      referenceOrderId: 'o-r',
      orderDescription: 'Ink',
      orderAmount: { currency: 'USD', value: '900' },
      buyer: { buyerId: 'b-1' },
    };
    await session({ paymentRequestId: 'r-1', order, paymentAmount: { currency: 'USD', value: '900' } });
    gw.script('retrievePaymentSession', ['U']);
    await expect(client.retrievePaymentSession({ paymentRequestId: 'r-1' })).resolves.toMatchObject({
      result: { resultStatus: 'S' },
      order,
    });
    expect(gw.core.pendingFaults('retrievePaymentSession')).toBe(0);
    await client.pay({
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: 'plain-pay',
      order: { referenceOrderId: 'o-p', orderDescription: 'Ink', orderAmount: { currency: 'USD', value: '900' } },
      paymentAmount: { currency: 'USD', value: '900' },
      paymentMethod: { paymentMethodType: 'CARD' },
      paymentRedirectUrl: 'https://merchant.example/r',
      env: { terminalType: 'WEB' },
    });
    for (const paymentRequestId of ['plain-pay', 'never-made'])
      await expect(client.retrievePaymentSession({ paymentRequestId })).rejects.toMatchObject({
        name: 'AmsApiError',
        resultCode: 'PROCESS_FAIL',
      });
  });
});

describe('/mgw.htm, the component SDKs’ RPC endpoint', () => {
  it('preflight and answer name the exact origin with credentials, never *; no origin, no CORS', async () => {
    const { gw, session, rpc } = await gateway();
    const pre = await fetch(`${gw.url}/mgw.htm`, {
      method: 'OPTIONS',
      headers: {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,operation-type,appid',
      },
    });
    expect(pre.status).toBe(204);
    expect(Object.fromEntries(pre.headers)).toMatchObject({
      'access-control-allow-origin': SHOP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'content-type,operation-type,appid',
      vary: 'Origin',
    });
    const { paymentSessionData } = await session();
    const res = await rpc(QUERY, [{ paymentSessionData }], { origin: 'https://other.example' });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://other.example');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('result-status')).toBe('1000');
    for (const origin of [undefined, 'null', 'https://shop.example/path']) {
      const plain = await fetch(`${gw.url}/mgw.htm`, {
        method: 'POST',
        headers: { 'operation-type': QUERY, ...(origin ? { origin } : {}) },
        body: JSON.stringify([{ paymentSessionData }]),
      });
      expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('the query answers what AMSElement needs, for the whole session or its first three segments; a changed or unknown one is refused', async () => {
    const { session, rpc } = await gateway();
    const { paymentSessionData } = await session();
    const whole = await (await rpc(QUERY, [{ paymentSessionData, paymentSessionConfig: {} }])).json();
    expect(whole).toMatchObject({
      success: true,
      paymentSessionConfig: { productScene: 'ELEMENT_PAYMENT', productSceneVersion: '1.0', paymentMethodCategoryType: 'ALL' },
      paymentMethods: [
        { paymentMethodType: 'ALIPAY_CN', category: 'WALLET' },
        { paymentMethodType: 'CARD', category: 'CARD' },
      ],
      orderAmountView: { currency: 'USD', formattedValue: '2.50' },
      paymentAmountView: { currency: 'USD', formattedValue: '2.50' },
      paymentAmount: { currency: 'USD', value: '250', formattedAmountWithCurrency: '2.50 USD' },
      paymentStatus: 'PROCESSING',
    });
    const three = paymentSessionData.split('&&').slice(0, 3).join('&&');
    expect(await (await rpc(QUERY, [{ paymentSessionData: three }])).json()).toEqual(whole);
    // An APM session offers no card.
    const apm = await session({ productScene: 'CASHIER_PAYMENT' });
    expect((await (await rpc(QUERY, [{ paymentSessionData: apm.paymentSessionData }])).json()).paymentMethods).toEqual([
      { paymentMethodType: 'ALIPAY_CN', paymentMethodName: 'Alipay', category: 'WALLET' },
    ]);

    const [key, region, n, json] = paymentSessionData.split('&&') as [string, string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(json, 'base64').toString()), clientId: 'SANDBOX_SOMEONE_ELSE' }),
    ).toString('base64');
    for (const wrong of [
      `${key}&&${region}&&${n}&&${forged}`,
      `${key}&&DE&&${n}`,
      `${key.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}&&${region}&&${n}`,
      key,
      '',
      42,
    ]) {
      expect(await (await rpc(QUERY, [{ paymentSessionData: wrong }])).json()).toEqual({
        success: false,
        errorCode: 'INQUIRY_PAYMENT_SESSION_FAILED',
        errorMessage: 'no such payment session',
      });
    }
    for (const body of [{ paymentSessionData }, [], [{ paymentSessionData }, {}], 'x'])
      expect(await (await rpc(QUERY, body)).json()).toMatchObject({ success: false, errorCode: 'PARAM_ILLEGAL' });
    expect(await (await rpc('com.ipay.iexpcashier.cashier.somethingElse', [{ paymentSessionData }])).json()).toMatchObject({
      success: false,
      errorCode: 'OPERATION_TYPE_NOT_SUPPORTED',
    });
  });

  it('submitPayByPaymentSession pays once (…4052 fails, as at the cashier); a second submit is REPEAT_REQ_REJECT', async () => {
    const { gw, session, rpc } = await gateway();
    const ok = await session();
    expect(await (await rpc(SUBMIT, [{ paymentSessionData: ok.paymentSessionData }])).json()).toMatchObject({
      success: true,
      paymentStatus: 'SUCCESS',
      paymentResultCode: 'SUCCESS',
    });
    expect(await (await rpc(SUBMIT, [{ paymentSessionData: ok.paymentSessionData }])).json()).toMatchObject({
      success: false,
      errorCode: 'REPEAT_REQ_REJECT',
    });
    const declined = await session({
      paymentAmount: { currency: 'USD', value: '4052' },
      order: { referenceOrderId: 'o-d', orderDescription: 'Declined', orderAmount: { currency: 'USD', value: '4052' } },
    });
    expect(await (await rpc(SUBMIT, [{ paymentSessionData: declined.paymentSessionData }])).json()).toMatchObject({
      success: true,
      paymentStatus: 'FAIL',
      paymentResultCode: 'USER_BALANCE_NOT_ENOUGH',
    });
    expect(gw.core.events.filter((e) => e.type === 'sdk.rpc').map((e) => e.message)).toEqual([SUBMIT, SUBMIT, SUBMIT]);
  });

  it('an expired session is refused by the RPC and the Checkout Page', async () => {
    let now = Date.now();
    const { session, rpc, gw } = await gateway({ clock: { now: () => new Date(now) } });
    const { paymentSessionData } = await session({ paymentSessionExpiryTime: new Date(now + 60_000).toISOString() });
    now += 120_000;
    expect(await (await rpc(QUERY, [{ paymentSessionData }])).json()).toEqual({
      success: false,
      errorCode: 'INQUIRY_PAYMENT_SESSION_FAILED',
      errorMessage: 'the payment session has expired',
    });
    const page = await fetch(
      `${gw.url}/checkout-page/pages/payment/index.html?${new URLSearchParams({ sessionData: paymentSessionData })}`,
    );
    expect(page.status).toBe(410);
  });
});

describe('the Checkout Page', () => {
  const pageUrl = (gw: AmsGateway, params: Record<string, string>) =>
    `${gw.url}/checkout-page/pages/payment/index.html?${new URLSearchParams(params).toString()}`;
  const act = (gw: AmsGateway, action: string, sessionData: unknown) =>
    fetch(`${gw.url}/checkout-page/pages/payment/${action}`, { method: 'POST', body: JSON.stringify({ sessionData }) });

  it('shows the payment with the SDK’s lang and sandbox shadow; an unknown session is 404 and, embedded, tells the parent', async () => {
    const { gw, session } = await gateway();
    const { paymentSessionData } = await session({ productScene: 'CHECKOUT_PAYMENT' });
    const html = await (await fetch(pageUrl(gw, { sessionData: paymentSessionData, lang: 'ja_JP', mode: 'embed', shadow: 'true' }))).text();
    expect(html).toContain('<html lang="ja-JP">');
    expect(html).toContain('id="badge">sandbox<');
    expect(html).toContain('<div class="amount" id="amount">2.50 USD</div>');
    expect(html).toContain('A pencil');
    const plain = await (await fetch(pageUrl(gw, { sessionData: paymentSessionData, lang: '"><script>' }))).text();
    expect(plain).toContain('<html lang="en">');
    expect(plain).not.toContain('id="badge"');
    const unknown = await fetch(pageUrl(gw, { sessionData: 'nope&&SG&&1', mode: 'embed' }));
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('"code":"SDK_PAYMENT_ERROR"');
    expect(gw.core.events.filter((e) => e.type === 'cashier.viewed')).toHaveLength(2);
  });

  it('pay and cancel answer the SDK_PAYMENT_* code for what became of the payment', async () => {
    const { gw, session } = await gateway();
    const paid = await session({ productScene: 'CHECKOUT_PAYMENT', paymentRedirectUrl: 'https://merchant.example/back' });
    expect(await (await act(gw, 'pay', paid.paymentSessionData)).json()).toEqual({
      code: 'SDK_PAYMENT_SUCCESSFUL',
      message: 'The payment succeeded.',
      result: { paymentRequestId: expect.any(String), paymentStatus: 'SUCCESS' },
      redirectUrl: 'https://merchant.example/back',
    });
    // A paid payment is not cancelled by the page's button.
    expect(await (await act(gw, 'cancel', paid.paymentSessionData)).json()).toMatchObject({ code: 'SDK_PAYMENT_SUCCESSFUL' });
    const cancelled = await session({ productScene: 'CHECKOUT_PAYMENT' });
    expect(await (await act(gw, 'cancel', cancelled.paymentSessionData)).json()).toMatchObject({
      code: 'SDK_PAYMENT_CANCEL',
      result: { paymentStatus: 'CANCELLED' },
    });
    const stuck = await session({
      productScene: 'CHECKOUT_PAYMENT',
      paymentAmount: { currency: 'USD', value: '4053' },
      order: { referenceOrderId: 'o-4053', orderDescription: 'Stuck', orderAmount: { currency: 'USD', value: '4053' } },
    });
    expect(await (await act(gw, 'pay', stuck.paymentSessionData)).json()).toMatchObject({
      code: 'SDK_PAYMENT_PROCESSING',
      message: expect.stringMatching(/never settles/),
    });
    expect((await act(gw, 'pay', 'nope&&SG&&1')).status).toBe(404);
    expect((await fetch(`${gw.url}/checkout-page/pages/payment/pay`, { method: 'POST', body: '{' })).status).toBe(400);
    expect((await fetch(`${gw.url}/checkout-page/pages/payment/pay`)).status).toBe(405);
  });
});

describe('the component payment pages', () => {
  it('are served at the paths the SDKs load, GET only; other paths under them are not', async () => {
    const { gw } = await gateway();
    for (const path of [
      '/elements/1.47.2/pages/element_payment/index.html',
      '/page/antom-web-checkout/src/component-app/CASHIER_PAYMENT_APM/1.0/index.1.47.2.html',
      '/page/antom-web-checkout/src/component-app/CASHIER_PAYMENT_CARD/1.0/index.1.47.2.html',
    ]) {
      const res = await fetch(`${gw.url}${path}?instanceId=i-1`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("name: 'APP_TO_SDK'");
      expect(html).toContain(SUBMIT);
      expect((await fetch(`${gw.url}${path}`, { method: 'POST' })).status).toBe(405);
    }
    for (const path of [
      '/elements/1.47.2/pages/express_checkout/index.html',
      '/page/antom-web-checkout/src/component-app/x/1.0/index.html',
    ])
      expect((await fetch(`${gw.url}${path}`)).status).toBe(404);
  });
});
