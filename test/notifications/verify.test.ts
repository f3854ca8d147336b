// verifyNotification: the raw bytes are what is verified, every header failure is typed, and the body comes back typed.
import { describe, expect, it } from 'vitest';
import { AmsConfigError, AmsSignatureError, AmsValidationError } from '../../src/errors';
import { parseRequestTime } from '../../src/rules/time';
import { verifyNotification, verifyNotificationAsync, type AmsNotification, type VerifyNotificationInput } from '../../src/index';
import { FIXED_NOW, testClient } from '../helpers/client';
import { thrown } from '../helpers/expect';
import { alipay, merchant, other } from '../helpers/keys';
import { alipayHeaders, CLIENT_ID, cnyBody, otherBody, PATH, refundBody, TIME, usdBody } from './helpers';

const base = { path: PATH, alipayPublicKey: alipay.publicBase64, clientId: CLIENT_ID };

function verify(input: Partial<VerifyNotificationInput> & Pick<VerifyNotificationInput, 'headers'>): AmsNotification {
  return verifyNotification({ ...base, rawBody: usdBody, ...input } as VerifyNotificationInput);
}

const failure = (fn: () => unknown): AmsSignatureError => thrown(AmsSignatureError, fn);

describe('verifyNotification: a genuine notification', () => {
  it('verifies the cashier guide USD body and returns it typed, every field as sent', () => {
    const n = verifyNotification({ ...base, clientId: CLIENT_ID, headers: alipayHeaders({ body: usdBody }), rawBody: usdBody });
    expect(n.kind).toBe('payment');
    if (n.kind !== 'payment') throw new Error('narrowing');
    expect(n.notifyType).toBe('PAYMENT_RESULT');
    expect(n.paymentId).toBe('812202715898044274806386466931604175JNxpyudMsn202005180001827071');
    expect(n.paymentRequestId).toBe('ams_alipaycn_cashier_pay_sandbox_request_003');
    expect(n.paymentAmount).toEqual({ currency: 'USD', value: '100' });
    expect(n.result).toEqual({ resultCode: 'SUCCESS', resultMessage: 'success.', resultStatus: 'S' });
    expect(n.paymentCreateTime).toBe('2020-05-18T20:20:27+08:00');
    expect(n.notifyUrl).toBe('http://af927046.ngrok.io');
    const { kind, outcome, ...rest } = n;
    expect(kind).toBe('payment');
    expect(outcome).toBe('paid');
    expect(rest).toEqual(JSON.parse(usdBody));
  });

  it('verifies the CNY-paid, USD-settled body', () => {
    const n = verify({ headers: alipayHeaders({ body: cnyBody }), rawBody: cnyBody });
    if (n.kind !== 'payment') throw new Error('expected a payment');
    expect(n.paymentAmount).toEqual({ currency: 'CNY', value: '100' });
    expect(n.grossSettlementAmount).toEqual({ currency: 'USD', value: '14' });
  });

  it('accepts a Buffer, a Uint8Array and an ArrayBuffer body', () => {
    const headers = alipayHeaders({ body: usdBody });
    const buf = Buffer.from(usdBody, 'utf8');
    const u8 = new Uint8Array(buf.length);
    u8.set(buf);
    expect(Object.getPrototypeOf(u8)).toBe(Uint8Array.prototype);
    for (const rawBody of [buf, u8, u8.buffer]) expect(verify({ headers, rawBody }).kind).toBe('payment');
  });

  it('verifies bytes that are not valid UTF-8 as received (no lossy decode before verification)', () => {
    const bytes = Buffer.concat([Buffer.from('{"notifyType":"X_BYTES","note":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const n = verify({ headers: alipayHeaders({ body: bytes }), rawBody: bytes });
    expect(n.kind).toBe('other');
    // The same text after a lossy decode is different bytes and must not verify with that signature.
    const e = failure(() => verify({ headers: alipayHeaders({ body: bytes }), rawBody: bytes.toString('utf8') }));
    expect(e.reason).toBe('mismatch');
  });

  it('is the same with the jsrsasign backend and in the async form', async () => {
    const headers = alipayHeaders({ body: usdBody });
    const sync = verify({ headers });
    expect(verify({ headers, cryptoBackend: 'jsrsasign' })).toEqual(sync);
    expect(await verifyNotificationAsync({ ...base, headers, rawBody: usdBody })).toEqual(sync);
    await expect(verifyNotificationAsync({ ...base, headers, rawBody: `${usdBody} ` })).rejects.toMatchObject({
      reason: 'mismatch',
      check: 'signature',
    });
  });

  it('accepts header names in any case', () => {
    const h = alipayHeaders({ body: usdBody });
    const variants = [
      { 'Client-Id': h['client-id'], 'Request-Time': h['request-time'], Signature: h.signature },
      { 'CLIENT-ID': h['client-id'], 'REQUEST-TIME': h['request-time'], SIGNATURE: h.signature },
      { 'cLiEnT-iD': h['client-id'], 'request-TIME': h['request-time'], signaTure: h.signature },
    ];
    for (const headers of variants) expect(verify({ headers }).kind).toBe('payment');
  });

  it('accepts a Fetch Headers object', () => {
    expect(verify({ headers: new Headers(alipayHeaders({ body: usdBody })) }).kind).toBe('payment');
  });

  it("accepts Node's string[] header values, and refuses two different values for one header", () => {
    const h = alipayHeaders({ body: usdBody });
    expect(verify({ headers: { ...h, signature: [h.signature!] } }).kind).toBe('payment');
    expect(verify({ headers: { ...h, 'client-id': [CLIENT_ID, CLIENT_ID] } }).kind).toBe('payment');
    const e = failure(() => verify({ headers: { ...h, 'client-id': [CLIENT_ID, 'SANDBOX_OTHER'] } }));
    expect(e.reason).toBe('malformed');
    expect(e.check).toBe('client-id');
    const e2 = failure(() => verify({ headers: { ...h, Signature: h.signature!.replace('keyVersion=1', 'keyVersion=2') } }));
    expect(e2.reason).toBe('malformed');
    expect(e2.check).toBe('signature');
  });

  it('verifies a request-time in epoch milliseconds', () => {
    const time = String(FIXED_NOW.getTime());
    expect(verify({ headers: alipayHeaders({ body: usdBody, time }), toleranceMs: 1000, clock: { now: () => FIXED_NOW } }).kind).toBe(
      'payment',
    );
  });

  it('verifies with the method that was signed', () => {
    const headers = alipayHeaders({ body: usdBody, method: 'PUT' });
    expect(verify({ headers, method: 'PUT' }).kind).toBe('payment');
    expect(failure(() => verify({ headers })).reason).toBe('mismatch');
  });
});

describe('verifyNotification: what must fail', () => {
  const headers = alipayHeaders({ body: usdBody });

  it('a tampered body', () => {
    const tampered = usdBody.replace('"value":"100"', '"value":"1000"');
    expect(tampered).not.toBe(usdBody);
    const e = failure(() => verify({ headers, rawBody: tampered }));
    expect(e.reason).toBe('mismatch');
    expect(e.check).toBe('signature');
  });

  it('the same JSON re-serialized', () => {
    const reserialized = JSON.stringify(JSON.parse(usdBody), null, 2);
    expect(JSON.parse(reserialized)).toEqual(JSON.parse(usdBody));
    const e = failure(() => verify({ headers, rawBody: reserialized }));
    expect(e.reason).toBe('mismatch');
    expect(failure(() => verify({ headers, rawBody: Buffer.from(reserialized) })).reason).toBe('mismatch');
  });

  it('a parsed object, with a message that says how to keep the raw body', () => {
    const parsed: unknown = JSON.parse(usdBody);
    // @ts-expect-error a parsed body is a compile error
    const e = failure(() => verifyNotification({ ...base, headers, rawBody: parsed }));
    expect(e.reason).toBe('raw_body_required');
    expect(e.check).toBe('body');
    expect(e.message).toContain("express.raw({ type: '*/*' })");
    expect(e.message).toContain('Fastify');
    expect(e.message).toContain("parseAs: 'buffer'");
    expect(e.message).toContain('Next.js');
    expect(e.message).toContain('await request.text()');
    const anyBody: ReturnType<typeof JSON.parse> = parsed; // any, as Express's req.body is: still a compile error
    // @ts-expect-error any is refused too
    expect(failure(() => verifyNotification({ ...base, headers, rawBody: anyBody })).reason).toBe('raw_body_required');
    for (const bad of [undefined, null, 42, [usdBody]]) {
      expect(failure(() => verify({ headers, rawBody: bad as never })).reason).toBe('raw_body_required');
    }
  });

  it('the wrong path (what the signature covers)', () => {
    for (const path of ['/alipay/notify/', '/notify', '/Alipay/notify', '/alipay/notify?x=1']) {
      expect(failure(() => verify({ headers, path })).reason).toBe('mismatch');
    }
  });

  it('a full URL as path is a configuration error', () => {
    expect(() => verify({ headers, path: 'https://shop.example/alipay/notify' })).toThrow(AmsConfigError);
    expect(() => verify({ headers, path: 'alipay/notify' })).toThrow(AmsConfigError);
  });

  it('a signature by any key but Alipay’s, and the merchant’s own public key configured as Alipay’s', () => {
    for (const key of [other.privatePem, merchant.privatePkcs1Pem]) {
      const e = failure(() => verify({ headers: alipayHeaders({ body: usdBody, key }) }));
      expect(e.reason).toBe('mismatch');
      expect(e.check).toBe('signature');
    }
    const e = failure(() => verify({ headers, alipayPublicKey: merchant.publicSpkiBase64 }));
    expect(e.reason).toBe('mismatch');
    expect(e.message).toContain('not your own');
  });

  it.each(['signature', 'client-id', 'request-time'])('a missing %s header (and an empty one)', (name) => {
    const without = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== name));
    const e = failure(() => verify({ headers: without }));
    expect(e.reason).toBe('missing_header');
    expect(e.check).toBe(name);
    expect(e.message).toContain(name);
    const empty = failure(() => verify({ headers: { ...headers, [name]: '' } }));
    expect(empty.reason).toBe('missing_header');
    expect(empty.check).toBe(name);
    const fetchHeaders = new Headers(without);
    expect(failure(() => verify({ headers: fetchHeaders })).check).toBe(name);
  });

  it('no headers at all names the first missing one', () => {
    const e = failure(() => verify({ headers: {} }));
    expect(e.reason).toBe('missing_header');
    expect(e.check).toBe('signature');
  });

  it('a malformed Signature header', () => {
    for (const signature of ['garbage', 'algorithm=RSA256', 'algorithm=HS256,signature=abcd', 'algorithm=RSA256,signature=%%%']) {
      const e = failure(() => verify({ headers: { ...headers, signature } }));
      expect(e.reason).toBe('malformed');
      expect(e.check).toBe('signature');
    }
  });

  it('a correctly signed notification for another merchant is refused: client_mismatch', () => {
    // One Alipay key serves many merchants: this one is validly signed, for someone else.
    const forOther = alipayHeaders({ body: usdBody, clientId: 'SANDBOX_SOMEONE_ELSE' });
    const e = failure(() => verify({ headers: forOther, clientId: CLIENT_ID }));
    expect(e.reason).toBe('client_mismatch');
    expect(e.check).toBe('client-id');
    expect(e.message).toContain('SANDBOX_SOMEONE_ELSE');
    expect(e.message).toContain(CLIENT_ID);
    // A list: any of them is accepted, the rest refused.
    expect(verify({ headers: forOther, clientId: [CLIENT_ID, 'SANDBOX_SOMEONE_ELSE'] }).kind).toBe('payment');
    expect(failure(() => verify({ headers: forOther, clientId: [CLIENT_ID, 'SANDBOX_THIRD'] })).reason).toBe('client_mismatch');
    // Swapping the client-id header to ours on a notification signed for another breaks the signature.
    expect(failure(() => verify({ headers: { ...forOther, 'client-id': CLIENT_ID } })).reason).toBe('mismatch');
  });

  it('clientId is required: missing, empty or not strings is a config error naming it', () => {
    const h = alipayHeaders({ body: usdBody });
    for (const clientId of [undefined, '', [], [''], [42], null]) {
      const input = {
        path: PATH,
        headers: h,
        rawBody: usdBody,
        alipayPublicKey: alipay.publicBase64,
        clientId,
      } as unknown as VerifyNotificationInput;
      const e = thrown(AmsConfigError, () => verifyNotification(input));
      expect(e.field).toBe('clientId');
      expect(e.message).toMatch(/clientId/);
    }
  });

  it('never echoes the signature in its messages', () => {
    const sig = decodeURIComponent(headers.signature!.split('signature=')[1]!);
    const errors = [
      failure(() => verify({ headers, rawBody: `${usdBody} ` })),
      failure(() => verify({ headers, path: '/x' })),
      failure(() => verify({ headers, clientId: 'OTHER' })),
    ];
    for (const e of errors) {
      expect(e.message).not.toContain(sig.slice(0, 24));
      expect(e.message).not.toContain(encodeURIComponent(sig).slice(0, 24));
    }
  });
});

describe('verifyNotification: toleranceMs', () => {
  const now = () => new Date('2026-11-22T00:00:00.000Z');
  const clock = { now };
  const at = (offsetMs: number, form: 'iso' | 'millis' | 'offset' = 'iso') => {
    const d = new Date(now().getTime() + offsetMs);
    if (form === 'millis') return String(d.getTime());
    if (form === 'offset') {
      const local = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
      return `${local}+08:00`;
    }
    return d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  };
  const tolerance = 5 * 60_000;

  it('is off by default: an old request-time is accepted', () => {
    expect(verify({ headers: alipayHeaders({ body: usdBody, time: '2020-05-18T20:20:27+08:00' }), clock }).kind).toBe('payment');
  });

  it.each([
    ['past', -10 * 60_000],
    ['future', 10 * 60_000],
  ])('rejects a request-time too far in the %s', (direction, offset) => {
    for (const form of ['iso', 'millis', 'offset'] as const) {
      const e = failure(() => verify({ headers: alipayHeaders({ body: usdBody, time: at(offset, form) }), toleranceMs: tolerance, clock }));
      expect(e.reason).toBe('stale');
      expect(e.check).toBe('request-time');
      expect(e.message).toContain(direction);
    }
  });

  it('accepts a request-time within the tolerance, both directions and at the edge', () => {
    for (const offset of [-60_000, 60_000, 0, -tolerance, tolerance]) {
      for (const form of ['iso', 'millis', 'offset'] as const) {
        expect(verify({ headers: alipayHeaders({ body: usdBody, time: at(offset, form) }), toleranceMs: tolerance, clock }).kind).toBe(
          'payment',
        );
      }
    }
    expect(
      verify({
        headers: alipayHeaders({ body: usdBody, time: at(-1000, 'millis') }),
        toleranceMs: tolerance,
        clock: { now: () => new Date(now().getTime()) },
      }).kind,
    ).toBe('payment');
  });

  it('checks the signature before the age: a forged old notification is a mismatch', () => {
    const e = failure(() =>
      verify({ headers: alipayHeaders({ body: usdBody, time: at(-3600_000), key: other.privatePem }), toleranceMs: tolerance, clock }),
    );
    expect(e.reason).toBe('mismatch');
  });

  it('an unparsable request-time is malformed when the tolerance is on, and irrelevant when it is off', () => {
    for (const time of ['yesterday', '2026-11-22 00:00:00', '2026-11-22T00:00:00', '1.5e12']) {
      const headers = alipayHeaders({ body: usdBody, time });
      const e = failure(() => verify({ headers, toleranceMs: tolerance, clock }));
      expect(e.reason).toBe('malformed');
      expect(e.check).toBe('request-time');
      expect(verify({ headers }).kind).toBe('payment');
    }
  });

  it('a bad toleranceMs is a configuration error', () => {
    expect(() => verify({ headers: alipayHeaders({ body: usdBody }), toleranceMs: -1 })).toThrow(AmsConfigError);
  });

  it('parseRequestTime reads ISO-8601 with Z or an offset, and epoch milliseconds', () => {
    expect(parseRequestTime('2019-05-28T12:12:12+08:00')).toBe(Date.UTC(2019, 4, 28, 4, 12, 12));
    expect(parseRequestTime('2019-05-28T12:12:12+0800')).toBe(Date.UTC(2019, 4, 28, 4, 12, 12));
    expect(parseRequestTime('2019-05-28T04:12:12.345Z')).toBe(Date.UTC(2019, 4, 28, 4, 12, 12, 345));
    expect(parseRequestTime('1559016732000')).toBe(1559016732000);
    expect(parseRequestTime('2019-05-28T12:12:12')).toBeUndefined();
    expect(parseRequestTime('2019-13-45T12:12:12Z')).toBeUndefined();
  });
});

describe('verifyNotification: the typed body', () => {
  it('a refund notification', () => {
    const n = verify({ headers: alipayHeaders({ body: refundBody }), rawBody: refundBody });
    expect(n.kind).toBe('refund');
    if (n.kind !== 'refund') throw new Error('narrowing');
    expect(n.notifyType).toBe('REFUND_RESULT');
    expect(n.refundStatus).toBe('SUCCESS');
    expect(n.refundId).toBe('2020051812345678900001');
    expect(n.refundRequestId).toBe('refund-req-0001');
    expect(n.refundAmount).toEqual({ currency: 'USD', value: '100' });
    const failed = refundBody.replace('"refundStatus":"SUCCESS"', '"refundStatus":"F"');
    const f = verify({ headers: alipayHeaders({ body: failed }), rawBody: failed });
    expect(f.kind === 'refund' && f.refundStatus).toBe('F');
  });

  it('a quote whose guaranteed is the documented string is read, and an unknown word is kept, never taken for yes', () => {
    const read = (guaranteed: unknown) => {
      const body = JSON.stringify({ ...JSON.parse(cnyBody), settlementQuote: { quoteId: 'Q1', quotePrice: '7.1', guaranteed } });
      const n = verify({ headers: alipayHeaders({ body }), rawBody: body });
      if (n.kind !== 'payment') throw new Error('narrowing');
      return n.settlementQuote?.guaranteed;
    };
    expect(read('true')).toBe(true);
    expect(read('FALSE')).toBe(false);
    expect(read(true)).toBe(true);
    expect(read('maybe')).toBe('maybe');
  });

  it('PAYMENT_PENDING without paymentTime, and unknown fields kept', () => {
    const body = JSON.stringify({ ...JSON.parse(usdBody), notifyType: 'PAYMENT_PENDING', paymentTime: undefined, brandNew: { a: 1 } });
    const n = verify({ headers: alipayHeaders({ body }), rawBody: body });
    expect(n.kind).toBe('payment');
    expect(n.notifyType).toBe('PAYMENT_PENDING');
    expect((n as Record<string, unknown>).brandNew).toEqual({ a: 1 });
  });

  it('an unknown notifyType comes back as a generic notification, not dropped', () => {
    const n = verify({ headers: alipayHeaders({ body: otherBody }), rawBody: otherBody });
    expect(n).toEqual({ ...JSON.parse(otherBody), kind: 'other' });
    switch (n.kind) {
      case 'other':
        expect(n.notifyType).toBe('UPDATE_AMOUNT_RESULT');
        break;
      default:
        throw new Error('expected other');
    }
  });

  it('signed but not JSON → AmsValidationError', () => {
    const body = '{"notifyType":';
    expect(() => verify({ headers: alipayHeaders({ body }), rawBody: body })).toThrow(AmsValidationError);
    const arr = '[1,2]';
    expect(() => verify({ headers: alipayHeaders({ body: arr }), rawBody: arr })).toThrow(/JSON object/);
  });

  it('signed but not the expected shape → AmsValidationError naming the fields', () => {
    const body = JSON.stringify({ ...JSON.parse(usdBody), paymentId: undefined, paymentAmount: { currency: 'USD', value: 1 } });
    expect(thrown(AmsValidationError, () => verify({ headers: alipayHeaders({ body }), rawBody: body })).fields).toEqual(
      expect.arrayContaining(['paymentId', 'paymentAmount.value']),
    );
    const refund = JSON.stringify({ ...JSON.parse(refundBody), refundRequestId: undefined, refundStatus: 7 });
    expect(thrown(AmsValidationError, () => verify({ headers: alipayHeaders({ body: refund }), rawBody: refund })).fields).toEqual(
      expect.arrayContaining(['refundRequestId', 'refundStatus']),
    );
    const capture =
      '{"notifyType":"CAPTURE_RESULT","captureId":"c-1","paymentId":"p-1","result":{"resultCode":"SUCCESS","resultStatus":"S"}}';
    expect(thrown(AmsValidationError, () => verify({ headers: alipayHeaders({ body: capture }), rawBody: capture })).fields).toEqual([
      'captureRequestId',
    ]);
  });

  it('the body is parsed only after the signature holds', () => {
    const body = 'not json at all';
    expect(failure(() => verify({ headers: alipayHeaders({ body, key: other.privatePem }), rawBody: body })).reason).toBe('mismatch');
  });
});

describe('verifyNotification with client', () => {
  it("uses the client's Alipay key, client id and clock", async () => {
    const { client } = testClient();
    const time = FIXED_NOW.toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const headers = alipayHeaders({ body: usdBody, time });
    expect(verifyNotification({ client, path: PATH, headers, rawBody: usdBody, toleranceMs: 1000 }).kind).toBe('payment');
    expect((await verifyNotificationAsync({ client, path: PATH, headers, rawBody: Buffer.from(usdBody) })).kind).toBe('payment');

    const old = alipayHeaders({ body: usdBody, time: TIME.replace('2026', '2025') });
    expect(failure(() => verifyNotification({ client, path: PATH, headers: old, rawBody: usdBody, toleranceMs: 60_000 })).reason).toBe(
      'stale',
    );

    const forOther = alipayHeaders({ body: usdBody, clientId: 'SANDBOX_OTHER' });
    const e = failure(() => verifyNotification({ client, path: PATH, headers: forOther, rawBody: usdBody }));
    expect(e).toMatchObject({ reason: 'client_mismatch', check: 'client-id' });
    expect(
      verifyNotification({ client, clientId: [CLIENT_ID, 'SANDBOX_OTHER'], path: PATH, headers: forOther, rawBody: usdBody }).kind,
    ).toBe('payment');

    const forged = alipayHeaders({ body: usdBody, key: other.privatePem });
    await expect(verifyNotificationAsync({ client, path: PATH, headers: forged, rawBody: usdBody })).rejects.toMatchObject({
      reason: 'mismatch',
      check: 'signature',
    });
  });

  it('a clock given beside the client wins over the client’s', () => {
    const { client } = testClient();
    const headers = alipayHeaders({ body: usdBody, time: TIME.replace('2026', '2025') });
    const then = { now: () => new Date(Date.parse(TIME.replace('2026', '2025'))) };
    expect(verifyNotification({ client, clock: then, path: PATH, headers, rawBody: usdBody, toleranceMs: 60_000 }).kind).toBe('payment');
  });

  it('refuses something that is not an AmsClient, and keys given twice', () => {
    const input = (extra: object) =>
      ({ path: PATH, headers: alipayHeaders({ body: usdBody }), rawBody: usdBody, ...extra }) as unknown as VerifyNotificationInput;
    expect(thrown(AmsConfigError, () => verifyNotification(input({ client: {} }))).field).toBe('client');
    const { client } = testClient();
    expect(thrown(AmsConfigError, () => verifyNotification(input({ client, alipayPublicKey: alipay.publicBase64 }))).field).toBe(
      'alipayPublicKey',
    );
    expect(thrown(AmsConfigError, () => verifyNotification(input({ client, cryptoBackend: 'jsrsasign' }))).field).toBe('cryptoBackend');
    expect(thrown(AmsConfigError, () => verifyNotification(input({ clientId: CLIENT_ID }))).field).toBe('alipayPublicKey');
    expect(thrown(AmsConfigError, () => verifyNotification(input({ ...base, clock: { now: 1 } }))).field).toBe('clock');
  });
});
