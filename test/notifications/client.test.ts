// client.verifyNotification: the standalone verifier wired to the client's Alipay key and client id.
import { describe, expect, it } from 'vitest';
import { AmsSignatureError } from '../../src/index';
import { testClient } from '../helpers/client';
import { other } from '../helpers/keys';
import { alipayHeaders, CLIENT_ID, PATH, refundBody, usdBody } from './helpers';

describe('client.verifyNotification', () => {
  const { client } = testClient({ clientId: CLIENT_ID });
  it('verifies with the client’s Alipay key and returns the typed notification', () => {
    const n = client.verifyNotification({ path: PATH, headers: alipayHeaders({ body: usdBody }), rawBody: Buffer.from(usdBody) });
    expect(n).toMatchObject({ kind: 'payment', notifyType: 'PAYMENT_RESULT', paymentAmount: { currency: 'USD', value: '100' } });
    expect(client.verifyNotification({ path: PATH, headers: alipayHeaders({ body: refundBody }), rawBody: refundBody }).kind).toBe(
      'refund',
    );
  });
  it('rejects another client id, a foreign key and a tampered body', () => {
    expect(() =>
      client.verifyNotification({ path: PATH, headers: alipayHeaders({ body: usdBody, clientId: 'SANDBOX_OTHER' }), rawBody: usdBody }),
    ).toThrow(expect.objectContaining({ reason: 'client_mismatch', check: 'client-id' }));
    expect(() =>
      client.verifyNotification({ path: PATH, headers: alipayHeaders({ body: usdBody, key: other.privatePem }), rawBody: usdBody }),
    ).toThrow(AmsSignatureError);
    expect(() =>
      client.verifyNotification({ path: PATH, headers: alipayHeaders({ body: usdBody }), rawBody: usdBody.replace('"100"', '"900"') }),
    ).toThrow(expect.objectContaining({ reason: 'mismatch' }));
  });
});
