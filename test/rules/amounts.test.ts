// Amount conversion tests: exact round trips as properties, and every rejection with the field it reports.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { AmsValidationError } from '../../src/errors';
import { CURRENCY_EXPONENTS, currencyExponent, isMinorUnitValue, toAmount } from '../../src/rules';
import { ALIPAY_CN_PAYMENT_CURRENCIES, fromMinorUnits, toMinorUnits } from '../../src/index';
import { rejects } from '../helpers/expect';

const CURRENCIES = Object.keys(CURRENCY_EXPONENTS);

/** A canonical major-unit string: no leading zeros, exactly the currency's decimals, not zero. */
const canonicalMajor = fc.tuple(fc.constantFrom(...CURRENCIES), fc.bigInt({ min: 1n, max: 10n ** 30n })).map(([currency, minor]) => {
  const e = CURRENCY_EXPONENTS[currency] ?? 0;
  const digits = minor.toString().padStart(e + 1, '0');
  const major = e === 0 ? digits : `${digits.slice(0, -e)}.${digits.slice(-e)}`;
  return { currency, major, minor: minor.toString() };
});

describe('CURRENCY_EXPONENTS', () => {
  it('covers the AlipayCN matrix with ISO 4217 exponents', () => {
    for (const c of ALIPAY_CN_PAYMENT_CURRENCIES) expect(CURRENCY_EXPONENTS[c]).toBe(c === 'JPY' ? 0 : 2);
    expect(CURRENCY_EXPONENTS.KRW).toBe(0);
    expect(CURRENCY_EXPONENTS.KWD).toBe(3);
    expect(Object.isFrozen(CURRENCY_EXPONENTS)).toBe(true);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('toString')).toBeUndefined();
    expect(currencyExponent('usd')).toBeUndefined();
  });
});

describe('toMinorUnits / fromMinorUnits round trips', () => {
  it('examples', () => {
    expect(toMinorUnits('19.99', 'USD')).toBe('1999');
    expect(toMinorUnits('19.9', 'USD')).toBe('1990');
    expect(toMinorUnits('19', 'USD')).toBe('1900');
    expect(toMinorUnits('0.05', 'USD')).toBe('5');
    expect(toMinorUnits('500', 'JPY')).toBe('500');
    expect(toMinorUnits(500, 'JPY')).toBe('500');
    expect(toMinorUnits(19.99, 'USD')).toBe('1999');
    expect(toMinorUnits(0.1, 'USD')).toBe('10');
    expect(toMinorUnits(new Decimal('19.99'), 'EUR')).toBe('1999');
    expect(toMinorUnits(new Decimal('1.230'), 'KWD')).toBe('1230');
    expect(toMinorUnits('007.50', 'USD')).toBe('750');
    expect(toMinorUnits('123456789012345678901234567890.12', 'USD')).toBe('12345678901234567890123456789012');
    expect(fromMinorUnits('1999', 'USD')).toBe('19.99');
    expect(fromMinorUnits('1990', 'USD')).toBe('19.90');
    expect(fromMinorUnits('5', 'USD')).toBe('0.05');
    expect(fromMinorUnits('500', 'JPY')).toBe('500');
    expect(fromMinorUnits(1999, 'USD')).toBe('19.99');
    expect(fromMinorUnits(1n, 'BHD')).toBe('0.001');
    expect(fromMinorUnits(10n ** 40n, 'USD')).toBe(`1${'0'.repeat(38)}.00`);
  });

  it('fromMinorUnits(toMinorUnits(x)) == x for canonical amounts', () => {
    fc.assert(
      fc.property(canonicalMajor, ({ currency, major, minor }) => {
        const m = toMinorUnits(major, currency);
        expect(m).toBe(minor);
        expect(isMinorUnitValue(m)).toBe(true);
        expect(fromMinorUnits(m, currency)).toBe(major);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the value for shorter fractions, Decimals and leading zeros', () => {
    const arb = fc.tuple(
      fc.constantFrom(...CURRENCIES),
      fc.bigInt({ min: 0n, max: 10n ** 20n }),
      fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 3 }),
      fc.nat({ max: 3 }),
    );
    fc.assert(
      fc.property(arb, ([currency, whole, rawFraction, zeros]) => {
        const e = CURRENCY_EXPONENTS[currency] ?? 0;
        const fraction = rawFraction.slice(0, e);
        const x = `${'0'.repeat(zeros)}${whole}${fraction ? `.${fraction}` : ''}`;
        fc.pre(!new Decimal(x).isZero());
        const back = fromMinorUnits(toMinorUnits(x, currency), currency);
        expect(new Decimal(back).equals(new Decimal(x))).toBe(true);
        expect(back).not.toMatch(/e/i);
        expect(toMinorUnits(new Decimal(x), currency)).toBe(toMinorUnits(x, currency));
      }),
      { numRuns: 500 },
    );
  });

  it('reads numbers with at most two decimals exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 13 - 1 }), (cents) => {
        expect(toMinorUnits(cents / 100, 'USD')).toBe(String(cents));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(toMinorUnits(n, 'JPY')).toBe(String(n));
        expect(toMinorUnits(n, 'USD')).toBe(`${n}00`);
      }),
    );
  });

  it('toAmount builds { currency, value }', () => {
    expect(toAmount('19.99', 'USD')).toEqual({ currency: 'USD', value: '1999' });
    expect(toAmount(500, 'JPY')).toEqual({ currency: 'JPY', value: '500' });
    const e = rejects(() => toAmount('0', 'USD', { field: 'paymentAmount.value', currencyField: 'paymentAmount.currency' }));
    expect(e.fields).toEqual(['paymentAmount.value']);
    expect(toAmount('0', 'USD', { allowZero: true })).toEqual({ currency: 'USD', value: '0' });
  });
});

