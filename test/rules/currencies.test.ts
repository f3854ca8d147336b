// Currency matrix tests: every pair, checked against an expectation written from the protocol text, not the table.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CURRENCY_RULES, CURRENCY_VIOLATIONS, assertCurrencies } from '../../src/rules';
import { ALIPAY_CN_PAYMENT_CURRENCIES, ALIPAY_CN_SETTLEMENT_CURRENCIES, checkCurrencies } from '../../src/index';
import { AmsError, AmsValidationError } from '../../src/errors';

// Written out again from ams-protocol.md, deliberately not imported.
const SETTLE = 'USD EUR JPY GBP CAD AUD SGD CHF SEK DKK NOK NZD THB HKD'.split(' ');
const PAY = [...SETTLE, 'CNY'];
// "A merchant whose contract settles in C may charge in C or in CNY, and always settles in C."
const VALID_PAIRS = new Set(SETTLE.flatMap((c) => [`${c}->${c}`, `CNY->${c}`]));
const UNKNOWN = ['BRL', 'XXX', 'CNH', 'usd', 'Usd', 'US', 'USDD', ' USD', '€', ''];

const F = {
  pay: 'paymentAmount.currency',
  settle: 'settlementStrategy.settlementCurrency',
  contract: 'contractSettlementCurrency',
  type: 'paymentMethod.paymentMethodType',
};

/** Expected [field, code] pairs for one currency on its own, by what it looks like. */
function expectedAlone(value: string, role: 'pay' | 'settle'): [string, string][] {
  if (value === '') return [[F[role], 'CURRENCY_MISSING']];
  if (!/^[A-Z]{3}$/.test(value)) return [[F[role], 'INVALID_CURRENCY_CODE']];
  if (role === 'pay') return PAY.includes(value) ? [] : [[F.pay, 'PAYMENT_CURRENCY_NOT_SUPPORTED']];
  if (value === 'CNY') return [[F.settle, 'SETTLEMENT_LOCAL_CURRENCY_NOT_ALLOWED']];
  return SETTLE.includes(value) ? [] : [[F.settle, 'SETTLEMENT_CURRENCY_NOT_SUPPORTED']];
}

function expectedPair(pay: string, settle: string): [string, string][] {
  const alone = [...expectedAlone(pay, 'pay'), ...expectedAlone(settle, 'settle')];
  if (alone.length > 0) return alone;
  return VALID_PAIRS.has(`${pay}->${settle}`) ? [] : [[F.settle, 'SETTLEMENT_MUST_EQUAL_PAYMENT']];
}

const got = (r: ReturnType<typeof checkCurrencies>) => r.violations.map((v) => [v.field, v.code]);

describe('currency lists', () => {
  it('are the cashier guide lists, readonly and frozen', () => {
    expect([...ALIPAY_CN_PAYMENT_CURRENCIES]).toEqual(PAY);
    expect([...ALIPAY_CN_SETTLEMENT_CURRENCIES]).toEqual(SETTLE);
    expect(Object.isFrozen(ALIPAY_CN_PAYMENT_CURRENCIES)).toBe(true);
    expect(Object.isFrozen(ALIPAY_CN_SETTLEMENT_CURRENCIES)).toBe(true);
    expect(() => (ALIPAY_CN_PAYMENT_CURRENCIES as unknown as string[]).push('BRL')).toThrow(TypeError);
    expect(Object.isFrozen(CURRENCY_RULES)).toBe(true);
    expect(Object.isFrozen(CURRENCY_RULES.ALIPAY_CN)).toBe(true);
    expect(Object.isFrozen(CURRENCY_RULES.ALIPAY_CN?.localCurrencies)).toBe(true);
  });

  it('exports stable codes equal to their names', () => {
    for (const [k, v] of Object.entries(CURRENCY_VIOLATIONS)) expect(v).toBe(k);
    expect(Object.isFrozen(CURRENCY_VIOLATIONS)).toBe(true);
  });
});

describe('checkCurrencies: the full matrix', () => {
  it('has exactly 28 valid pairs among the 15×15', () => {
    let ok = 0;
    for (const p of PAY) for (const s of PAY) if (checkCurrencies({ paymentCurrency: p, settlementCurrency: s }).ok) ok++;
    expect(ok).toBe(28);
  });

  it('matches the expectation for every pair of known and unknown codes', () => {
    const all = [...PAY, ...UNKNOWN];
    for (const p of all) {
      for (const s of all) {
        const r = checkCurrencies({ paymentCurrency: p, settlementCurrency: s });
        const want = expectedPair(p, s);
        expect(got(r), `${JSON.stringify(p)} -> ${JSON.stringify(s)}`).toEqual(want);
        expect(r.ok).toBe(want.length === 0);
        for (const v of r.violations) expect(v.message).toMatch(/^[A-Z].*[.?]$/);
      }
    }
  });

  it('adds the contract rule for every triple', () => {
    const contracts = [undefined, ...PAY, 'BRL', 'usd'];
    for (const c of contracts) {
      for (const p of PAY) {
        for (const s of PAY) {
          const r = checkCurrencies({ paymentCurrency: p, settlementCurrency: s, contractSettlementCurrency: c });
          const want = expectedPair(p, s);
          if (c !== undefined) {
            if (!/^[A-Z]{3}$/.test(c)) want.push([F.contract, 'INVALID_CURRENCY_CODE']);
            else if (!SETTLE.includes(c)) want.push([F.contract, 'CONTRACT_CURRENCY_NOT_SUPPORTED']);
            else if (s !== c) want.push([F.settle, 'SETTLEMENT_NOT_CONTRACT']); // also when s itself is refused (CNY)
          }
          const sortKey = (x: string[]) => x.join(' ');
          expect(got(r).map(sortKey).sort(), `${p}->${s} contract ${c}`).toEqual(want.map(sortKey).sort());
          // the cashier guide's summary: with contract C, charge in C or CNY, settle in C.
          if (c !== undefined && SETTLE.includes(c)) expect(r.ok).toBe(s === c && (p === c || p === 'CNY'));
        }
      }
    }
  });

  it('is ok exactly for the valid pairs (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAY, ...UNKNOWN), fc.constantFrom(...PAY, ...UNKNOWN), (p, s) => {
        expect(checkCurrencies({ paymentCurrency: p, settlementCurrency: s }).ok).toBe(VALID_PAIRS.has(`${p}->${s}`));
      }),
    );
  });
});

