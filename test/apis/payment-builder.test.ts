// buildCashierPayment: valid bodies for every terminal type, every input error at once, and properties over the matrix.
import { formatIsoWithOffset } from '../../src/rules/time';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { payRequestIssues } from '../../src/api/pay';
import { AmsValidationError } from '../../src/errors';
import { parseGoodsInfo } from '../../src/rules';
import { ALIPAY_CN_PAYMENT_CURRENCIES, ALIPAY_CN_SETTLEMENT_CURRENCIES, checkCurrencies } from '../../src/index';
import { buildCashierPayment } from '../../src/api/payment-builder';
import type { CashierPaymentInput, CashierPaymentRequest } from '../../src/api/payment-input';
import type { PayRequest } from '../../src/schemas/pay';
import { rejects } from '../helpers/expect';

const NOW = new Date('2026-03-01T12:00:00.250Z');

const baseInput = {
  paymentRequestId: 'pay-0001',
  referenceOrderId: 'order-0001',
  description: 'Two T-shirts',
  amount: '19.99',
  currency: 'USD',
  settlementCurrency: 'USD',
  redirectUrl: 'https://shop.example/return',
} as const;
const base = baseInput;
const PENCIL = [{ name: 'pencil', quantity: 1 }];

// The builder's output type is assignable to the pay schema's input type.
const _assignable: (r: CashierPaymentRequest) => PayRequest = (r) => r;
void _assignable;

describe('buildCashierPayment: valid input', () => {
  it('builds the issue example (WEB, goods, notify, expiry)', () => {
    const req = buildCashierPayment(
      {
        ...base,
        goods: [{ name: 'T-shirt', quantity: 2 }],
        terminalType: 'WEB',
        notifyUrl: 'https://shop.example/notify',
        expiresInMinutes: 5,
      },
      { now: NOW },
    );
    expect(req).toEqual({
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: 'pay-0001',
      order: {
        referenceOrderId: 'order-0001',
        orderDescription: 'Two T-shirts',
        orderAmount: { currency: 'USD', value: '1999' },
        extendInfo: '{"chinaExtraTransInfo":{"businessType":"4","goodsInfo":"T-shirt^2","totalQuantity":"2"}}',
      },
      paymentAmount: { currency: 'USD', value: '1999' },
      paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
      paymentRedirectUrl: 'https://shop.example/return',
      paymentNotifyUrl: 'https://shop.example/notify',
      paymentExpiryTime: '2026-03-01T12:05:00+00:00',
      env: { terminalType: 'WEB' },
      settlementStrategy: { settlementCurrency: 'USD' },
    });
    expect(payRequestIssues(req, NOW)).toEqual([]);
    // orderAmount and paymentAmount agree, and are not the same object (mutating one leaves the other).
    expect(req.order.orderAmount).toEqual(req.paymentAmount);
    expect(req.order.orderAmount).not.toBe(req.paymentAmount);
  });

  it.each([
    ['WEB', undefined],
    ['WAP', undefined],
    ['WAP', 'ANDROID'],
    ['APP', 'IOS'],
    ['MINI_APP', 'ANDROID'],
  ] as const)('terminalType %s with osType %s', (terminalType, osType) => {
    const appId = terminalType === 'MINI_APP' ? { appId: 'mini-1' } : {};
    const input = { ...base, terminalType, ...(osType ? { osType } : {}), ...appId } as CashierPaymentInput;
    // An acquirer may leave chinaExtraTransInfo out.
    const req = buildCashierPayment(input, { integration: 'acquirer' });
    expect(req.env).toEqual(osType ? { terminalType, osType } : { terminalType });
    expect(req.appId).toBe(terminalType === 'MINI_APP' ? 'mini-1' : undefined);
    expect(req.order.extendInfo).toBeUndefined();
    expect(req.paymentExpiryTime).toBeUndefined();
    expect(payRequestIssues(req, NOW, { integration: 'acquirer' })).toEqual([]);
  });

  it('a MINI_APP payment names its mini program: without appId, or with one over 32 characters, nothing is built', () => {
    const fieldsOf = (input: unknown): string[] => {
      try {
        buildCashierPayment(input as CashierPaymentInput, { integration: 'acquirer' });
        return [];
      } catch (err) {
        return (err as AmsValidationError).fields;
      }
    };
    expect(fieldsOf({ ...base, terminalType: 'MINI_APP', osType: 'IOS' })).toEqual(['appId']);
    expect(fieldsOf({ ...base, terminalType: 'MINI_APP', osType: 'IOS', appId: 'a'.repeat(33) })).toEqual(['appId']);
    expect(fieldsOf({ ...base, terminalType: 'MINI_APP', osType: 'IOS', appId: 'a'.repeat(32) })).toEqual([]);
  });

  it('takes minor units, JPY, CNY paid / USD settled, a Decimal-free number and an offset for the expiry', () => {
    const base = { ...baseInput, goods: [{ name: 'pencil', quantity: 1 }] };
    expect(buildCashierPayment({ ...base, amount: { value: '1999' }, terminalType: 'WEB' }).paymentAmount).toEqual({
      currency: 'USD',
      value: '1999',
    });
    expect(buildCashierPayment({ ...base, amount: { value: 250n }, terminalType: 'WEB' }).paymentAmount.value).toBe('250');
    expect(
      buildCashierPayment({ ...base, amount: 500, currency: 'JPY', settlementCurrency: 'JPY', terminalType: 'WEB' }).paymentAmount,
    ).toEqual({ currency: 'JPY', value: '500' });
    const cny = buildCashierPayment({ ...base, amount: '88.8', currency: 'CNY', contractSettlementCurrency: 'USD', terminalType: 'WAP' });
    expect(cny.paymentAmount).toEqual({ currency: 'CNY', value: '8880' });
    expect(cny.settlementStrategy).toEqual({ settlementCurrency: 'USD' });
    expect(cny).not.toHaveProperty('contractSettlementCurrency');
    const tz = buildCashierPayment({ ...base, terminalType: 'WEB', expiresInMinutes: 9 }, { now: NOW.getTime(), utcOffsetMinutes: 480 });
    expect(tz.paymentExpiryTime).toBe('2026-03-01T20:09:00+08:00');
    expect(payRequestIssues(tz, NOW)).toEqual([]);
  });

  it('accepts any chinaExtraTransInfo builder input (hotel, by name)', () => {
    const req = buildCashierPayment({
      ...base,
      terminalType: 'WEB',
      chinaExtraTransInfo: { businessType: 'HOTEL', hotelName: 'Grand', checkinTime: '2026-04-01', checkoutTime: '2026-04-03' },
    });
    expect(JSON.parse(req.order.extendInfo!)).toEqual({
      chinaExtraTransInfo: { businessType: '1', hotelName: 'Grand', checkinTime: '2026-04-01', checkoutTime: '2026-04-03' },
    });
    expect(payRequestIssues(req, NOW)).toEqual([]);
  });
});

