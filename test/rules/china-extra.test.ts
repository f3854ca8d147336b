// chinaExtraTransInfo / extendInfo tests: every businessType, goodsInfo round trips, and errors that name the item.
import { describe, it, expect, expectTypeOf } from 'vitest';
import fc from 'fast-check';
import {
  CHINA_BUSINESS_TYPES,
  checkExtendInfo,
  normalizeBusinessType,
  parseGoodsInfo,
  type HotelInfo,
  type TradeInfo,
} from '../../src/rules';
import { buildChinaExtraTransInfo, buildExtendInfo, type ChinaExtraTransInfo } from '../../src/index';
import { AmsValidationError } from '../../src/errors';
import { rejects } from '../helpers/expect';

const hotel = { hotelName: 'Grand Hyatt', checkinTime: '2025-06-01T14:00:00+08:00', checkoutTime: '2025-06-03T12:00:00+08:00' };
const air = { flightNumber: 'CA981', departureTime: '2025-06-01T13:00:00+08:00' };
const study = { admissionNoticeUrl: 'https://example.edu/admission/123.pdf' };
const other = { otherBusinessType: 'Concert tickets' };

// An independent reading of goodsInfo, written from the protocol text.
function parseBack(goodsInfo: string): { name: string; quantity: number }[] {
  return goodsInfo.split('|').map((item) => {
    const [name, qty, ...rest] = item.split('^');
    expect(rest).toEqual([]);
    return { name: name ?? '', quantity: Number(qty) };
  });
}

const goodName = fc
  .string({ minLength: 1, maxLength: 20, unit: 'grapheme' })
  .filter((s) => s.trim() !== '' && !/[\^|\u0000-\u001f\u007f-\u009f]/.test(s));
const goodsList = fc.array(fc.record({ name: goodName, quantity: fc.integer({ min: 1, max: 1_000_000 }) }), {
  minLength: 1,
  maxLength: 12,
});

