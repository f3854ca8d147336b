// Every notification kind: the derived outcome, CAPTURE_RESULT typed and routed to onCapture, bodies without notifyType, dedupe keys.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createFetchNotificationHandler,
  notificationKey,
  verifyNotification,
  type AmsNotification,
  type CaptureNotification,
  type PaymentOutcome,
  type SettledOutcome,
} from '../../src/index';
import { alipay } from '../helpers/keys';
import {
  ACK,
  alipayHeaders,
  authorizationBody,
  captureBody,
  CLIENT_ID,
  disputeBody,
  handlerSetup,
  PATH,
  refundBody,
  usdBody,
} from '../notifications/helpers';

const verify = (body: string): AmsNotification =>
  verifyNotification({
    path: PATH,
    headers: alipayHeaders({ body }),
    rawBody: body,
    alipayPublicKey: alipay.publicBase64,
    clientId: CLIENT_ID,
  });
const edit = (body: string, patch: Record<string, unknown>): string => JSON.stringify({ ...JSON.parse(body), ...patch });
const result = (resultStatus: 'S' | 'F' | 'U') => ({ result: { resultCode: resultStatus === 'S' ? 'SUCCESS' : 'X', resultStatus } });

describe('outcome', () => {
  it('payments: PAYMENT_RESULT S is paid, F failed; PAYMENT_PENDING is pending although its resultStatus is S', () => {
    expect(verify(usdBody)).toMatchObject({ kind: 'payment', outcome: 'paid' });
    expect(verify(edit(usdBody, result('F')))).toMatchObject({ kind: 'payment', outcome: 'failed' });
    expect(verify(edit(usdBody, { notifyType: 'PAYMENT_PENDING' }))).toMatchObject({
      kind: 'payment',
      outcome: 'pending',
      result: { resultStatus: 'S' },
    });
    expect(verify(edit(usdBody, result('U')))).toMatchObject({ outcome: 'pending' });
  });
  it('refunds: succeeded only when result S and refundStatus SUCCESS (or S) agree', () => {
    expect(verify(refundBody)).toMatchObject({ kind: 'refund', outcome: 'succeeded' });
    expect(verify(edit(refundBody, { refundStatus: 'S' }))).toMatchObject({ outcome: 'succeeded' });
    expect(verify(edit(refundBody, { refundStatus: 'FAIL', ...result('F') }))).toMatchObject({ outcome: 'failed' });
    expect(verify(edit(refundBody, { refundStatus: 'FAIL' }))).toMatchObject({ outcome: 'failed' });
  });
  it('captures: typed, S succeeded, F failed, every field kept', () => {
    const n = verify(captureBody);
    expect(n).toEqual({ ...JSON.parse(captureBody), kind: 'capture', outcome: 'succeeded' });
    expect(verify(edit(captureBody, result('F')))).toMatchObject({ kind: 'capture', outcome: 'failed' });
    if (n.kind !== 'capture') throw new Error('expected a capture');
    expectTypeOf(n).toEqualTypeOf<CaptureNotification>();
    expectTypeOf(n.outcome).toEqualTypeOf<SettledOutcome>();
    // Present once the capture succeeded; a failed CAPTURE_RESULT may carry neither captureId nor amount.
    expectTypeOf(n.captureAmount?.value).toEqualTypeOf<string | undefined>();
    if (n.outcome === 'succeeded') {
      expectTypeOf(n.captureAmount.value).toEqualTypeOf<string>();
      expectTypeOf(n.captureId).toEqualTypeOf<string>();
    }
  });
  it('anything not known to be final is pending, never succeeded: unknown refund statuses, U, a success without its id', () => {
    expect(verify(edit(refundBody, { refundStatus: 'PROCESSING' }))).toMatchObject({ kind: 'refund', outcome: 'pending' });
    expect(verify(edit(refundBody, { refundStatus: 'REFUND_NEW' }))).toMatchObject({ outcome: 'pending', refundStatus: 'REFUND_NEW' });
    expect(verify(edit(refundBody, result('U')))).toMatchObject({ outcome: 'pending' });
    expect(verify(edit(refundBody, { refundId: undefined }))).toMatchObject({ outcome: 'pending' });
    expect(verify(edit(refundBody, { refundStatus: undefined }))).toMatchObject({ outcome: 'pending' });
    expect(verify(edit(captureBody, result('U')))).toMatchObject({ kind: 'capture', outcome: 'pending' });
    expect(verify(edit(captureBody, { captureId: undefined }))).toMatchObject({ kind: 'capture', outcome: 'pending' });
  });
  it('a failed CAPTURE_RESULT without captureId or amount is delivered, with a dedupe key of its own', () => {
    const failed = edit(captureBody, { ...result('F'), captureId: undefined, captureAmount: undefined });
    const n = verify(failed);
    expect(n).toMatchObject({ kind: 'capture', outcome: 'failed' });
    const captureRequestId = (JSON.parse(captureBody) as { captureRequestId: string }).captureRequestId;
    expect(notificationKey(n)).toBe(`CAPTURE_RESULT:request:${captureRequestId}`);
    expect(notificationKey(verify(captureBody))).not.toBe(notificationKey(n));
  });
  it('the outcome type follows the kind', () => {
    const n = verify(usdBody);
    if (n.kind === 'payment') expectTypeOf(n.outcome).toEqualTypeOf<PaymentOutcome>();
    if (n.kind === 'refund') expectTypeOf(n.outcome).toEqualTypeOf<SettledOutcome>();
    expectTypeOf<PaymentOutcome>().toEqualTypeOf<'paid' | 'failed' | 'pending'>();
  });
  it('a body without notifyType (an authorization) verifies as kind other, every field kept; a dispute is kind dispute', () => {
    expect(verify(authorizationBody)).toEqual({ ...JSON.parse(authorizationBody), kind: 'other' });
    expect(verify(disputeBody)).toEqual({
      ...JSON.parse(disputeBody),
      kind: 'dispute',
      outcome: 'respond',
      respondBy: '2026-12-03T08:00:00+08:00',
    });
  });
});

