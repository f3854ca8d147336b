// The doctor's reading of answers no loopback gateway produces on its own: DNS and proxy failures through a
// transport, unsigned and altered answers, and the verdict module's purity.
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DoctorInput } from '../../src/doctor/report';
import { doctorVerdict } from '../../src/doctor/verdict';
import {
  AmsApiError,
  AmsClient,
  AmsConnectionError,
  AmsSignatureError,
  TransportFailure,
  loadPublicKey,
  signRequest,
  type DoctorReport,
  type HttpResponse,
  type Transport,
} from '../../src/index';
import { formatRequestTime } from '../../src/signing/index';
import { alipay, merchant } from '../helpers/keys';

const failing = (r: DoctorReport) => r.checks.filter((c) => !c.ok).map((c) => c.name);
const byName = (r: DoctorReport, name: string) => r.checks.find((c) => c.name === name)!;

function clientWith(transport: Transport, region: 'NA' | 'SEA' | 'EU' = 'NA'): AmsClient {
  return new AmsClient({
    clientId: 'SANDBOX_UNIT',
    privateKey: merchant.privatePkcs8Pem,
    alipayPublicKey: alipay.publicBase64,
    region,
    transport,
  });
}

function socketError(code: string): TransportFailure {
  const cause = Object.assign(new Error(`${code} (getaddrinfo open-na.alipay.com)`), { code });
  return new TransportFailure('connection', `connection failed (${code})`, { cause });
}

describe('network verdicts through a transport', () => {
  it('DNS: a host that does not resolve', async () => {
    const sent: string[] = [];
    const r = await clientWith(async (req) => {
      sent.push(req.url);
      throw socketError('ENOTFOUND');
    }).doctor();
    expect(sent).toEqual(['https://open-na.alipay.com/ams/sandbox/api/v1/payments/inquiryPayment']);
    expect(byName(r, 'network')).toMatchObject({
      ok: false,
      message: 'DNS: open-na.alipay.com could not be resolved (ENOTFOUND)',
      fix: expect.stringMatching(/getent hosts open-na\.alipay\.com/),
    });
  });

  it.each([
    ['NA', 'open-na.alipay.com'],
    ['SEA', 'open-sea.alipay.com'],
    ['EU', 'open-de-global.alipay.com'],
  ] as const)('DNS names the region of the gateway it could not resolve: %s', async (region, host) => {
    const r = await clientWith(async () => {
      throw socketError('ENOTFOUND');
    }, region).doctor();
    expect(byName(r, 'network')).toMatchObject({
      message: `DNS: ${host} could not be resolved (ENOTFOUND)`,
      fix: expect.stringContaining(`(region ${region})`),
    });
  });

  it('a timeout names the firewall', async () => {
    const r = await clientWith(async () => {
      throw new TransportFailure('timeout', 'request timed out');
    }).doctor();
    expect(byName(r, 'network').message).toMatch(/^no answer from open-na\.alipay\.com within the timeout/);
  });

  it('an HTML error page is not an AMS answer', async () => {
    const r = await clientWith(async () => ({
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html>Bad Gateway</html>',
    })).doctor();
    expect(byName(r, 'network')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/answered HTTP 502 \(text\/html\) with something that is not an AMS answer/),
      fix: expect.stringContaining('https://open-de-global.alipay.com (EU)'),
    });
  });

  it("sends the one inquiry with a fresh paymentRequestId that looks like no merchant's", async () => {
    const bodies: string[] = [];
    const transport: Transport = async (req) => {
      bodies.push(req.body);
      throw socketError('ECONNREFUSED');
    };
    await clientWith(transport).doctor();
    await clientWith(transport).doctor();
    const ids = bodies.map((b) => (JSON.parse(b) as { paymentRequestId: string }).paymentRequestId);
    expect(ids[0]).toMatch(/^ams-doctor-\d{14}-[0-9a-f-]{36}$/);
    expect(ids[0]!.length).toBeLessThanOrEqual(64);
    expect(ids[0]).not.toBe(ids[1]);
    expect(Object.keys(JSON.parse(bodies[0]!))).toEqual(['paymentRequestId']);
  });
});

