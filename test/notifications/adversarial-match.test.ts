// Notifications built to make matchNotification say "matches" (or crash) while the payment is not the order's paid one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchNotification, verifyNotification, type AmsNotification } from '../../src/index';
import { alipay } from '../helpers/keys';
import { alipayHeaders, CLIENT_ID, PATH } from './helpers';

const body = readFileSync(new URL('../fixtures/notify-payment.usd.body.json', import.meta.url), 'utf8');
const usd = verifyNotification({
  path: PATH,
  headers: alipayHeaders({ body }),
  rawBody: body,
  alipayPublicKey: alipay.publicBase64,
  clientId: CLIENT_ID,
});
const order = { paymentRequestId: 'ams_alipaycn_cashier_pay_sandbox_request_003', paymentAmount: { currency: 'USD', value: '100' } };
const edited = (change: Record<string, unknown>): AmsNotification => ({ ...usd, ...change });

describe('matchNotification cannot be made to match by how a payment object is written', () => {
  it('the verified sample matches its order (the cases below differ from it in one field)', () => {
    expect(matchNotification(usd, order)).toEqual({ ok: true, mismatches: [] });
  });

  it.each([
    ['PAYMENT_PENDING written in lower case', 'payment_pending'],
    ['no notifyType', undefined],
    ['a refund notifyType', 'REFUND_RESULT'],
  ])('a payment object whose notifyType is not a payment type (%s) never matches as paid', (_, notifyType) => {
    const r = matchNotification(edited({ notifyType }), order);
    expect(r.ok).toBe(false);
    expect(r.mismatches.map((m) => m.field)).toEqual(['outcome']);
  });

  it('a payment object without its paymentAmount is a mismatch of the amount, not a TypeError', () => {
    for (const paymentAmount of [undefined, null, 'USD 1.00']) {
      const r = matchNotification(edited({ paymentAmount }), order);
      expect(r.ok).toBe(false);
      expect(r.mismatches.map((m) => m.field)).toEqual(['paymentAmount.currency', 'paymentAmount.value']);
    }
  });
});