describe('buildChinaExtraTransInfo: each businessType', () => {
  it('hotel, air ticket, study abroad, other: codes and names', () => {
    expect(buildChinaExtraTransInfo({ businessType: '1', ...hotel })).toEqual({ businessType: '1', ...hotel });
    expect(buildChinaExtraTransInfo({ businessType: 'HOTEL', ...hotel })).toEqual({ businessType: '1', ...hotel });
    expect(buildChinaExtraTransInfo({ businessType: 'air_ticket', ...air })).toEqual({ businessType: '2', ...air });
    expect(buildChinaExtraTransInfo({ businessType: 'AIR', ...air })).toEqual({ businessType: '2', ...air });
    expect(buildChinaExtraTransInfo({ businessType: '3', ...study })).toEqual({ businessType: '3', ...study });
    expect(buildChinaExtraTransInfo({ businessType: 'study_abroad', ...study })).toEqual({ businessType: '3', ...study });
    expect(buildChinaExtraTransInfo({ businessType: 'OTHER', ...other })).toEqual({ businessType: '5', ...other });
    expect(buildChinaExtraTransInfo({ businessType: '5', ...other })).toEqual({ businessType: '5', ...other });
  });

  it('writes fields in protocol order, businessType first', () => {
    const out = buildChinaExtraTransInfo({ checkoutTime: 'b', checkinTime: 'a', hotelName: 'H', businessType: 'hotel' });
    expect(Object.keys(out)).toEqual(['businessType', 'hotelName', 'checkinTime', 'checkoutTime']);
  });

  it('accepts names in any case and with - or space', () => {
    const table: [unknown, string | undefined][] = [
      ['TRADE', '4'],
      ['trade', '4'],
      ['Trade', '4'],
      ['goods', '4'],
      ['Air-Ticket', '2'],
      ['air ticket', '2'],
      ['Study Abroad', '3'],
      ['flight', '2'],
      ['hotel', '1'],
      ['4', '4'],
      ['6', undefined],
      ['0', undefined],
      ['', undefined],
      [4, undefined],
      ['toString', undefined],
      ['__proto__', undefined],
      [' 4', undefined],
    ];
    for (const [v, code] of table) expect(normalizeBusinessType(v), String(v)).toBe(code);
    expect(CHINA_BUSINESS_TYPES).toEqual({ HOTEL: '1', AIR_TICKET: '2', STUDY_ABROAD: '3', TRADE: '4', OTHER: '5' });
    expect(Object.isFrozen(CHINA_BUSINESS_TYPES)).toBe(true);
  });

  it('trade: the cashier guide example', () => {
    const out = buildChinaExtraTransInfo({
      businessType: 'TRADE',
      goods: [
        { name: 'pencil', quantity: 2 },
        { name: 'eraser', quantity: '5' },
        { name: 'iPhone XS 256G', quantity: 1 },
      ],
    });
    expect(out).toEqual({ businessType: '4', goodsInfo: 'pencil^2|eraser^5|iPhone XS 256G^1', totalQuantity: '8' });
  });

  it('trade: accepts a built goodsInfo with a matching totalQuantity', () => {
    expect(buildChinaExtraTransInfo({ businessType: '4', goodsInfo: 'pencil^2|eraser^5', totalQuantity: 7 })).toEqual({
      businessType: '4',
      goodsInfo: 'pencil^2|eraser^5',
      totalQuantity: '7',
    });
    const e = rejects(() => buildChinaExtraTransInfo({ businessType: '4', goodsInfo: 'pencil^2|eraser^5', totalQuantity: '8' }));
    expect(e.issues).toEqual([{ field: 'totalQuantity', message: 'is 8 but the quantities in goodsInfo add up to 7' }]);
    // With goods, totalQuantity is optional but checked when given.
    expect(
      rejects(() => buildChinaExtraTransInfo({ businessType: '4', goods: [{ name: 'a', quantity: 2 }], totalQuantity: 3 })).fields,
    ).toEqual(['totalQuantity']);
  });

  it('output values are all strings, and an already-built object passes through unchanged', () => {
    const inputs = [
      { businessType: '1', ...hotel },
      { businessType: 'air', ...air },
      { businessType: 'study', ...study },
      { businessType: 'trade', goods: [{ name: 'x', quantity: 3 }] },
      { businessType: 'other', ...other },
    ] as const;
    for (const input of inputs) {
      const out = buildChinaExtraTransInfo(input);
      for (const v of Object.values(out)) expect(typeof v).toBe('string');
      expect(buildChinaExtraTransInfo(out as ChinaExtraTransInfo & { businessType: '1' })).toEqual(out);
    }
  });

  it('is typed by businessType', () => {
    expectTypeOf(buildChinaExtraTransInfo({ businessType: 'TRADE', goods: [{ name: 'a', quantity: 1 }] })).toEqualTypeOf<TradeInfo>();
    expectTypeOf(buildChinaExtraTransInfo({ businessType: 'hotel', ...hotel })).toEqualTypeOf<HotelInfo>();
    // @ts-expect-error checkoutTime is required for a hotel
    expect(() => buildChinaExtraTransInfo({ businessType: '1', hotelName: 'H', checkinTime: 'a' })).toThrow(AmsValidationError);
    // @ts-expect-error a trade takes goods or goodsInfo, not hotel fields
    expect(() => buildChinaExtraTransInfo({ businessType: '4', hotelName: 'H' })).toThrow(AmsValidationError);
  });
});