describe('toMinorUnits rejections', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['too many decimals', '19.999', 'USD', /"19\.999" has 3 decimals but USD has only 2/],
    ['trailing zeros beyond the exponent', '19.990', 'USD', /has 3 decimals/],
    ['JPY decimals', '1.000', 'JPY', /JPY has no minor unit/],
    ['JPY single decimal', '500.5', 'JPY', /has a decimal but JPY/],
    ['negative string', '-5.00', 'USD', /negative/],
    ['negative number', -5, 'USD', /negative/],
    ['negative Decimal', new Decimal(-1), 'USD', /negative/],
    ['zero string', '0', 'USD', /greater than zero/],
    ['zero with decimals', '0.00', 'USD', /greater than zero/],
    ['zero number', 0, 'USD', /greater than zero/],
    ['negative zero', -0, 'USD', /greater than zero/],
    ['zero Decimal', new Decimal(0), 'USD', /greater than zero/],
    ['NaN', Number.NaN, 'USD', /NaN/],
    ['NaN string', 'NaN', 'USD', /not a number/],
    ['NaN Decimal', new Decimal(Number.NaN), 'USD', /NaN/],
    ['Infinity', Number.POSITIVE_INFINITY, 'USD', /finite/],
    ['Infinity Decimal', new Decimal(Number.POSITIVE_INFINITY), 'USD', /finite/],
    ['exponent string', '1e3', 'USD', /exponent notation/],
    ['exponent string upper', '1.5E+2', 'USD', /exponent notation/],
    ['empty', '', 'USD', /empty/],
    ['whitespace', '   ', 'USD', /empty/],
    ['padded', ' 19.99', 'USD', /spaces/],
    ['leading plus', '+19.99', 'USD', /leading "\+"/],
    ['thousands separator', '1,000.00', 'USD', /plain decimal/],
    ['bare dot', '.5', 'USD', /plain decimal/],
    ['trailing dot', '5.', 'USD', /plain decimal/],
    ['words', 'ten', 'USD', /plain decimal/],
    ['0.1 + 0.2', 0.1 + 0.2, 'USD', /cannot be represented exactly/],
    ['1e21', 1e21, 'USD', /MAX_SAFE_INTEGER/],
    ['2^53', 2 ** 53, 'JPY', /MAX_SAFE_INTEGER/],
    ['tiny number', 1e-7, 'USD', /no exact plain decimal form/],
    ['number with too many decimals', 19.999, 'USD', /3 decimals/],
    ['Decimal with too many decimals', new Decimal('1e-7'), 'USD', /7 decimals/],
    ['null', null, 'USD', /string, number or Decimal/],
    ['bigint', 5n, 'USD', /string, number or Decimal/],
    ['object', { value: '1' }, 'USD', /string, number or Decimal/],
  ];
  for (const [name, amount, currency, message] of cases) {
    it(`rejects ${name}`, () => {
      const e = rejects(() => toMinorUnits(amount as string, currency));
      expect(e.issues).toHaveLength(1);
      expect(e.issues[0]?.field).toBe('amount');
      expect(e.issues[0]?.message).toMatch(message);
      expect(e.message).toMatch(/^Invalid amount: amount: /);
    });
  }

  it('reports on the caller-given field', () => {
    const e = rejects(() => toMinorUnits('19.999', 'USD', { field: 'order.orderAmount.value' }));
    expect(e.fields).toEqual(['order.orderAmount.value']);
  });

  it('rejects unknown currencies on the currency field, together with amount problems', () => {
    for (const c of ['XYZ', 'usd', '', 'toString', '__proto__']) {
      const e = rejects(() => toMinorUnits('1.00', c));
      expect(e.fields).toEqual(['currency']);
    }
    expect(rejects(() => toMinorUnits('1', 'usd')).issues[0]?.message).toContain('did you mean "USD"?');
    const both = rejects(() => toMinorUnits('-1', 'XYZ', { currencyField: 'paymentAmount.currency', field: 'paymentAmount.value' }));
    expect(both.fields).toEqual(['paymentAmount.currency', 'paymentAmount.value']);
  });

  it('allows zero only when asked', () => {
    expect(toMinorUnits('0', 'USD', { allowZero: true })).toBe('0');
    expect(rejects(() => toMinorUnits('1', 'USD', null as never)).fields).toEqual(['options']);
    expect(toMinorUnits('0.00', 'USD', { allowZero: true })).toBe('0');
    expect(toMinorUnits(-0, 'JPY', { allowZero: true })).toBe('0');
    // allowZero does not allow negatives.
    expect(rejects(() => toMinorUnits('-1', 'USD', { allowZero: true })).fields).toEqual(['amount']);
  });
});

