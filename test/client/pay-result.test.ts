// What pay() promises in its type holds at run time: paymentId and paymentRequestId on every answer it resolves
// with; an amount given as a number is met with the minor-units sentence.
import { http } from 'msw';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AmsUnknownResultError, AmsValidationError, type PayResult } from '../../src/index';
import { amsResponse } from '../helpers/ams-responder';
import { payRequest, testClient } from '../helpers/client';
import { useMswServer } from '../helpers/msw';

const server = useMswServer();
const PATH = '/ams/sandbox/api/v1/payments/pay';
const URL_ = `https://open-na.alipay.com${PATH}`;
const CLIENT = 'SANDBOX_5Y055A2Y2F6K05235';
const HINT = "amounts are strings of minor units, e.g. '1999' for 19.99 USD; toMinorUnits('19.99', 'USD') makes one";

const answer = (body: Record<string, unknown>) => server.use(http.post(URL_, () => amsResponse(body, { path: PATH, clientId: CLIENT })));

describe('pay() resolves with what it guarantees', () => {
  it('types paymentId and paymentRequestId as strings, the result as S or U', async () => {
    answer({
      result: { resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS', resultMessage: 'in process' },
      paymentId: 'pay-1',
      paymentRequestId: 'pr-0001',
      normalUrl: 'https://x.example/c',
    });
    const res = await testClient().client.pay(payRequest());
    expectTypeOf(res).toEqualTypeOf<PayResult>();
    expectTypeOf(res.paymentId).toEqualTypeOf<string>();
    expectTypeOf(res.paymentRequestId).toEqualTypeOf<string>();
    expectTypeOf(res.result.resultStatus).toEqualTypeOf<'S' | 'U'>();
    expectTypeOf(res.normalUrl).toEqualTypeOf<string | undefined>();
    expect(res).toMatchObject({ paymentId: 'pay-1', paymentRequestId: 'pr-0001', normalUrl: 'https://x.example/c' });
  });

  it('an S answer without paymentRequestId gets the one that was sent', async () => {
    answer({ result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' }, paymentId: 'pay-2' });
    const res = await testClient().client.pay(payRequest());
    expect(res.paymentRequestId).toBe('pr-0001');
    expect(res.paymentId).toBe('pay-2');
  });

  it('an accepted answer without paymentId is an unknown result to inquire about, never a half-typed success', async () => {
    answer({ result: { resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS', resultMessage: 'in process' }, paymentRequestId: 'pr-0001' });
    const err = (await testClient()
      .client.pay(payRequest())
      .catch((e: unknown) => e)) as AmsUnknownResultError;
    expect(err).toBeInstanceOf(AmsUnknownResultError);
    expect(err.paymentRequestId).toBe('pr-0001');
    expect(err.message).toContain('the answer carries no paymentId, which AMS always returns with U/PAYMENT_IN_PROCESS');
    expect(err.message).toContain('inquire');
  });
});

describe('amounts given as numbers', () => {
  it('a numeric value names the field and says how to make a minor-unit string', async () => {
    const err = await testClient()
      .client.pay(payRequest({ paymentAmount: { currency: 'USD', value: 1999 } }) as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsValidationError);
    expect((err as AmsValidationError).message).toContain(`paymentAmount.value: is the number 1999: ${HINT}`);
  });

  it('a decimal string and a number in the order amount get the same sentence', async () => {
    const err = (await testClient()
      .client.pay(
        payRequest({
          paymentAmount: { currency: 'USD', value: '19.99' },
          order: { ...payRequest().order, orderAmount: { currency: 'USD', value: 19.99 } },
        }) as never,
      )
      .catch((e: unknown) => e)) as AmsValidationError;
    expect(err).toBeInstanceOf(AmsValidationError);
    expect(err.message).toContain(`paymentAmount.value: must be a positive integer string: ${HINT}`);
    expect(err.message).toContain(`order.orderAmount.value: is the number 19.99: ${HINT}`);
  });
});