describe('goodsInfo properties', () => {
  it('round-trips: parsing goodsInfo gives back the goods, and totalQuantity is the sum', () => {
    fc.assert(
      fc.property(goodsList, (goods) => {
        const out = buildChinaExtraTransInfo({ businessType: 'TRADE', goods });
        expect(parseBack(out.goodsInfo)).toEqual(goods);
        expect(parseGoodsInfo(out.goodsInfo)).toEqual(goods);
        expect(out.totalQuantity).toBe(String(goods.reduce((s, g) => s + g.quantity, 0)));
        expect(out.totalQuantity).toMatch(/^[1-9][0-9]*$/);
        // The wire check accepts what the builder produced, and the builder accepts it back unchanged.
        expect(checkExtendInfo(buildExtendInfo({ chinaExtraTransInfo: out }))).toEqual([]);
        expect(buildChinaExtraTransInfo(out)).toEqual(out);
      }),
      { numRuns: 300 },
    );
  });

  it('detects any totalQuantity that is not the sum', () => {
    fc.assert(
      fc.property(goodsList, fc.integer({ min: 1, max: 10_000_000 }), (goods, total) => {
        const sum = goods.reduce((s, g) => s + g.quantity, 0);
        fc.pre(total !== sum);
        const { goodsInfo } = buildChinaExtraTransInfo({ businessType: '4', goods });
        const extend = JSON.stringify({ chinaExtraTransInfo: { businessType: '4', goodsInfo, totalQuantity: String(total) } });
        expect(checkExtendInfo(extend).map((i) => i.field)).toEqual(['order.extendInfo.chinaExtraTransInfo.totalQuantity']);
      }),
    );
  });
});