describe('doctorVerdict (pure)', () => {
  it.each(['verdict', 'no-answer', 'report'])('%s.ts imports nothing that does I/O', (file) => {
    const src = readFileSync(new URL(`../../src/doctor/${file}.ts`, import.meta.url), 'utf8');
    const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((s) => /fs|child_process|net|http'|process|\.\/io|proxy|probe/.test(s!))).toEqual([]);
  });

  const path = '/ams/sandbox/api/v1/payments/inquiryPayment';
  const privateKey = createPrivateKey(merchant.privatePkcs8Pem);
  const at = new Date('2026-11-22T00:00:00.000Z');
  const notExist = JSON.stringify({ result: { resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST', resultMessage: 'no such payment' } });
  function input(response: HttpResponse, error: Error, alipayKey = alipay.publicBase64): DoctorInput {
    return {
      clientId: 'SANDBOX_UNIT',
      sandbox: true,
      url: `https://open-na.alipay.com${path}`,
      path,
      keyVersion: '1',
      agentToken: false,
      privateKey,
      alipayPublicKey: loadPublicKey(alipayKey),
      proxy: undefined,
      response,
      outcome: { error },
      sentAt: at,
      receivedAt: at,
    };
  }
  const apiError = new AmsApiError({
    resultCode: 'ORDER_NOT_EXIST',
    resultStatus: 'F',
    resultMessage: 'no such payment',
    httpStatus: 200,
    api: 'inquiryPayment',
  });
  const mismatch = new AmsSignatureError('inquiryPayment: the response signature does not verify', {
    reason: 'mismatch',
    check: 'signature',
  });
  function signed(body: string, key: string): HttpResponse {
    const time = formatRequestTime(at);
    return {
      status: 200,
      body,
      headers: {
        'content-type': 'application/json',
        'client-id': 'SANDBOX_UNIT',
        'response-time': time,
        signature: signRequest({ path, clientId: 'SANDBOX_UNIT', requestTime: time, body, privateKey: key }),
      },
    };
  }

  it('an unsigned ORDER_NOT_EXIST proves nothing: anything on the path could have written it', () => {
    const r = doctorVerdict(input({ status: 200, headers: { 'content-type': 'application/json' }, body: notExist }, apiError));
    expect(failing(r)).toEqual(['alipay-public-key']);
    expect(r.ok).toBe(false);
    expect(r.checks.some((c) => ['request-signature', 'client-id', 'access'].includes(c.name))).toBe(false);
    expect(byName(r, 'alipay-public-key').message).toMatch(/came unsigned/);
    expect(r.checks.some((c) => c.name === 'clock')).toBe(false);
  });

  it("your own public key as Alipay's is named as such", () => {
    const r = doctorVerdict(input(signed(notExist, alipay.privatePem), mismatch, merchant.publicSpkiPem));
    expect(byName(r, 'alipay-public-key').message).toMatch(/^the Alipay public key configured is your own public key/);
  });

  it('an answer signed with the merchant key is named as such', () => {
    const r = doctorVerdict(input(signed(notExist, merchant.privatePkcs8Pem), mismatch));
    expect(byName(r, 'alipay-public-key').message).toMatch(/signed with YOUR private key/);
  });

  it('an answer altered on the way (a proxy re-serialized the body): the key is right, the bytes changed', () => {
    const res = signed(notExist, alipay.privatePem);
    const r = doctorVerdict(input({ ...res, body: JSON.stringify(JSON.parse(notExist), null, 2) }, mismatch));
    expect(byName(r, 'alipay-public-key').message).toMatch(
      /^the Alipay public key is right, but the answer was changed on its way to you: It verifies with the body as compact JSON/,
    );
    expect(byName(r, 'alipay-public-key').fix).toMatch(/byte for byte/);
  });

  it('an answer for another client id', () => {
    const err = new AmsSignatureError('inquiryPayment: the response is for client-id "X", not "SANDBOX_UNIT"', {
      reason: 'mismatch',
      check: 'client-id',
    });
    const r = doctorVerdict(input(signed(notExist, alipay.privatePem), err));
    expect(byName(r, 'alipay-public-key')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/is for client-id "X"/),
      fix: expect.stringMatching(/another client id/),
    });
  });

  it('names the proxy the environment routes through when the connection fails', () => {
    const cause = new TransportFailure('connection', 'connection failed (ECONNREFUSED)', {
      cause: Object.assign(new Error('ECONNREFUSED (connect 10.0.0.1:3128)'), { code: 'ECONNREFUSED' }),
    });
    const r = doctorVerdict({
      ...input({ status: 0, headers: {}, body: '' }, apiError),
      response: undefined,
      proxy: 'http://proxy.corp:3128',
      outcome: { error: new AmsConnectionError('inquiryPayment: connection failed (ECONNREFUSED) after 1 attempt(s)', { cause }) },
    });
    expect(failing(r)).toEqual(['network']);
    expect(byName(r, 'network')).toMatchObject({
      message: 'connect: the proxy http://proxy.corp:3128 refused the connection (ECONNREFUSED): nothing listens on that port',
      fix: expect.stringMatching(
        /^Check the proxy http:\/\/proxy\.corp:3128 is up and lets CONNECT to open-na\.alipay\.com through, or add open-na\.alipay\.com to NO_PROXY\.$/,
      ),
    });
  });
});
