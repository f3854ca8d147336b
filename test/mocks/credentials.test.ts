// The gateway's credential refusals on raw requests: which code, signed or not, and that the default rules stay.
import { describe, expect, it } from 'vitest';
import { signRequest, verifySignature } from '../../src/index';
import { createGatewayCore, type GatewayCore } from '../../mocks/index';
import { alipay, merchant, publicOf } from '../helpers/keys';

const ORIGIN = 'https://open-na.alipay.com';
const SANDBOX = '/ams/sandbox/api/v1/payments/inquiryPayment';
const LIVE = '/ams/api/v1/payments/inquiryPayment';

function core(): GatewayCore {
  return createGatewayCore({
    alipayPrivateKey: alipay.privatePem,
    merchants: {
      SANDBOX_V2: merchant.publicSpkiPem,
      SANDBOX_NOKEY: merchant.publicSpkiPem,
      SANDBOX_LIVE: merchant.publicSpkiPem,
      LIVE_SANDBOX: merchant.publicSpkiPem,
      SANDBOX_OFF: merchant.publicSpkiPem,
    },
    credentials: {
      SANDBOX_V2: { keyVersions: ['2'] },
      SANDBOX_NOKEY: { keyVersions: [] },
      SANDBOX_LIVE: { registeredIn: 'live' },
      LIVE_SANDBOX: { registeredIn: 'sandbox' },
      SANDBOX_OFF: { productActivated: false },
    },
  });
}

async function inquire(g: GatewayCore, clientId: string, path: string, keyVersion: string | null = '1') {
  const body = JSON.stringify({ paymentRequestId: 'none' });
  const requestTime = '2026-11-22T08:00:00+08:00';
  const signature = signRequest({ path, clientId, requestTime, body, privateKey: merchant.privatePkcs8Pem, keyVersion });
  const reply = await g.handle({
    method: 'POST',
    url: ORIGIN + path,
    headers: { 'client-id': clientId, 'request-time': requestTime, signature },
    body,
  });
  const json = JSON.parse(reply.body) as { result: { resultStatus: string; resultCode: string } };
  const signed =
    reply.headers['signature'] !== undefined &&
    verifySignature({
      path,
      clientId,
      time: reply.headers['response-time']!,
      body: reply.body,
      signature: reply.headers['signature'],
      publicKey: publicOf(alipay.privatePem),
    });
  return { code: json.result.resultCode, status: json.result.resultStatus, signed, unsigned: reply.headers['signature'] === undefined };
}

describe('gateway credentials', () => {
  it('KEY_NOT_FOUND, unsigned, for a keyVersion that was not uploaded; the uploaded one and "latest" pass', async () => {
    const g = core();
    expect(await inquire(g, 'SANDBOX_V2', SANDBOX, '1')).toMatchObject({ code: 'KEY_NOT_FOUND', status: 'F', unsigned: true });
    expect(await inquire(g, 'SANDBOX_V2', SANDBOX, '2')).toMatchObject({ code: 'ORDER_NOT_EXIST', signed: true });
    expect(await inquire(g, 'SANDBOX_V2', SANDBOX, null)).toMatchObject({ code: 'ORDER_NOT_EXIST', signed: true });
    expect(await inquire(g, 'SANDBOX_NOKEY', SANDBOX, null)).toMatchObject({ code: 'KEY_NOT_FOUND', unsigned: true });
  });

  it('INVALID_API, unsigned, for a client id registered in the other environment, both ways', async () => {
    const g = core();
    expect(await inquire(g, 'SANDBOX_LIVE', SANDBOX)).toMatchObject({ code: 'INVALID_API', status: 'F', unsigned: true });
    expect(await inquire(g, 'SANDBOX_LIVE', LIVE)).toMatchObject({ code: 'ORDER_NOT_EXIST', signed: true });
    expect(await inquire(g, 'LIVE_SANDBOX', LIVE)).toMatchObject({ code: 'INVALID_API', unsigned: true });
  });

  it('ACCESS_DENIED, signed, after authentication, for a product not activated', async () => {
    const g = core();
    expect(await inquire(g, 'SANDBOX_OFF', SANDBOX)).toMatchObject({ code: 'ACCESS_DENIED', status: 'F', signed: true });
    expect(g.events.filter((e) => e.type === 'request.verified')).toHaveLength(1);
  });

  it('without settings, the default prefix rule stays: a sandbox id on the live path is a signed ACCESS_DENIED', async () => {
    const g = createGatewayCore({ alipayPrivateKey: alipay.privatePem, merchants: { SANDBOX_PLAIN: merchant.publicSpkiPem } });
    expect(await inquire(g, 'SANDBOX_PLAIN', LIVE)).toMatchObject({ code: 'ACCESS_DENIED', signed: true });
  });
});