describe('buildChinaExtraTransInfo: rejections name the item', () => {
  it('reports every bad goods item in one error', () => {
    const e = rejects(() =>
      buildChinaExtraTransInfo({
        businessType: 'TRADE',
        goods: [
          { name: 'pencil', quantity: 2 },
          { name: 'a^b', quantity: 0 },
          { name: 'c|d', quantity: -1 },
          { name: 'line\nbreak', quantity: 1.5 },
          { name: '   ', quantity: '01' },
          { name: 'nel\u0085', quantity: Number.NaN },
          { name: 'ok', quantity: '2.0' },
        ],
      }),
    );
    expect(e.issues.map((i) => i.field)).toEqual([
      'goods[1].name',
      'goods[1].quantity',
      'goods[2].name',
      'goods[2].quantity',
      'goods[3].name',
      'goods[3].quantity',
      'goods[4].name',
      'goods[4].quantity',
      'goods[5].name',
      'goods[5].quantity',
      'goods[6].quantity',
    ]);
    expect(e.issues[0]?.message).toContain('contains "^"');
    expect(e.issues[2]?.message).toContain('contains "|"');
    expect(e.issues[4]?.message).toContain('control character');
    expect(e.message).toMatch(/^Invalid chinaExtraTransInfo: goods\[1\]\.name: /);
  });

  it('rejects an empty goods list, missing goods and both forms at once', () => {
    expect(rejects(() => buildChinaExtraTransInfo({ businessType: 'TRADE', goods: [] })).issues).toEqual([
      { field: 'goods', message: 'is empty: list at least one item as { name, quantity }' },
    ]);
    expect(rejects(() => buildChinaExtraTransInfo({ businessType: 'TRADE' } as never)).fields).toEqual(['goods']);
    expect(
      rejects(() => buildChinaExtraTransInfo({ businessType: '4', goods: [{ name: 'a', quantity: 1 }], goodsInfo: 'a^1' } as never)).fields,
    ).toEqual(['goods']);
    expect(rejects(() => buildChinaExtraTransInfo({ businessType: '4', goods: 'a^1' } as never)).fields).toEqual(['goods']);
    expect(rejects(() => buildChinaExtraTransInfo({ businessType: '4', goods: [null, 'x'] } as never)).fields).toEqual([
      'goods[0]',
      'goods[1]',
    ]);
    expect(rejects(() => buildChinaExtraTransInfo({ businessType: '4', goods: [{ name: 'a' }] } as never)).issues).toEqual([
      { field: 'goods[0].quantity', message: 'is required' },
    ]);
  });

  it('rejects malformed goodsInfo strings item by item', () => {
    const e = rejects(() => buildChinaExtraTransInfo({ businessType: '4', goodsInfo: 'a^1|b|c^x|^2||d^1^2', totalQuantity: '3' }));
    expect(e.fields).toEqual(['goodsInfo']);
    expect(e.issues.map((i) => i.message)).toEqual([
      'item 2 of 6 ("b") must be name^quantity with exactly one "^"',
      'item 3 of 6 ("c^x") has quantity "x", which is not a positive integer',
      'item 4 of 6 ("^2") has an empty name',
      'item 5 of 6 ("") must be name^quantity with exactly one "^"',
      'item 6 of 6 ("d^1^2") must be name^quantity with exactly one "^"',
    ]);
    expect(rejects(() => buildChinaExtraTransInfo({ businessType: '4', goodsInfo: '', totalQuantity: '1' })).fields).toEqual(['goodsInfo']);
    expect(rejects(() => buildChinaExtraTransInfo({ businessType: '4', goodsInfo: 'a^1' } as never)).issues).toEqual([
      { field: 'totalQuantity', message: 'is required' },
    ]);
    expect(rejects(() => parseGoodsInfo('a^0', 'x.goodsInfo')).fields).toEqual(['x.goodsInfo']);
  });

  it('rejects missing, empty and non-string fields, all at once', () => {
    const e = rejects(() => buildChinaExtraTransInfo({ businessType: 'hotel', hotelName: '', checkinTime: 5, checkInTime: 'x' } as never));
    expect(e.issues).toEqual([
      {
        field: 'checkInTime',
        message: 'is not a field of businessType 1 (hotel); expected businessType, hotelName, checkinTime, checkoutTime',
      },
      { field: 'hotelName', message: 'is empty: it is required for businessType 1 (hotel)' },
      { field: 'checkinTime', message: 'must be a string, not number' },
      { field: 'checkoutTime', message: 'is required for businessType 1 (hotel)' },
    ]);
    expect(rejects(() => buildChinaExtraTransInfo({ businessType: 'AIR', flightNumber: 'CA\t981' } as never)).fields).toEqual([
      'flightNumber',
      'departureTime',
    ]);
    expect(rejects(() => buildChinaExtraTransInfo({ businessType: '3' } as never)).fields).toEqual(['admissionNoticeUrl']);
    expect(rejects(() => buildChinaExtraTransInfo({ businessType: 'other', otherBusinessType: null } as never)).fields).toEqual([
      'otherBusinessType',
    ]);
  });

  it('rejects unknown or missing businessType and non-objects', () => {
    expect(rejects(() => buildChinaExtraTransInfo({ businessType: 'CAR' } as never)).issues[0]).toMatchObject({
      field: 'businessType',
      message: expect.stringContaining('"CAR" is not a businessType'),
    });
    expect(rejects(() => buildChinaExtraTransInfo({} as never)).fields).toEqual(['businessType']);
    expect(rejects(() => buildChinaExtraTransInfo(null as never)).issues[0]?.field).toBe('');
    expect(rejects(() => buildChinaExtraTransInfo('{"businessType":"4"}' as never)).issues[0]?.message).toContain('must be an object');
  });
});