describe('buildCashierPayment: every problem at once', () => {
  it('reports all invalid fields in one AmsValidationError', () => {
    const err = rejects(() =>
      buildCashierPayment(
        {
          paymentRequestId: 'x'.repeat(65),
          referenceOrderId: '',
          description: 'ok',
          amount: '19.999',
          currency: 'USD',
          settlementCurrency: 'CNY',
          contractSettlementCurrency: 'EUR',
          goods: [{ name: 'a^b', quantity: 0 }],
          terminalType: 'APP',
          redirectUrl: 'not a url',
          notifyUrl: 'ftp://x',
          expiresInMinutes: 10,
          colour: 'red',
        } as unknown as CashierPaymentInput,
        { now: NOW },
      ),
    );
    expect(err.fields).toEqual(
      expect.arrayContaining([
        'colour',
        'paymentRequestId',
        'referenceOrderId',
        'settlementCurrency',
        'amount',
        'osType',
        'redirectUrl',
        'notifyUrl',
        'expiresInMinutes',
        'goods[0].name',
        'goods[0].quantity',
      ]),
    );
    expect(err.message).toMatch(/^Invalid cashier payment: /);
    expect(err.issues.find((i) => i.field === 'settlementCurrency')?.message).toMatch(/CNY is not allowed/);
  });

  it('names currency errors on the input fields and does not convert an amount in an unknown currency', () => {
    const err = rejects(() =>
      buildCashierPayment({ ...base, goods: PENCIL, currency: 'usd', settlementCurrency: 'USD', terminalType: 'WEB' }),
    );
    expect(err.fields).toEqual(['currency']);
    const pair = rejects(() =>
      buildCashierPayment({ ...base, goods: PENCIL, currency: 'EUR', settlementCurrency: 'USD', terminalType: 'WEB' }),
    );
    expect(pair.issues.map((i) => i.code)).toEqual(['SETTLEMENT_MUST_EQUAL_PAYMENT']);
    expect(pair.fields).toEqual(['settlementCurrency']);
  });

  it('requires the clock for an expiry, osType only with apps, and one of goods / chinaExtraTransInfo', () => {
    expect(
      rejects(() => buildCashierPayment({ ...base, goods: PENCIL, terminalType: 'WEB', expiresInMinutes: 5 })).issues[0],
    ).toMatchObject({ field: 'expiresInMinutes', code: 'clock_required' });
    expect(
      rejects(() => buildCashierPayment({ ...base, goods: PENCIL, terminalType: 'WEB', osType: 'IOS' } as unknown as CashierPaymentInput))
        .fields,
    ).toEqual(['osType']);
    expect(
      rejects(() => buildCashierPayment({ ...base, goods: PENCIL, terminalType: 'web' } as unknown as CashierPaymentInput)).message,
    ).toMatch(/did you mean "WEB"/);
    expect(
      rejects(() =>
        buildCashierPayment({
          ...base,
          terminalType: 'WEB',
          goods: [{ name: 'a', quantity: 1 }],
          chinaExtraTransInfo: { businessType: '5', otherBusinessType: 'x' },
        } as unknown as CashierPaymentInput),
      ).fields,
    ).toEqual(['goods']);
    expect(rejects(() => buildCashierPayment({ ...base, terminalType: 'WEB', goods: [] })).fields).toEqual(['goods']);
    expect(
      rejects(() =>
        buildCashierPayment({ ...base, terminalType: 'WEB', chinaExtraTransInfo: { businessType: '2', flightNumber: 'CA981' } as never }),
      ).fields,
    ).toEqual(['chinaExtraTransInfo.departureTime']);
  });

  it('rejects a minor-unit amount with a decimal point or extra keys, and a non-object input', () => {
    expect(rejects(() => buildCashierPayment({ ...base, goods: PENCIL, amount: { value: '19.99' }, terminalType: 'WEB' })).fields).toEqual([
      'amount.value',
    ]);
    expect(
      rejects(() => buildCashierPayment({ ...base, goods: PENCIL, amount: { value: '1', currency: 'USD' } as never, terminalType: 'WEB' }))
        .fields,
    ).toEqual(['amount.currency']);
    expect(rejects(() => buildCashierPayment(null as never)).message).toMatch(/must be an object/);
  });
});

