// The acknowledgement: byte-exact body, and a signature that verifies with the merchant's public key when asked.
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AmsConfigError } from '../../src/errors';
import { NOTIFICATION_ACK_BODY } from '../../src/notifications/index';
import { notificationAck } from '../../src/index';
import { merchant } from '../helpers/keys';
import { ACK, CLIENT_ID, PATH } from './helpers';

function verifiesWithMerchantKey(headers: Record<string, string>, body: string, path = PATH): boolean {
  const sig = decodeURIComponent(/signature=([^,]+)/.exec(headers.signature!)![1]!);
  const content = `POST ${path}\n${headers['client-id']}.${headers['response-time']}.${body}`;
  return nodeVerify('sha256', Buffer.from(content, 'utf8'), createPublicKey(merchant.publicSpkiPem), Buffer.from(sig, 'base64'));
}

describe('notificationAck', () => {
  it('is 200, application/json and the exact body', () => {
    const ack = notificationAck();
    expect(ack.status).toBe(200);
    expect(ack.headers).toEqual({ 'content-type': 'application/json' });
    expect(ack.body).toBe(ACK);
    expect(NOTIFICATION_ACK_BODY).toBe(ACK);
    expect(
      Buffer.from(ack.body).equals(Buffer.from('{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}')),
    ).toBe(true);
  });

  it('signed: client-id, response-time and a signature over POST <path>\\n<client-id>.<response-time>.<body>', () => {
    const ack = notificationAck({
      sign: { clientId: CLIENT_ID, privateKey: merchant.privatePkcs8Base64, path: PATH, responseTime: '2026-11-22T00:00:00+00:00' },
    });
    expect(ack.body).toBe(ACK);
    expect(ack.headers['content-type']).toBe('application/json');
    expect(ack.headers['client-id']).toBe(CLIENT_ID);
    expect(ack.headers['response-time']).toBe('2026-11-22T00:00:00+00:00');
    expect(ack.headers.signature).toMatch(/^algorithm=RSA256,keyVersion=1,signature=[A-Za-z0-9%]+$/);
    expect(verifiesWithMerchantKey(ack.headers, ack.body)).toBe(true);
    expect(verifiesWithMerchantKey(ack.headers, ack.body, '/other')).toBe(false);
    expect(verifiesWithMerchantKey({ ...ack.headers, 'response-time': '2026-11-22T00:00:01+00:00' }, ack.body)).toBe(false);
  });

  it('signed: response-time from the clock, keyVersion as given, jsrsasign gives the same signature', () => {
    const clock = { now: () => new Date('2026-01-02T03:04:05.678Z') };
    const a = notificationAck({ sign: { clientId: CLIENT_ID, privateKey: merchant.privatePkcs1Pem, path: PATH, clock, keyVersion: '3' } });
    expect(a.headers['response-time']).toBe('2026-01-02T03:04:05+00:00');
    expect(a.headers.signature).toContain('keyVersion=3,');
    expect(verifiesWithMerchantKey(a.headers, a.body)).toBe(true);
    const b = notificationAck({
      sign: { clientId: CLIENT_ID, privateKey: merchant.privatePkcs1Pem, path: PATH, clock, keyVersion: '3', cryptoBackend: 'jsrsasign' },
    });
    expect(b.headers).toEqual(a.headers);
    const c = notificationAck({ sign: { clientId: CLIENT_ID, privateKey: merchant.privatePkcs1Pem, path: PATH, clock, keyVersion: null } });
    expect(c.headers.signature).not.toContain('keyVersion');
  });

  it('refuses to sign without a client id or path, or with a public key', () => {
    expect(() => notificationAck({ sign: { clientId: '', privateKey: merchant.privatePkcs1Pem, path: PATH } })).toThrow(AmsConfigError);
    expect(() => notificationAck({ sign: { clientId: CLIENT_ID, privateKey: merchant.privatePkcs1Pem, path: 'notify' } })).toThrow(
      AmsConfigError,
    );
    expect(() => notificationAck({ sign: { clientId: CLIENT_ID, privateKey: merchant.publicSpkiPem, path: PATH } })).toThrow(
      AmsConfigError,
    );
  });
});