describe('checkCurrencies: reporting', () => {
  it('reports every violation, not only the first', () => {
    const r = checkCurrencies({ paymentCurrency: 'brl', settlementCurrency: 'CNY', contractSettlementCurrency: 'XYZ' });
    expect(r.ok).toBe(false);
    expect(got(r)).toEqual([
      [F.pay, 'INVALID_CURRENCY_CODE'],
      [F.settle, 'SETTLEMENT_LOCAL_CURRENCY_NOT_ALLOWED'],
      [F.contract, 'CONTRACT_CURRENCY_NOT_SUPPORTED'],
    ]);
  });

  it('writes messages a merchant understands', () => {
    const [cny] = checkCurrencies({ paymentCurrency: 'CNY', settlementCurrency: 'CNY' }).violations;
    expect(cny?.message).toBe(
      'Settlement currency CNY is not allowed: AlipayCN settles in USD, EUR, JPY, GBP, CAD, AUD, SGD, CHF, SEK, DKK, NOK, NZD, THB, HKD.',
    );
    const [pair] = checkCurrencies({ paymentCurrency: 'EUR', settlementCurrency: 'USD' }).violations;
    expect(pair?.message).toBe(
      'Settlement currency USD does not match payment currency EUR: AlipayCN settles payments in EUR only in EUR; ' +
        'to settle in USD, charge in USD or CNY.',
    );
    const [contract] = checkCurrencies({
      paymentCurrency: 'EUR',
      settlementCurrency: 'EUR',
      contractSettlementCurrency: 'USD',
    }).violations;
    expect(contract?.message).toContain("is not your contract's settlement currency USD");
    expect(contract?.message).toContain('charge in USD or CNY');
    const [lower] = checkCurrencies({ paymentCurrency: 'usd', settlementCurrency: 'USD' }).violations;
    expect(lower?.message).toBe(
      'Payment currency "usd" is not an ISO 4217 currency code (three upper-case letters such as USD); did you mean "USD"?',
    );
    const [brl] = checkCurrencies({ paymentCurrency: 'BRL', settlementCurrency: 'USD' }).violations;
    expect(brl?.message).toMatch(/^Payment currency BRL is not supported: AlipayCN accepts USD, .*HKD, CNY\.$/);
  });

  it('defaults paymentMethodType to ALIPAY_CN', () => {
    expect(checkCurrencies({ paymentCurrency: 'CNY', settlementCurrency: 'USD' })).toEqual({ ok: true, violations: [] });
    expect(checkCurrencies({ paymentMethodType: undefined, paymentCurrency: 'USD', settlementCurrency: 'USD' }).ok).toBe(true);
  });

  it('does not say ok for a payment method type it has no rules for', () => {
    for (const type of ['KAKAOPAY', 'alipay_cn', 'toString', '__proto__', 'constructor', '']) {
      const r = checkCurrencies({ paymentMethodType: type, paymentCurrency: 'USD', settlementCurrency: 'USD' });
      expect(r.ok).toBe(false);
      expect(r.violations).toHaveLength(1);
      expect(r.violations[0]).toMatchObject({ code: 'UNKNOWN_PAYMENT_METHOD_TYPE', field: F.type });
      expect(r.violations[0]?.message).toMatch(/^This engine has no currency rules for payment method type/);
    }
    const [v] = checkCurrencies({ paymentMethodType: 'alipay_cn', paymentCurrency: 'USD', settlementCurrency: 'USD' }).violations;
    expect(v?.message).toContain('Did you mean "ALIPAY_CN"?');
  });

  it('survives values of the wrong type from JSON configs', () => {
    const r = checkCurrencies({
      paymentCurrency: 840 as unknown as string,
      settlementCurrency: undefined as unknown as string,
      contractSettlementCurrency: null as unknown as string,
    });
    expect(got(r)).toEqual([
      [F.pay, 'INVALID_CURRENCY_CODE'],
      [F.settle, 'CURRENCY_MISSING'],
    ]);
    expect(checkCurrencies({ paymentCurrency: 'USD', settlementCurrency: 'USD', contractSettlementCurrency: '' }).violations).toEqual([
      expect.objectContaining({ code: 'CURRENCY_MISSING', field: F.contract }),
    ]);
  });

  it('assertCurrencies throws one AmsValidationError listing the fields', () => {
    expect(() => assertCurrencies({ paymentCurrency: 'USD', settlementCurrency: 'USD' })).not.toThrow();
    try {
      assertCurrencies({ paymentCurrency: 'XXX', settlementCurrency: 'CNY' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AmsValidationError);
      expect(e).toBeInstanceOf(AmsError);
      const err = e as AmsValidationError;
      expect(err.fields).toEqual([F.pay, F.settle]);
      expect(err.issues.map((i) => i.code)).toEqual(['PAYMENT_CURRENCY_NOT_SUPPORTED', 'SETTLEMENT_LOCAL_CURRENCY_NOT_ALLOWED']);
    }
  });
});
