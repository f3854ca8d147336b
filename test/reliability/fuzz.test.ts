// Fuzzing with fast-check: whatever the input, only AmsErrors escape — never a TypeError, never a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AmsError,
  buildChinaExtraTransInfo,
  checkCurrencies,
  fromMinorUnits,
  loadPrivateKey,
  loadPublicKey,
  parseSignatureHeader,
  toMinorUnits,
  verifySignature,
  verifyNotification,
} from '../../src/index';
import { alipayHeaders, CLIENT_ID, usdBody } from '../notifications/helpers';
import { alipay, merchant } from '../helpers/keys';

const RUNS = 10_000;

/** Runs fn; an AmsError is an accepted outcome, anything else thrown fails the property. */
function onlyAmsErrors(fn: () => unknown): boolean {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof AmsError)) throw e;
  }
  return true;
}

const anything = fc.anything({
  withBigInt: true,
  withNullPrototype: true,
  withTypedArray: true,
  withSparseArray: true,
  withDate: true,
  withMap: true,
  withSet: true,
});
const currencyish = fc.oneof(fc.constantFrom('USD', 'CNY', 'JPY', 'usd', 'XXX', '', ' USD'), fc.string({ maxLength: 5 }), anything);

describe('fuzz: only AmsErrors escape', () => {
  it('parseSignatureHeader on random and near-valid headers', () => {
    const nearValid = fc
      .tuple(
        fc.constantFrom('algorithm=RSA256', 'algorithm=rsa256', 'algorithm=', ''),
        fc.string(),
        fc.base64String(),
        fc.constantFrom(',', ', ', ',,', ' , '),
      )
      .map(([a, kv, sig, sep]) => [a, `keyVersion=${kv}`, `signature=${encodeURIComponent(sig)}`].join(sep));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), nearValid, anything), (s) =>
        onlyAmsErrors(() => parseSignatureHeader(s)),
      ),
      { numRuns: RUNS },
    );
  });

  it('key loading on random strings, bytes, mangled keys and other values', () => {
    const mangled = fc
      .tuple(
        fc.constantFrom(merchant.privatePkcs8Base64, merchant.privatePkcs1Pem, merchant.publicSpkiBase64),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 3 }),
      )
      .map(([k, a, b, ins]) => {
        const i = a % k.length;
        return k.slice(0, i) + ins + k.slice(i + (b % 8));
      });
    const input = fc.oneof(fc.string(), fc.base64String({ maxLength: 400 }), fc.uint8Array({ maxLength: 300 }), mangled, anything);
    fc.assert(
      fc.property(input, (k) => onlyAmsErrors(() => loadPrivateKey(k as never)) && onlyAmsErrors(() => loadPublicKey(k as never))),
      { numRuns: RUNS },
    );
  });

  it('verifySignature on random headers and bodies', () => {
    const pub = loadPublicKey(merchant.publicSpkiPem);
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.string(), fc.uint8Array({ maxLength: 64 })), (header, body) =>
        onlyAmsErrors(() => {
          expect(
            verifySignature({
              path: '/p',
              clientId: 'C',
              time: 'T',
              body,
              signature: `algorithm=RSA256,signature=${header}`,
              publicKey: pub,
            }),
          ).toBe(false);
        }),
      ),
      { numRuns: 2_000 },
    );
  });

  it('checkCurrencies never throws and always answers', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant('ALIPAY_CN'), fc.string(), anything),
        currencyish,
        currencyish,
        fc.option(currencyish),
        (t, p, s, c) => {
          const r = checkCurrencies({
            paymentMethodType: t as string,
            paymentCurrency: p as string,
            settlementCurrency: s as string,
            contractSettlementCurrency: (c ?? undefined) as string | undefined,
          });
          expect(typeof r.ok).toBe('boolean');
          expect(r.ok).toBe(r.violations.length === 0);
          return true;
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('toMinorUnits / fromMinorUnits', () => {
    const amountish = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.stringMatching(/^-?\d{0,20}(\.\d{0,4})?(e\d)?$/), anything);
    fc.assert(
      fc.property(
        amountish,
        currencyish,
        (a, c) =>
          onlyAmsErrors(() => toMinorUnits(a as string, c as string)) && onlyAmsErrors(() => fromMinorUnits(a as string, c as string)),
      ),
      { numRuns: RUNS },
    );
  });

  it('buildChinaExtraTransInfo', () => {
    const goods = fc.array(
      fc.record(
        { name: fc.oneof(fc.string(), anything), quantity: fc.oneof(fc.integer(), fc.double(), fc.string(), anything) },
        { requiredKeys: [] },
      ),
      { maxLength: 5 },
    );
    const input = fc.oneof(
      fc.record({ businessType: fc.constantFrom('4', 'TRADE', 'trade', 4), goods }),
      fc.record(
        {
          businessType: fc.oneof(fc.constantFrom('1', '2', '3', '5', 'HOTEL', 'x'), fc.string(), anything),
          hotelName: fc.string(),
          checkinTime: fc.string(),
          flightNumber: anything,
          otherBusinessType: fc.string(),
        },
        { requiredKeys: [] },
      ),
      anything,
    );
    fc.assert(
      fc.property(input, (i) => onlyAmsErrors(() => buildChinaExtraTransInfo(i as never))),
      { numRuns: RUNS },
    );
  });

  it('verifyNotification on random headers, bodies and encodings', () => {
    const good = alipayHeaders({ body: usdBody });
    const headerValue = fc.oneof(fc.string(), fc.constantFrom(...Object.values(good)), fc.array(fc.string(), { maxLength: 3 }), anything);
    const headers = fc.oneof(
      fc.dictionary(fc.constantFrom('signature', 'Signature', 'client-id', 'CLIENT-ID', 'request-time', 'x'), headerValue),
      fc.record({ signature: fc.constant(good.signature!), 'client-id': fc.constant(good['client-id']!), 'request-time': headerValue }),
      anything,
    );
    const body = fc.oneof(
      fc.constant(usdBody),
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.uint8Array({ maxLength: 200 }),
      fc.constant(Buffer.from(usdBody, 'utf16le')),
      fc.constant(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(usdBody)])),
      anything,
    );
    fc.assert(
      fc.property(
        headers,
        body,
        fc.constantFrom('/alipay/notify', '/', ''),
        fc.option(fc.integer({ min: -1, max: 10_000 })),
        (h, b, path, tolerance) =>
          onlyAmsErrors(() =>
            verifyNotification({
              path,
              headers: h as never,
              rawBody: b as never,
              alipayPublicKey: alipay.publicBase64,
              clientId: CLIENT_ID,
              ...(tolerance === null ? {} : { toleranceMs: tolerance }),
            }),
          ),
      ),
      { numRuns: RUNS },
    );
  });
});
