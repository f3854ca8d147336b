// Strict out, tolerant in: unknown statuses are kept, logged once and never final; extraFields reach the signed body.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AmsValidationError, type InquiryPaymentResponse, type PaymentStatus } from '../../src/index';
import { testClient } from '../helpers/client';
import { useMswServer } from '../helpers/msw';
import { answerAt, S } from './helpers';

const server = useMswServer();
const SANDBOX = '/ams/sandbox/api/v1/payments';

describe('answers with values this version does not know', () => {
  it('inquiryRefund with refundStatus PENDING resolves (the SDKs type it as TransactionStatusType)', async () => {
    answerAt(server, `${SANDBOX}/inquiryRefund`, [{ result: S, refundStatus: 'PENDING', refundRequestId: 'rf-1' }]);
    const { client, rec } = testClient();
    const res = await client.inquiryRefund({ refundRequestId: 'rf-1' });
    expect(res.refundStatus).toBe('PENDING');
    expect(rec.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('an unknown paymentStatus and transaction status are kept, typed, and warned about once per value', async () => {
    const answer = {
      result: S,
      paymentRequestId: 'pr-1',
      paymentStatus: 'PARTIALLY_CAPTURED',
      brandNewField: { deep: [1, 2] },
      transactions: [
        { transactionType: 'CAPTURE', transactionStatus: 'SUCCESS', transactionId: 't1' },
        { transactionType: 'CHARGEBACK', transactionStatus: 'UNDER_REVIEW', transactionId: 't2' },
      ],
      customsDeclarationAmount: { currency: 'CNY', value: '12000' },
    };
    answerAt(server, `${SANDBOX}/inquiryPayment`, [answer]);
    const { client, rec } = testClient();
    const first = await client.inquiryPayment({ paymentRequestId: 'pr-1' });
    await client.inquiryPayment({ paymentRequestId: 'pr-1' });
    expect(first.paymentStatus).toBe('PARTIALLY_CAPTURED');
    expect((first as Record<string, unknown>)['brandNewField']).toEqual({ deep: [1, 2] });
    expect(first.transactions?.[1]?.transactionStatus).toBe('UNDER_REVIEW');
    expect(first.customsDeclarationAmount).toEqual({ currency: 'CNY', value: '12000' });
    const warnings = rec.logs.filter((l) => l.level === 'warn').map((l) => l.meta);
    expect(warnings).toEqual([
      expect.objectContaining({ field: 'paymentStatus', value: 'PARTIALLY_CAPTURED' }),
      expect.objectContaining({ field: 'transactions[1].transactionType', value: 'CHARGEBACK' }),
      expect.objectContaining({ field: 'transactions[1].transactionStatus', value: 'UNDER_REVIEW' }),
    ]);
    expectTypeOf<InquiryPaymentResponse['paymentStatus']>().toEqualTypeOf<PaymentStatus>();
    // Known values still complete in an editor: they are part of the type.
    expectTypeOf<'SUCCESS'>().toMatchTypeOf<PaymentStatus>();
  });

  it('awaitPaymentResult never takes an unknown status for final, and never cancels it', async () => {
    const seen = answerAt(server, `${SANDBOX}/inquiryPayment`, [{ result: S, paymentStatus: 'ON_HOLD', paymentRequestId: 'pr-2' }]);
    const cancels = answerAt(server, `${SANDBOX}/cancel`, [{ result: S }]);
    const { client } = testClient();
    const r = await client.awaitPaymentResult({ paymentRequestId: 'pr-2', scheduleMs: [0, 0, 0] });
    expect(r).toMatchObject({ paymentStatus: 'ON_HOLD', cancelled: false });
    expect(seen).toHaveLength(3);
    expect(cancels).toEqual([]);
  });
});

describe('extraFields', () => {
  it('merges fields Antom added later into the signed body, and names them in the debug log', async () => {
    const seen = answerAt(server, `${SANDBOX}/refund`, [{ result: S, refundId: 'r-1', refundRequestId: 'rf-9' }]);
    const { client, rec } = testClient();
    await client.refund(
      { refundRequestId: 'rf-9', paymentId: 'p-1', refundAmount: { currency: 'USD', value: '100' } },
      { extraFields: { refundScene: 'ONLINE', futureFlag: { on: true } } },
    );
    expect(JSON.parse(seen[0]!)).toEqual({
      refundRequestId: 'rf-9',
      paymentId: 'p-1',
      refundAmount: { currency: 'USD', value: '100' },
      refundScene: 'ONLINE',
      futureFlag: { on: true },
    });
    expect(rec.logs.find((l) => l.message === 'ams: request')?.meta).toMatchObject({ extraFields: ['refundScene', 'futureFlag'] });
  });

  it('never overrides a checked field, nor sets one the schema knows, nor takes a non-name key', async () => {
    const seen = answerAt(server, `${SANDBOX}/refund`, [{ result: S }]);
    const { client } = testClient();
    const refund = { refundRequestId: 'rf-9', paymentId: 'p-1', refundAmount: { currency: 'USD', value: '100' } };
    const refused = async (extraFields: unknown): Promise<string[]> => {
      const err = await client.refund(refund, { extraFields } as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AmsValidationError);
      return (err as AmsValidationError).fields;
    };
    expect(await refused({ refundAmount: { currency: 'USD', value: '999999' } })).toEqual(['extraFields.refundAmount']);
    expect(await refused({ refundReason: 'x'.repeat(10_000) })).toEqual(['extraFields.refundReason']);
    expect(await refused({ 'a.b': 1, __proto__x: 2 })).toEqual(['extraFields.a.b', 'extraFields.__proto__x']);
    expect(await refused(['x'])).toEqual(['extraFields']);
    expect(seen).toEqual([]);
  });
});