describe('buildExtendInfo', () => {
  it('returns the JSON string for order.extendInfo', () => {
    const s = buildExtendInfo({ chinaExtraTransInfo: { businessType: 'TRADE', goods: [{ name: 'pencil', quantity: 2 }] } });
    expect(typeof s).toBe('string');
    expect(s).toBe('{"chinaExtraTransInfo":{"businessType":"4","goodsInfo":"pencil^2","totalQuantity":"2"}}');
    expect(checkExtendInfo(s)).toEqual([]);
  });

  it('keeps other keys after chinaExtraTransInfo and drops undefined ones', () => {
    const s = buildExtendInfo({
      memo: 'gift',
      nested: { a: [1, true, null] },
      skipped: undefined,
      chinaExtraTransInfo: { businessType: '5', ...other },
    });
    expect(JSON.parse(s)).toEqual({ chinaExtraTransInfo: { businessType: '5', ...other }, memo: 'gift', nested: { a: [1, true, null] } });
    expect(Object.keys(JSON.parse(s) as object)).toEqual(['chinaExtraTransInfo', 'memo', 'nested']);
    expect(buildExtendInfo({ memo: 'x' })).toBe('{"memo":"x"}');
  });

  it('validates an already-built chinaExtraTransInfo too, prefixing fields', () => {
    const e = rejects(() => buildExtendInfo({ chinaExtraTransInfo: { businessType: '4', goodsInfo: 'pen^2|ink^1', totalQuantity: '4' } }));
    expect(e.fields).toEqual(['chinaExtraTransInfo.totalQuantity']);
    const g = rejects(() => buildExtendInfo({ chinaExtraTransInfo: { businessType: '4', goods: [{ name: 'a|b', quantity: 1 }] } }));
    expect(g.fields).toEqual(['chinaExtraTransInfo.goods[0].name']);
  });

  it('refuses values JSON would drop or mangle, together with chinaExtraTransInfo problems', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const e = rejects(() =>
      buildExtendInfo({
        chinaExtraTransInfo: { businessType: '3', admissionNoticeUrl: '' },
        fn: () => 1,
        big: 1n,
        nan: Number.NaN,
        list: [1, Symbol('s')],
        cyclic,
        when: new Map(),
      }),
    );
    expect(e.fields).toEqual(['chinaExtraTransInfo.admissionNoticeUrl', 'fn', 'big', 'nan', 'list[1]', 'cyclic.self', 'when']);
  });
});

