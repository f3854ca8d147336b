// inquiryPayment, cancel, refund, inquiryRefund and awaitPaymentResult against msw playing Alipay.
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { AmsAbortError, AmsApiError, AmsConnectionError, AmsHttpError, AmsUnknownResultError, AmsValidationError } from '../../src/index';
import { amsResponse } from '../helpers/ams-responder';
import { FIXED_NOW, testClient } from '../helpers/client';
import { useMswServer } from '../helpers/msw';

const server = useMswServer();
const CLIENT = 'SANDBOX_5Y055A2Y2F6K05235';
const ORIGIN = 'https://open-na.alipay.com';
const path = (api: string) => `/ams/sandbox/api/v1/payments/${api}`;
const S = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };
const F = (code: string) => ({ resultCode: code, resultStatus: 'F', resultMessage: code.toLowerCase() });

/** Answers `api` with the bodies in order (last repeats; a function gives the whole Response), recording each request body. */
function answer(api: string, bodies: unknown[]): string[] {
  const seen: string[] = [];
  server.use(
    http.post(ORIGIN + path(api), async ({ request }) => {
      seen.push(await request.text());
      const next = bodies[Math.min(seen.length - 1, bodies.length - 1)];
      return typeof next === 'function' ? (next as () => Response)() : amsResponse(next, { path: path(api), clientId: CLIENT });
    }),
  );
  return seen;
}

const inquiry = (paymentStatus: string, extra: object = {}) => ({
  result: S,
  paymentStatus,
  paymentRequestId: 'pr-1',
  paymentId: 'pay-1',
  paymentAmount: { currency: 'USD', value: '1999' },
  ...extra,
});

