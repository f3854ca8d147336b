// The one zod runner (interpreted once, then compiled) gives exactly what zod's own parse gives, on good and bad input.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CaptureNotificationSchema, PaymentNotificationSchema, RefundNotificationSchema } from '../../src/notifications/schemas';
import { BaseResponse } from '../../src/schemas/common';
import { safeParse } from '../../src/schemas/parse';
import { PayRequest, PayResponse } from '../../src/schemas/pay';
import { payRequest } from '../helpers/client';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

/** What a parse result says, in a form toEqual compares: success, the data, or every issue with its path and message. */
function outcome(r: z.ZodSafeParseResult<unknown>): unknown {
  return r.success ? { success: true, data: r.data } : { success: false, issues: r.error.issues };
}

/** Sets `value` at `path` in a deep copy of `base` (creating objects on the way). */
function withValue(base: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) {
    if (at[key] === null || typeof at[key] !== 'object') at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
  return copy;
}

const cases: Array<{ name: string; schema: z.ZodType; valid: unknown; paths: string[][] }> = [
  {
    name: 'PayRequest',
    schema: PayRequest(),
    valid: payRequest(),
    paths: [
      ['paymentRequestId'],
      ['paymentAmount', 'value'],
      ['paymentAmount', 'currency'],
      ['order', 'orderDescription'],
      ['order', 'extendInfo'],
      ['env', 'terminalType'],
      ['paymentRedirectUrl'],
      ['settlementStrategy', 'settlementCurrency'],
      ['paymentMethod', 'paymentMethodType'],
      ['unknownField'],
    ],
  },
  {
    name: 'PayResponse',
    schema: PayResponse(),
    valid: fixture('pay-response.payment-in-process.json'),
    paths: [['result', 'resultStatus'], ['result', 'resultCode'], ['paymentRequestId'], ['normalUrl'], ['paymentAmount', 'value']],
  },
  {
    name: 'PaymentNotification',
    schema: PaymentNotificationSchema(),
    valid: fixture('notify-payment.usd.body.json'),
    paths: [['notifyType'], ['result', 'resultStatus'], ['paymentId'], ['paymentAmount', 'value'], ['extra', 'nested']],
  },
  {
    name: 'RefundNotification (a custom check)',
    schema: RefundNotificationSchema(),
    valid: {
      notifyType: 'REFUND_RESULT',
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
      refundStatus: 'SUCCESS',
      refundRequestId: 'rr-1',
      refundId: 'r-1',
      refundAmount: { currency: 'USD', value: '100' },
    },
    paths: [['refundStatus'], ['refundAmount', 'currency'], ['result']],
  },
  {
    name: 'CaptureNotification',
    schema: CaptureNotificationSchema(),
    valid: {
      notifyType: 'CAPTURE_RESULT',
      result: { resultCode: 'SUCCESS', resultStatus: 'S' },
      captureRequestId: 'c-1',
      paymentId: 'p-1',
      captureId: 'cap-1',
      captureAmount: { currency: 'USD', value: '100' },
    },
    paths: [['captureId'], ['captureAmount']],
  },
];

describe('safeParse: the first parse interpreted, later ones compiled, always what zod itself answers', () => {
  for (const c of cases) {
    it(`${c.name}: the valid sample parses the same on the first, second and later parses`, () => {
      const expected = outcome(c.schema.safeParse(c.valid));
      expect((expected as { success: boolean }).success).toBe(true);
      for (let i = 0; i < 4; i++) expect(outcome(safeParse(c.schema, structuredClone(c.valid)))).toStrictEqual(expected);
    });

    it(`${c.name}: any value at a known field gives zod's own verdict, data and issues`, () => {
      safeParse(c.schema, c.valid); // past the first (interpreted) parse: the rest run compiled
      fc.assert(
        fc.property(fc.constantFrom(...c.paths), fc.anything({ maxDepth: 2 }), (path, value) => {
          const input = withValue(c.valid, path, value);
          expect(outcome(safeParse(c.schema, input))).toStrictEqual(outcome(c.schema.safeParse(input)));
        }),
        { numRuns: 150 },
      );
    });
  }

  it('BaseResponse: non-objects and broken results are refused with the same issues', () => {
    for (const input of [
      null,
      42,
      'x',
      [],
      {},
      { result: null },
      { result: { resultStatus: 'X' } },
      { result: { resultStatus: 'S', resultCode: '' } },
    ]) {
      expect(outcome(safeParse(BaseResponse(), input))).toStrictEqual(outcome(BaseResponse().safeParse(input)));
    }
  });

  it('keeps the parsed output separate from the input (a parse never hands the caller its own object back)', () => {
    const input = payRequest();
    safeParse(PayRequest(), input);
    const parsed = safeParse(PayRequest(), input);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(input);
    expect(parsed.data).not.toBe(input);
  });
});