describe('dedupe keys', () => {
  it("a capture's key is its own captureId, so two partial captures of one payment are two notifications", () => {
    expect(notificationKey(verify(captureBody))).toBe('CAPTURE_RESULT:cap-1');
    expect(notificationKey(verify(edit(captureBody, { captureId: 'cap-2', captureRequestId: 'capreq-2' })))).toBe('CAPTURE_RESULT:cap-2');
  });
  it('a body without notifyType gets a hash key, stable across deliveries; a dispute its id and step', () => {
    const k = notificationKey(verify(authorizationBody), authorizationBody);
    expect(k).toMatch(/^NOTIFICATION:sha256:[0-9a-f]{32}$/);
    expect(notificationKey(verify(authorizationBody), Buffer.from(authorizationBody))).toBe(k);
    expect(notificationKey(verify(disputeBody), disputeBody)).toBe('DISPUTE:DISPUTE_CREATED:dsp-1');
  });
});

describe('handler routing', () => {
  const post = (body: string) => new Request(`https://shop.example${PATH}`, { method: 'POST', headers: alipayHeaders({ body }), body });

  it('CAPTURE_RESULT goes to onCapture once (redelivery deduplicated), and to onOther without onCapture', async () => {
    const seen: string[] = [];
    const { options } = handlerSetup({
      onCapture: (n: CaptureNotification) => void seen.push(`capture ${n.captureId} ${n.outcome}`),
      onOther: () => void seen.push('other'),
    });
    const handler = createFetchNotificationHandler(options);
    expect(await (await handler(post(captureBody))).text()).toBe(ACK);
    expect(await (await handler(post(captureBody))).text()).toBe(ACK);
    const fallback = createFetchNotificationHandler(
      handlerSetup({ onOther: (n: AmsNotification) => void seen.push(`other ${n.kind}`) }).options,
    );
    expect((await fallback(post(captureBody))).status).toBe(200);
    expect(seen).toEqual(['capture cap-1 succeeded', 'other capture']);
  });
  it('without onCapture or onOther a capture is acknowledged and logged at warn level (Alipay would only resend it)', async () => {
    const { options, logs, payments } = handlerSetup();
    const res = await createFetchNotificationHandler(options)(post(captureBody));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(ACK);
    expect(logs.some((l) => l.level === 'warn' && l.message.includes('onCapture (or onOther)'))).toBe(true);
    expect(payments).toEqual([]);
  });
  it('a notification without notifyType reaches onOther with its body and is acknowledged, never 400', async () => {
    const got: AmsNotification[] = [];
    const handler = createFetchNotificationHandler(handlerSetup({ onOther: (n: AmsNotification) => void got.push(n) }).options);
    const res = await handler(post(authorizationBody));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(ACK);
    expect(got).toEqual([{ ...JSON.parse(authorizationBody), kind: 'other' }]);
    const none = await createFetchNotificationHandler(handlerSetup().options)(post(authorizationBody));
    expect(none.status).toBe(200);
  });
  it('onCapture must be a function', () => {
    expect(() => createFetchNotificationHandler(handlerSetup({ onCapture: 'yes' }).options)).toThrow(/onCapture: must be a function/);
  });
});