describe('inquiryPayment', () => {
  it('by paymentRequestId: typed status, amounts and times', async () => {
    const seen = answer('inquiryPayment', [inquiry('SUCCESS', { paymentTime: '2026-11-22T08:00:00+08:00', paymentResultCode: 'SUCCESS' })]);
    const res = await testClient().client.inquiryPayment({ paymentRequestId: 'pr-1' });
    expect(res).toMatchObject({
      paymentStatus: 'SUCCESS',
      paymentAmount: { currency: 'USD', value: '1999' },
      paymentResultCode: 'SUCCESS',
    });
    expect(JSON.parse(seen[0]!)).toEqual({ paymentRequestId: 'pr-1' });
  });
  it('errors name the id that was sent, and a signed answer about another payment is refused', async () => {
    answer('inquiryPayment', [{ result: F('ORDER_NOT_EXIST') }]);
    const err = (await testClient()
      .client.inquiryPayment({ paymentId: 'PAYID123' })
      .catch((e: unknown) => e)) as AmsApiError;
    expect(err).toMatchObject({ paymentId: 'PAYID123', paymentRequestId: undefined });
    expect(err.message).toContain('[paymentId PAYID123]');
    server.resetHandlers();
    answer('inquiryPayment', [inquiry('SUCCESS', { paymentRequestId: 'someone-elses-order' })]);
    await expect(testClient().client.inquiryPayment({ paymentRequestId: 'my-unpaid-order' })).rejects.toMatchObject({
      name: 'AmsSignatureError',
      check: 'body',
    });
  });
  it('by paymentId', async () => {
    const seen = answer('inquiryPayment', [inquiry('PROCESSING')]);
    expect((await testClient().client.inquiryPayment({ paymentId: 'pay-1' })).paymentStatus).toBe('PROCESSING');
    expect(JSON.parse(seen[0]!)).toEqual({ paymentId: 'pay-1' });
  });
  it('both ids or neither → AmsValidationError before the network', async () => {
    const seen = answer('inquiryPayment', [inquiry('SUCCESS')]);
    const { client } = testClient();
    await expect(client.inquiryPayment({ paymentRequestId: 'a', paymentId: 'b' } as never)).rejects.toThrow(
      /exactly one of paymentRequestId or paymentId/,
    );
    await expect(client.inquiryPayment({} as never)).rejects.toThrow(/one of paymentRequestId or paymentId is required/);
    await expect(client.inquiryPayment({ paymentId: 'x', extra: 1 } as never)).rejects.toBeInstanceOf(AmsValidationError);
    expect(seen).toHaveLength(0);
  });
  it('ORDER_NOT_EXIST → AmsApiError with the code', async () => {
    answer('inquiryPayment', [{ result: F('ORDER_NOT_EXIST') }]);
    await expect(testClient().client.inquiryPayment({ paymentRequestId: 'nope' })).rejects.toMatchObject({
      name: 'AmsApiError',
      resultCode: 'ORDER_NOT_EXIST',
      paymentRequestId: 'nope',
      api: 'inquiryPayment',
    });
  });
  it('U then success, same body', async () => {
    const seen = answer('inquiryPayment', [{ result: { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' } }, inquiry('SUCCESS')]);
    await testClient().client.inquiryPayment({ paymentRequestId: 'pr-1' });
    expect(seen).toEqual([seen[0], seen[0]]);
  });
});

describe('cancel', () => {
  it('happy path and F codes', async () => {
    answer('cancel', [{ result: S, paymentId: 'pay-1', cancelTime: '2026-11-22T08:00:00+08:00' }]);
    expect(await testClient().client.cancel({ paymentId: 'pay-1' })).toMatchObject({ paymentId: 'pay-1', cancelTime: expect.any(String) });
    server.resetHandlers();
    answer('cancel', [{ result: F('ORDER_STATUS_INVALID') }]);
    await expect(testClient().client.cancel({ paymentRequestId: 'pr-1' })).rejects.toMatchObject({ resultCode: 'ORDER_STATUS_INVALID' });
  });
  it('validates ids', async () => {
    await expect(testClient().client.cancel({ paymentId: '' })).rejects.toBeInstanceOf(AmsValidationError);
  });
});

describe('refund', () => {
  const req = { refundRequestId: 'rf-1', paymentId: 'pay-1', refundAmount: { currency: 'USD', value: '500' }, refundReason: 'size' };
  it('sends the refund and returns the typed body', async () => {
    const seen = answer('refund', [
      { result: S, refundId: 'rid-1', refundRequestId: 'rf-1', refundAmount: { currency: 'USD', value: '500' } },
    ]);
    expect(await testClient().client.refund(req)).toMatchObject({ refundId: 'rid-1' });
    expect(JSON.parse(seen[0]!)).toEqual(req);
  });
  it('requires refundRequestId and a minor-unit amount', async () => {
    const err = (await testClient()
      .client.refund({ paymentId: 'pay-1', refundAmount: { currency: 'USD', value: '5.00' } } as never)
      .catch((e: unknown) => e)) as AmsValidationError;
    expect(err.fields).toEqual(expect.arrayContaining(['refundRequestId', 'refundAmount.value']));
  });
  it('REFUND_AMOUNT_EXCEED → AmsApiError', async () => {
    answer('refund', [{ result: F('REFUND_AMOUNT_EXCEED') }]);
    await expect(testClient().client.refund(req)).rejects.toMatchObject({
      resultCode: 'REFUND_AMOUNT_EXCEED',
      refundRequestId: 'rf-1',
      paymentId: 'pay-1',
      paymentRequestId: undefined,
    });
  });
  it('U stays unknown → AmsUnknownResultError after retries with the same body', async () => {
    const seen = answer('refund', [{ result: { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U' } }]);
    await expect(testClient().client.refund(req)).rejects.toBeInstanceOf(AmsUnknownResultError);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(1);
  });
});

describe('inquiryRefund', () => {
  it('by refundRequestId and refundId', async () => {
    const seen = answer('inquiryRefund', [{ result: S, refundStatus: 'SUCCESS', refundId: 'rid-1' }]);
    expect((await testClient().client.inquiryRefund({ refundRequestId: 'rf-1' })).refundStatus).toBe('SUCCESS');
    expect((await testClient().client.inquiryRefund({ refundId: 'rid-1' })).refundId).toBe('rid-1');
    expect(seen.map((b) => JSON.parse(b))).toEqual([{ refundRequestId: 'rf-1' }, { refundId: 'rid-1' }]);
    await expect(testClient().client.inquiryRefund({ refundId: 'a', refundRequestId: 'b' } as never)).rejects.toBeInstanceOf(
      AmsValidationError,
    );
  });
});

describe('awaitPaymentResult', () => {
  it('settles after N inquiries on the default schedule', async () => {
    const seen = answer('inquiryPayment', [inquiry('PROCESSING'), inquiry('PENDING'), inquiry('SUCCESS')]);
    const { client, rec } = testClient();
    const res = await client.awaitPaymentResult({ paymentRequestId: 'pr-1' });
    expect(res).toMatchObject({ paymentStatus: 'SUCCESS', cancelled: false });
    expect(seen).toHaveLength(3);
    expect(rec.sleeps).toEqual([2000, 3000, 3000]);
  });
  it('treats early ORDER_NOT_EXIST as not visible yet', async () => {
    const seen = answer('inquiryPayment', [{ result: F('ORDER_NOT_EXIST') }, { result: F('ORDER_NOT_EXIST') }, inquiry('FAIL')]);
    const res = await testClient().client.awaitPaymentResult({ paymentId: 'pay-1', scheduleMs: [1, 1, 1, 1] });
    expect(res.paymentStatus).toBe('FAIL');
    expect(seen).toHaveLength(3);
  });
  it('a payment that never becomes visible within a short schedule → the ORDER_NOT_EXIST AmsApiError', async () => {
    answer('inquiryPayment', [{ result: F('ORDER_NOT_EXIST') }]);
    await expect(testClient().client.awaitPaymentResult({ paymentId: 'pay-1', scheduleMs: [1, 1, 1] })).rejects.toMatchObject({
      name: 'AmsApiError',
      resultCode: 'ORDER_NOT_EXIST',
    });
  });
  it('a cancel that went through stays reported when the confirming inquiry fails', async () => {
    answer('inquiryPayment', [inquiry('PROCESSING'), () => new HttpResponse('', { status: 503 })]);
    answer('cancel', [{ result: S, paymentId: 'pay-1' }]);
    const res = await testClient().client.awaitPaymentResult({ paymentId: 'pay-1', scheduleMs: [1] });
    expect(res).toMatchObject({ paymentStatus: 'CANCELLED', cancelled: true });
  });
  it('ORDER_NOT_EXIST past the grace period is a real failure', async () => {
    answer('inquiryPayment', [{ result: F('ORDER_NOT_EXIST') }]);
    await expect(testClient().client.awaitPaymentResult({ paymentId: 'pay-1', scheduleMs: [1, 1, 1, 1, 1] })).rejects.toBeInstanceOf(
      AmsApiError,
    );
  });
  it('never settles → cancels and returns the state after the cancel', async () => {
    const inquiries = answer('inquiryPayment', [inquiry('PROCESSING'), inquiry('PROCESSING'), inquiry('CANCELLED')]);
    const cancels = answer('cancel', [{ result: S, paymentId: 'pay-1' }]);
    const res = await testClient().client.awaitPaymentResult({ paymentRequestId: 'pr-1', scheduleMs: [5, 5] });
    expect(res).toMatchObject({ paymentStatus: 'CANCELLED', cancelled: true });
    expect(cancels.map((b) => JSON.parse(b))).toEqual([{ paymentRequestId: 'pr-1' }]);
    expect(inquiries).toHaveLength(3);
  });
  it('a payment that succeeds just before the cancel: cancel refused, SUCCESS returned', async () => {
    answer('inquiryPayment', [inquiry('PROCESSING'), inquiry('SUCCESS')]);
    answer('cancel', [{ result: F('ORDER_STATUS_INVALID') }]);
    const res = await testClient().client.awaitPaymentResult({ paymentRequestId: 'pr-1', scheduleMs: [1] });
    expect(res).toMatchObject({ paymentStatus: 'SUCCESS', cancelled: false });
  });
  it('cancelOnTimeout: false returns the unfinished state without cancelling', async () => {
    answer('inquiryPayment', [inquiry('PROCESSING')]);
    const cancels = answer('cancel', [{ result: S }]);
    const res = await testClient().client.awaitPaymentResult({ paymentRequestId: 'pr-1', scheduleMs: [1, 1], cancelOnTimeout: false });
    expect(res).toMatchObject({ paymentStatus: 'PROCESSING', cancelled: false });
    expect(cancels).toHaveLength(0);
  });
  it('is aborted by a signal, during the wait', async () => {
    answer('inquiryPayment', [inquiry('PROCESSING')]);
    const ac = new AbortController();
    const { client } = testClient({
      clock: {
        now: () => FIXED_NOW,
        sleep: (ms, signal) =>
          new Promise((resolve, reject) => {
            const t = setTimeout(resolve, ms);
            signal?.addEventListener('abort', () => {
              clearTimeout(t);
              reject(signal.reason);
            });
          }),
      },
    });
    setTimeout(() => ac.abort(), 30);
    const started = Date.now();
    const err = await client
      .awaitPaymentResult({ paymentRequestId: 'pr-1', scheduleMs: [10, 10_000, 10_000], signal: ac.signal })
      .catch((e: unknown) => e);
    // The caller's own abort, not a connection failure; the first inquiry had gone out, so it may have been seen.
    expect(err).toBeInstanceOf(AmsAbortError);
    expect(err).not.toBeInstanceOf(AmsConnectionError);
    expect(err).toMatchObject({ mayHaveReachedAlipay: true });
    expect((err as Error).message).toMatch(/aborted/);
    expect(Date.now() - started).toBeLessThan(5000); // the schedule alone would take 20 s
  });
  it('rides over a transient inquiry failure', async () => {
    answer('inquiryPayment', [
      () => new HttpResponse('', { status: 503 }),
      () => new HttpResponse('', { status: 503 }),
      () => new HttpResponse('', { status: 503 }),
      inquiry('SUCCESS'),
    ]);
    const res = await testClient().client.awaitPaymentResult({ paymentRequestId: 'pr-1', scheduleMs: [1, 1] });
    expect(res.paymentStatus).toBe('SUCCESS');
  });
  it('PENDING once seen is never cancelled, even when a later inquiry says PROCESSING', async () => {
    const inquiries = answer('inquiryPayment', [inquiry('PENDING'), inquiry('PROCESSING')]);
    const cancels = answer('cancel', [{ result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' } }]);
    const res = await testClient().client.awaitPaymentResult({ paymentRequestId: 'pr-1', scheduleMs: [1, 1, 1] });
    expect(res).toMatchObject({ paymentStatus: 'PENDING', cancelled: false });
    expect(inquiries).toHaveLength(3);
    expect(cancels).toHaveLength(0);
  });
  it('never cancels on a stale status: when the last inquiry failed, it asks again first', async () => {
    // PROCESSING, then the next two inquiries fail; before cancelling it asks once more and finds the buyer paid.
    const fail = () => new HttpResponse('', { status: 503 });
    const inquiries = answer('inquiryPayment', [inquiry('PROCESSING'), fail, fail, inquiry('PENDING')]);
    const cancels = answer('cancel', [{ result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' } }]);
    const res = await testClient({ maxRetries: 0 }).client.awaitPaymentResult({ paymentRequestId: 'pr-1', scheduleMs: [1, 1, 1] });
    expect(res).toMatchObject({ paymentStatus: 'PENDING', cancelled: false });
    expect(cancels).toHaveLength(0);
    expect(inquiries).toHaveLength(4);
    // And when that last inquiry fails too, nothing is cancelled: the failure is the answer.
    const again = answer('inquiryPayment', [inquiry('PROCESSING'), fail]);
    const err = await testClient({ maxRetries: 0 })
      .client.awaitPaymentResult({ paymentRequestId: 'pr-1', scheduleMs: [1, 1] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsHttpError);
    expect(again).toHaveLength(3);
    expect(cancels).toHaveLength(0);
  });
  it('validates the schedule and ids', async () => {
    await expect(testClient().client.awaitPaymentResult({ paymentRequestId: 'pr-1', scheduleMs: [] })).rejects.toBeInstanceOf(
      AmsValidationError,
    );
    await expect(testClient().client.awaitPaymentResult({} as never)).rejects.toBeInstanceOf(AmsValidationError);
  });
});