describe('checkExtendInfo', () => {
  const wire = (info: unknown) => JSON.stringify({ chinaExtraTransInfo: info });

  it('accepts valid strings and absent values', () => {
    expect(checkExtendInfo(undefined)).toEqual([]);
    expect(checkExtendInfo('{}')).toEqual([]);
    expect(checkExtendInfo('{"other":1}')).toEqual([]);
    expect(checkExtendInfo(wire({ businessType: '1', ...hotel }))).toEqual([]);
    expect(checkExtendInfo(wire({ businessType: '2', ...air }))).toEqual([]);
    expect(checkExtendInfo(wire({ businessType: '3', ...study }))).toEqual([]);
    expect(checkExtendInfo(wire({ businessType: '4', goodsInfo: 'pencil^2|eraser^5|iPhone XS 256G^1', totalQuantity: '8' }))).toEqual([]);
    expect(checkExtendInfo(wire({ businessType: '5', ...other }))).toEqual([]);
    // Fields this module does not know are AMS's business, not an error.
    expect(checkExtendInfo(wire({ businessType: '5', ...other, futureField: 'x' }))).toEqual([]);
  });

  it('checks the object form field by field, as the string form; refuses other types and bad JSON', () => {
    const asObject = checkExtendInfo({ chinaExtraTransInfo: { businessType: '4', goodsInfo: 'pencil^2', totalQuantity: '3' } });
    expect(asObject.map((i) => i.field)).toEqual(['order.extendInfo.chinaExtraTransInfo.totalQuantity']);
    expect(asObject).toEqual(
      checkExtendInfo(JSON.stringify({ chinaExtraTransInfo: { businessType: '4', goodsInfo: 'pencil^2', totalQuantity: '3' } })),
    );
    expect(checkExtendInfo({ chinaExtraTransInfo: { businessType: '4', goodsInfo: 'pencil^2', totalQuantity: '2' } })).toEqual([]);
    expect(checkExtendInfo(42)).toEqual([
      {
        field: 'order.extendInfo',
        message: 'must be a string holding JSON or an object, not 42: build it with buildExtendInfo({ chinaExtraTransInfo })',
      },
    ]);
    expect(checkExtendInfo('{bad')[0]?.message).toMatch(/^is not valid JSON \(/);
    expect(checkExtendInfo('[]')[0]?.message).toBe('must hold a JSON object, not an array');
    expect(checkExtendInfo('null')[0]?.message).toBe('must hold a JSON object, not null');
    expect(checkExtendInfo('"x"', 'extendInfo')).toEqual([{ field: 'extendInfo', message: 'must hold a JSON object, not "x"' }]);
    expect(checkExtendInfo(null)).toHaveLength(1);
  });

  it('requires codes and strings on the wire, naming each field', () => {
    const p = 'order.extendInfo.chinaExtraTransInfo';
    expect(checkExtendInfo(wire({ businessType: 'TRADE', goodsInfo: 'a^1', totalQuantity: '1' }))).toEqual([
      {
        field: `${p}.businessType`,
        message: expect.stringContaining('did you mean "4"?'),
      },
    ]);
    expect(checkExtendInfo(wire({ businessType: 4, goodsInfo: 'a^1', totalQuantity: 1 })).map((i) => i.field)).toEqual([
      `${p}.businessType`,
      `${p}.totalQuantity`,
    ]);
    expect(checkExtendInfo(wire({ businessType: '1', hotelName: 'H', checkinTime: 20250601 })).map((i) => i.field)).toEqual([
      `${p}.checkinTime`,
      `${p}.checkoutTime`,
    ]);
    expect(checkExtendInfo(wire({ businessType: '4', goods: [{ name: 'a', quantity: 1 }] })).map((i) => i.field)).toEqual([
      `${p}.goodsInfo`,
      `${p}.totalQuantity`,
    ]);
    expect(checkExtendInfo(wire({ businessType: '4', goodsInfo: 'a^1|b^x', totalQuantity: '2' })).map((i) => i.field)).toEqual([
      `${p}.goodsInfo`,
    ]);
    expect(checkExtendInfo(wire('4'))).toEqual([{ field: p, message: 'must be an object with a businessType, not "4"' }]);
    expect(checkExtendInfo(wire({}))[0]?.field).toBe(`${p}.businessType`);
  });
});

describe('hostile sizes', () => {
  it('a goodsInfo with a huge number of broken items is refused quickly, listing the first 20 problems and saying so', () => {
    const started = Date.now();
    const err = (() => {
      try {
        parseGoodsInfo('|'.repeat(200_000));
      } catch (e) {
        return e as AmsValidationError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AmsValidationError);
    expect(err!.issues).toHaveLength(21);
    expect(err!.issues.at(-1)!.message).toBe('and more: only the first 20 problems of its 200001 items are listed');
    expect(err!.message.length).toBeLessThan(5000);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an extendInfo over 2048 characters is refused for its length alone, without reading a megabyte of goods', async () => {
    const { payRequestIssues } = await import('../../src/api/pay');
    const goods = Array.from({ length: 100_000 }, (_, i) => `item${i}^x`).join('|');
    const extendInfo = JSON.stringify({ chinaExtraTransInfo: { businessType: '4', goodsInfo: goods, totalQuantity: '1' } });
    const request = {
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: 'pr-1',
      order: { referenceOrderId: 'o-1', orderDescription: 'd', orderAmount: { currency: 'USD', value: '100' }, extendInfo },
      paymentAmount: { currency: 'USD', value: '100' },
      paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
      paymentRedirectUrl: 'https://merchant.example/return',
      env: { terminalType: 'WEB' },
      settlementStrategy: { settlementCurrency: 'USD' },
    };
    const started = Date.now();
    const issues = payRequestIssues(request, undefined);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(issues.filter((i) => i.field.startsWith('order.extendInfo'))).toEqual([
      expect.objectContaining({ field: 'order.extendInfo', code: 'too_big' }),
    ]);
  });
});

describe('extendInfo values built to exhaust the stack or the time', () => {
  it('a 20 000-deep value is an issue naming the depth, found in linear time, never a RangeError', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const started = Date.now();
    expect(() => buildExtendInfo({ deep })).toThrow(/nests deeper than 64 levels/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