describe('fromMinorUnits rejections and isMinorUnitValue', () => {
  const bad: [unknown, RegExp][] = [
    ['0', /zero/],
    [0, /zero/],
    [0n, /zero/],
    ['', /empty/],
    ['0100', /leading zeros/],
    ['-5', /negative/],
    [-5, /negative/],
    [-5n, /negative/],
    ['19.99', /decimal point/],
    [19.99, /safe integer/],
    [2 ** 53, /safe integer/],
    [Number.NaN, /safe integer/],
    ['1e5', /not a minor-unit value/],
    [' 5', /not a minor-unit value/],
    ['+5', /not a minor-unit value/],
    [null, /string, number or bigint/],
  ];
  for (const [value, message] of bad) {
    it(`rejects ${typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value))}`, () => {
      const e = rejects(() => fromMinorUnits(value as string, 'USD'));
      expect(e.fields).toEqual(['value']);
      expect(e.issues[0]?.message).toMatch(message);
    });
  }

  it('accepts zero with allowZero and names caller fields', () => {
    expect(fromMinorUnits('0', 'USD', { allowZero: true })).toBe('0.00');
    expect(fromMinorUnits(0n, 'JPY', { allowZero: true })).toBe('0');
    const e = rejects(() => fromMinorUnits('abc', 'ZZZ', { field: 'paymentAmount.value', currencyField: 'paymentAmount.currency' }));
    expect(e.fields).toEqual(['paymentAmount.currency', 'paymentAmount.value']);
  });

  it('isMinorUnitValue accepts only positive integer strings', () => {
    for (const ok of ['1', '1999', '10', '9007199254740993123']) expect(isMinorUnitValue(ok)).toBe(true);
    for (const no of ['0', '01', '', ' 1', '1.0', '-1', '+1', '1e3', 1999, 1n, null, undefined]) expect(isMinorUnitValue(no)).toBe(false);
    fc.assert(fc.property(fc.bigInt({ min: 1n }), (n) => isMinorUnitValue(n.toString())));
  });

  it('output always has exactly the exponent decimals and no exponent notation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CURRENCIES), fc.bigInt({ min: 1n, max: 10n ** 40n }), (currency, n) => {
        const out = fromMinorUnits(n, currency);
        const e = CURRENCY_EXPONENTS[currency] ?? 0;
        expect(out).toMatch(e === 0 ? /^[1-9][0-9]*$/ : new RegExp(`^(0|[1-9][0-9]*)\\.[0-9]{${e}}$`));
      }),
    );
  });

  it('a Decimal too large or too fine to be an amount is refused at once, with a short message', () => {
    for (const v of ['1e100000000', '1e-100000000', '1234567890123456789012345678901', `0.${'1'.repeat(31)}`]) {
      const started = Date.now();
      const err = (() => {
        try {
          toMinorUnits(new Decimal(v), 'USD');
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(AmsValidationError);
      expect((err as Error).message).toMatch(/at most 30 digits before and after the decimal point/);
      expect((err as Error).message.length).toBeLessThan(200);
      expect(Date.now() - started).toBeLessThan(1000);
    }
    expect(toMinorUnits(new Decimal('123456789012345678901234567890'), 'JPY')).toBe('123456789012345678901234567890');
  });
});

describe('amount options', () => {
  it('an option toMinorUnits and fromMinorUnits do not take is refused, never ignored', () => {
    const to = rejects(() => toMinorUnits('0', 'USD', { allowzero: true } as never));
    expect(to.message).toContain('Invalid toMinorUnits options');
    expect(to.issues).toEqual([
      { field: 'allowzero', code: 'unknown_option', message: 'unknown option "allowzero" (did you mean "allowZero"?)' },
    ]);
    const from = rejects(() => fromMinorUnits('0', 'USD', { allowZero: true, fields: 'x' } as never));
    expect(from.issues).toEqual([
      expect.objectContaining({ field: 'fields', message: expect.stringContaining('did you mean "field"?') as unknown }),
    ]);
    expect(toMinorUnits('0', 'USD', { allowZero: true })).toBe('0');
    expect(rejects(() => toMinorUnits('1', 'USD', null as never)).fields).toEqual(['options']);
  });
});