describe('formatIsoWithOffset', () => {
  it('matches toISOString to the second, for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_000 }), (ms) => {
        expect(formatIsoWithOffset(ms)).toBe(new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00'));
      }),
    );
  });
});

describe('buildCashierPayment: properties', () => {
  const settlement = fc.constantFrom(...ALIPAY_CN_SETTLEMENT_CURRENCIES);
  const pair = settlement.chain((s) => fc.tuple(fc.constantFrom(s, 'CNY'), fc.constant(s)));
  const goodsName = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '' && !/[\^|\u0000-\u001f\u007f-\u009f]/.test(s));
  const terminal = fc.oneof(
    fc.constant({ terminalType: 'WEB' as const }),
    fc.record({ terminalType: fc.constant('WAP' as const) }),
    fc.record({ terminalType: fc.constant('APP' as const), osType: fc.constantFrom('IOS' as const, 'ANDROID' as const) }),
    fc.record({
      terminalType: fc.constant('MINI_APP' as const),
      osType: fc.constantFrom('IOS' as const, 'ANDROID' as const),
      appId: fc.string({ minLength: 1, maxLength: 32 }).filter((s) => s.trim() !== '' && !/[\u0000-\u001f\u007f-\u009f]/.test(s)),
    }),
  );
  const idText = fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim() !== '' && !/[\u0000-\u001f\u007f-\u009f]/.test(s));

  it('every built request passes the pay schema, the rules and the currency check', () => {
    fc.assert(
      fc.property(
        pair,
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.boolean(),
        fc.option(fc.array(fc.record({ name: goodsName, quantity: fc.integer({ min: 1, max: 999 }) }), { minLength: 1, maxLength: 5 }), {
          nil: undefined,
        }),
        terminal,
        fc.option(
          fc.integer({ min: 1, max: 599 }).map((s) => s / 60),
          { nil: undefined },
        ),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        idText,
        idText,
        ([currency, settlementCurrency], minor, asMajor, goods, env, expiresInMinutes, nowMs, paymentRequestId, referenceOrderId) => {
          const exp = currency === 'JPY' ? 0 : 2;
          const digits = minor.toString();
          const major = exp === 0 ? digits : `${digits.padStart(exp + 1, '0').slice(0, -exp)}.${digits.padStart(exp + 1, '0').slice(-exp)}`;
          const now = new Date(nowMs);
          const input = {
            paymentRequestId,
            referenceOrderId,
            description: 'Goods',
            amount: asMajor ? major : { value: digits },
            currency,
            settlementCurrency,
            contractSettlementCurrency: settlementCurrency,
            redirectUrl: 'https://shop.example/r?x=1',
            ...(goods ? { goods } : {}),
            ...env,
            ...(expiresInMinutes !== undefined ? { expiresInMinutes } : {}),
          } as CashierPaymentInput;
          const integration = goods ? 'direct' : 'acquirer';
          const req = buildCashierPayment(input, { now, integration });
          expect(payRequestIssues(req, now, { integration })).toEqual([]);
          expect(
            checkCurrencies({ paymentCurrency: req.paymentAmount.currency, settlementCurrency: req.settlementStrategy.settlementCurrency })
              .ok,
          ).toBe(true);
          expect(req.paymentAmount).toEqual(req.order.orderAmount);
          expect(req.paymentAmount.value).toBe(digits);
          if (goods) {
            const info = (JSON.parse(req.order.extendInfo!) as { chinaExtraTransInfo: { goodsInfo: string; totalQuantity: string } })
              .chinaExtraTransInfo;
            expect(parseGoodsInfo(info.goodsInfo)).toEqual(goods);
            expect(info.totalQuantity).toBe(String(goods.reduce((a, g) => a + g.quantity, 0)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every payment currency outside the pair rules is refused, never built', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALIPAY_CN_PAYMENT_CURRENCIES),
        fc.constantFrom(...ALIPAY_CN_PAYMENT_CURRENCIES, 'XYZ', 'usd'),
        (currency, settlementCurrency) => {
          const ok = checkCurrencies({ paymentCurrency: currency, settlementCurrency }).ok;
          const build = () =>
            buildCashierPayment({
              ...base,
              amount: '1',
              currency,
              settlementCurrency,
              terminalType: 'WEB',
              goods: [{ name: 'pencil', quantity: 1 }],
            });
          if (ok) expect(payRequestIssues(build(), NOW)).toEqual([]);
          else expect(build).toThrow(AmsValidationError);
        },
      ),
    );
  });
});

describe('buildCashierPayment: direct or acquirer, and extendInfo in both forms', () => {
  const input = { ...baseInput, terminalType: 'WEB' as const };
  it('a direct merchant (the default) must give goods, chinaExtraTransInfo or extendInfo; an acquirer need not', () => {
    const e = rejects(() => buildCashierPayment(input));
    expect(e.issues).toEqual([
      expect.objectContaining({ field: 'goods', code: 'required', source: expect.stringContaining('directly integrated') }),
    ]);
    expect(buildCashierPayment(input, { integration: 'acquirer' }).order.extendInfo).toBeUndefined();
  });

  it('extendInfo as the guide string or as its object: validated field by field, sent as the string', () => {
    const seed =
      '{"chinaExtraTransInfo":{"totalQuantity":"2","businessType":"4","goodsInfo":"Macbook 12 inch M3 8G 256G SSD^1|Apple iPad Pro 11 inch^1"}}';
    expect(buildCashierPayment({ ...input, extendInfo: seed }).order.extendInfo).toBe(seed);
    const object = JSON.parse(seed) as Record<string, unknown>;
    const built = buildCashierPayment({ ...input, extendInfo: object });
    expect(built.order.extendInfo).toBe(JSON.stringify(object));
    expect(payRequestIssues(built, NOW)).toEqual([]);
    const bad = rejects(() =>
      buildCashierPayment({ ...input, extendInfo: { chinaExtraTransInfo: { businessType: '4', goodsInfo: 'a^1', totalQuantity: '5' } } }),
    );
    expect(bad.fields).toEqual(['extendInfo.chinaExtraTransInfo.totalQuantity']);
    expect(rejects(() => buildCashierPayment({ ...input, extendInfo: { other: 1 } })).fields).toEqual(['extendInfo.chinaExtraTransInfo']);
    expect(buildCashierPayment({ ...input, extendInfo: { other: 1 } }, { integration: 'acquirer' }).order.extendInfo).toBe('{"other":1}');
    expect(rejects(() => buildCashierPayment({ ...input, extendInfo: seed, goods: PENCIL } as never)).issues[0]).toMatchObject({
      code: 'conflict',
    });
  });
});

describe('buildCashierPayment: the pay validation speaks in the builder input terms', () => {
  it("a currency problem is the pay validation's, with its code, on the builder field", () => {
    const unknown = rejects(() => buildCashierPayment({ ...base, goods: PENCIL, currency: 'XYZ', terminalType: 'WEB' }));
    expect(unknown.fields).toEqual(['currency']);
    expect(unknown.issues[0]).toMatchObject({ code: 'PAYMENT_CURRENCY_NOT_SUPPORTED' });
    // The same answer pay() gives for a malformed code: the schema's, on the builder's field.
    const lower = rejects(() => buildCashierPayment({ ...base, goods: PENCIL, currency: 'usd', terminalType: 'WEB' }));
    expect(lower.fields).toEqual(['currency']);
    expect(lower.issues[0]!.message).toMatch(/3-letter upper-case ISO 4217 code/);
  });

  it('a direct merchant without chinaExtraTransInfo is told which builder input to give', () => {
    const none = rejects(() => buildCashierPayment({ ...base, terminalType: 'WEB' }));
    expect(none.issues).toEqual([
      expect.objectContaining({ field: 'goods', code: 'required', message: expect.stringContaining('give goods') }),
    ]);
    expect(none.message).not.toContain('order.extendInfo =');
    const empty = rejects(() => buildCashierPayment({ ...base, terminalType: 'WEB', extendInfo: '{}' }));
    expect(empty.issues).toEqual([
      expect.objectContaining({
        field: 'extendInfo.chinaExtraTransInfo',
        message: expect.stringContaining('put chinaExtraTransInfo in extendInfo'),
      }),
    ]);
  });

  it('a clock no Date can hold is an AmsValidationError on options.now, never a RangeError', () => {
    for (const now of [1e16, -1e16, 8.64e15]) {
      const e = rejects(() => buildCashierPayment({ ...base, goods: PENCIL, terminalType: 'WEB', expiresInMinutes: 5 }, { now }));
      expect(e.issues).toEqual([expect.objectContaining({ field: 'options.now', code: 'invalid_date' })]);
    }
  });

  it('an unknown option or input field is refused with the name it was probably meant to be, as every options object', () => {
    const input = { ...base, goods: PENCIL, terminalType: 'WEB' } as const;
    const typo = rejects(() => buildCashierPayment(input, { intergration: 'acquirer' } as never));
    expect(typo.message).toContain('Invalid buildCashierPayment options');
    expect(typo.issues).toEqual([
      expect.objectContaining({
        field: 'intergration',
        code: 'unknown_option',
        message: expect.stringContaining('did you mean "integration"?') as unknown,
      }),
    ]);
    const bad = rejects(() => buildCashierPayment(input, { integration: 'isv' } as never));
    expect(bad.issues).toEqual([expect.objectContaining({ field: 'integration', message: 'must be "direct" or "acquirer"' })]);
    const field = rejects(() => buildCashierPayment({ ...input, paymentRequestID: 'x' } as never));
    expect(field.issues).toEqual([
      expect.objectContaining({
        field: 'paymentRequestID',
        message: expect.stringContaining('did you mean "paymentRequestId"?') as unknown,
      }),
    ]);
  });

  it('an expiry with a long fraction is still held to the 10-minute rule', () => {
    const request = {
      ...buildCashierPayment({ ...base, goods: PENCIL, terminalType: 'WEB' }),
      paymentExpiryTime: '2099-01-01T00:00:00.1234567891+08:00',
    };
    expect(payRequestIssues(request, NOW).map((i) => i.code)).toEqual(['too_late']);
  });
});
