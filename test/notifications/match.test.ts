// matchNotification: a verified notification is compared with the order before it is marked paid.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AmsValidationError, assertNotificationMatches, matchNotification, verifyNotification } from '../../src/index';
import { thrown } from '../helpers/expect';
import { alipay } from '../helpers/keys';
import { alipayHeaders, CLIENT_ID, PATH } from './helpers';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const verified = (body: string) =>
  verifyNotification({
    path: PATH,
    headers: alipayHeaders({ body }),
    rawBody: body,
    alipayPublicKey: alipay.publicBase64,
    clientId: CLIENT_ID,
  });
const usd = verified(fixture('notify-payment.usd.body.json'));
const cny = verified(fixture('notify-payment.cny-settled-usd.body.json'));

describe('matchNotification', () => {
  it("the guide's samples match their orders exactly", () => {
    expect(
      matchNotification(usd, {
        paymentRequestId: 'ams_alipaycn_cashier_pay_sandbox_request_003',
        paymentAmount: { currency: 'USD', value: '100' },
      }),
    ).toEqual({ ok: true, mismatches: [] });
    expect(
      matchNotification(cny, {
        paymentRequestId: 'ams_alipaycn_cashier_pay_sandbox_request_004',
        paymentAmount: { currency: 'CNY', value: '100' },
        contractSettlementCurrency: 'USD',
      }),
    ).toEqual({ ok: true, mismatches: [] });
  });

  it('another request id, currency, amount or settlement currency: each a mismatch naming the field', () => {
    const r = matchNotification(cny, {
      paymentRequestId: 'mine',
      paymentAmount: { currency: 'USD', value: '1000' },
      contractSettlementCurrency: 'EUR',
    });
    expect(r.ok).toBe(false);
    expect(r.mismatches.map((m) => [m.field, m.expected, m.actual])).toEqual([
      ['paymentRequestId', 'mine', 'ams_alipaycn_cashier_pay_sandbox_request_004'],
      ['paymentAmount.currency', 'USD', 'CNY'],
      ['paymentAmount.value', '1000', '100'],
      ['grossSettlementAmount.currency', 'EUR', 'USD'],
    ]);
  });

  it('compares minor units as whole numbers, never as floats or loosely', () => {
    const expect100 = {
      paymentRequestId: 'ams_alipaycn_cashier_pay_sandbox_request_003',
      paymentAmount: { currency: 'USD', value: '100' },
    };
    expect(matchNotification(usd, expect100).ok).toBe(true);
    expect(matchNotification(usd, { ...expect100, paymentAmount: { currency: 'USD', value: '101' } }).ok).toBe(false);
    // What Antom sends is read tolerantly: leading zeros are the same number; anything but digits never matches.
    expect(matchNotification({ ...usd, paymentAmount: { currency: 'USD', value: '0100' } }, expect100).ok).toBe(true);
    const odd = { ...usd, paymentAmount: { currency: 'USD', value: '1.00e2' } };
    expect(matchNotification(odd, expect100).ok).toBe(false);
  });

  it('a CNY payment without grossSettlementAmount does not match when a contract currency is given', () => {
    const { grossSettlementAmount: _gone, ...bare } = cny;
    const expectation = {
      paymentRequestId: 'ams_alipaycn_cashier_pay_sandbox_request_004',
      paymentAmount: { currency: 'CNY', value: '100' },
    };
    expect(
      matchNotification(bare as typeof cny, { ...expectation, contractSettlementCurrency: 'USD' }).mismatches.map((m) => m.field),
    ).toEqual(['grossSettlementAmount.currency']);
    expect(matchNotification(bare as typeof cny, expectation).ok).toBe(true);
  });

  it('a refund notification is not a payment', () => {
    const refund = { ...usd, kind: 'refund' } as never;
    expect(matchNotification(refund, { paymentRequestId: 'x', paymentAmount: { currency: 'USD', value: '1' } }).mismatches[0]!.field).toBe(
      'kind',
    );
  });

  it('the assert form throws AmsValidationError listing the mismatches; a bad expectation is named', () => {
    const e = thrown(AmsValidationError, () =>
      assertNotificationMatches(usd, { paymentRequestId: 'other', paymentAmount: { currency: 'USD', value: '100' } }),
    );
    expect(e.fields).toEqual(['paymentRequestId']);
    expect(() =>
      assertNotificationMatches(usd, {
        paymentRequestId: 'ams_alipaycn_cashier_pay_sandbox_request_003',
        paymentAmount: { currency: 'USD', value: '100' },
      }),
    ).not.toThrow();
    const bad = thrown(AmsValidationError, () =>
      matchNotification(usd, { paymentRequestId: '', paymentAmount: { currency: 'usd', value: 19.99 as never } }),
    );
    expect(bad.fields).toEqual(['paymentRequestId', 'paymentAmount.currency', 'paymentAmount.value']);
    expect(bad.message).toContain("toMinorUnits('19.99', 'USD')");
  });

  describe('a match means paid: failed and pending payments never match unless named', () => {
    const order = {
      paymentRequestId: 'ams_alipaycn_cashier_pay_sandbox_request_003',
      paymentAmount: { currency: 'USD', value: '100' },
    };
    const signed = (edit: (body: Record<string, unknown>) => void) => {
      const body = JSON.parse(fixture('notify-payment.usd.body.json')) as Record<string, unknown>;
      edit(body);
      return verified(JSON.stringify(body));
    };
    // Alipay-signed notifications about exactly this order, for exactly this amount: only the outcome differs.
    const failed = signed((b) => (b.result = { resultCode: 'PAYMENT_FAILED', resultStatus: 'F', resultMessage: 'failed' }));
    const pending = signed((b) => (b.notifyType = 'PAYMENT_PENDING'));
    const unknown = signed((b) => (b.result = { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U', resultMessage: 'unknown' }));

    it('a verified failed, pending or unknown payment for the right order and amount does not match', () => {
      expect([usd.outcome, failed.outcome, pending.outcome, unknown.outcome]).toEqual(['paid', 'failed', 'pending', 'pending']);
      expect(matchNotification(usd, order)).toEqual({ ok: true, mismatches: [] });
      for (const [n, outcome] of [
        [failed, 'failed'],
        [pending, 'pending'],
        [unknown, 'pending'],
      ] as const) {
        const r = matchNotification(n, order);
        expect(r.ok).toBe(false);
        expect(r.mismatches).toEqual([{ field: 'outcome', expected: 'paid', actual: outcome, message: expect.stringMatching(/not paid/) }]);
        const e = thrown(AmsValidationError, () => assertNotificationMatches(n, order));
        expect(e.fields).toEqual(['outcome']);
        expect(e.message).toContain(`expected paid, got ${outcome}`);
      }
    });

    it('an empty or undefined options object keeps the default', () => {
      expect(matchNotification(failed, order, {}).ok).toBe(false);
      expect(matchNotification(pending, order, { outcomes: undefined }).ok).toBe(false);
    });

    it("the escape hatch: { outcomes: ['paid', 'pending'] } matches a pending payment, never a failed one", () => {
      const both = { outcomes: ['paid', 'pending'] } as const;
      expect(matchNotification(pending, order, both)).toEqual({ ok: true, mismatches: [] });
      expect(matchNotification(usd, order, both).ok).toBe(true);
      expect(matchNotification(failed, order, both).mismatches).toEqual([
        { field: 'outcome', expected: 'paid or pending', actual: 'failed', message: expect.any(String) },
      ]);
      expect(() => assertNotificationMatches(pending, order, both)).not.toThrow();
      expect(matchNotification(failed, order, { outcomes: ['failed'] }).ok).toBe(true);
      expect(matchNotification(usd, order, { outcomes: ['failed'] }).ok).toBe(false);
    });

    it('the other checks still apply with the escape hatch', () => {
      const r = matchNotification(pending, { ...order, paymentAmount: { currency: 'USD', value: '99' } }, { outcomes: ['pending'] });
      expect(r.mismatches.map((m) => m.field)).toEqual(['paymentAmount.value']);
    });

    it('an object whose outcome says paid while its result says failed does not match (the outcome is derived again)', () => {
      const lying = { ...failed, outcome: 'paid' } as typeof failed;
      const r = matchNotification(lying, order);
      expect(r.ok).toBe(false);
      expect(r.mismatches).toEqual([{ field: 'outcome', expected: 'failed', actual: 'paid', message: expect.any(String) }]);
      const noResult = { ...usd, result: undefined } as unknown as typeof usd;
      expect(matchNotification(noResult, order).mismatches.map((m) => m.field)).toEqual(['outcome']);
    });

    it('a misspelt expectation field or option is refused, never skipped: "matches" cannot mean less than it says', () => {
      const typo = thrown(AmsValidationError, () => matchNotification(usd, { ...order, contractSettlementCurency: 'EUR' } as never));
      expect(typo.issues).toEqual([
        {
          field: 'contractSettlementCurency',
          code: 'unknown_field',
          message: 'is not compared: did you mean "contractSettlementCurrency"? (spelled so, it would be)',
        },
      ]);
      // The rest of an order record rides along and is ignored.
      expect(matchNotification(usd, { ...order, status: 'open', createdAt: 1 } as never).ok).toBe(true);
      const option = thrown(AmsValidationError, () => matchNotification(usd, order, { outcome: ['paid', 'pending'] } as never));
      expect(option.message).toBe('Invalid matchNotification options: unknown option "outcome" (did you mean "outcomes"?)');
    });

    it('an expectation of zero, or with leading zeros, is not an amount pay could have sent: refused', () => {
      for (const value of ['0', '0100', '19.99', '-1999']) {
        const e = thrown(AmsValidationError, () => matchNotification(usd, { ...order, paymentAmount: { ...order.paymentAmount, value } }));
        expect(e.fields).toEqual(['paymentAmount.value']);
      }
    });

    it('refuses outcomes that are not a non-empty list of payment outcomes, naming the option', () => {
      for (const bad of [[], ['succeeded'], 'paid', [null], null]) {
        const e = thrown(AmsValidationError, () => matchNotification(usd, order, { outcomes: bad as never }));
        expect(e.fields).toEqual(['outcomes']);
      }
      expect(thrown(AmsValidationError, () => matchNotification(usd, order, null as never)).fields).toEqual(['options']);
    });
  });
});
