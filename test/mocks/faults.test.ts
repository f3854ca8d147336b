// Every scripted fault, against both adapters: what the client sees and whether the call was processed.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AmsApiError, AmsConnectionError, AmsHttpError, AmsSignatureError, AmsTimeoutError, AmsUnknownResultError } from '../../src/index';
import { FAULT_NAMES, GATEWAY_NOTIFY_TYPES, REWRITE_LIMITS, createGatewayCore, type FaultSpec } from '../../mocks/index';
import { applyRewrite } from '../../mocks/rewrite';
import { loopbackFriendlyMsw, payRequest, startTarget, type Target, type TargetKind } from './targets';

const server = loopbackFriendlyMsw();
afterAll(() => server.close());

describe.each<TargetKind>(['msw', 'http'])('faults via %s', (kind) => {
  let target: Target;
  afterEach(async () => target?.close());

  async function withFaults(faults: FaultSpec[], clientOverrides = {}) {
    target = await startTarget(kind, server, { faults: { pay: faults } });
    return target.client(clientOverrides);
  }

  it('U: a signed UNKNOWN_EXCEPTION, retried with the same body until it gets through', async () => {
    const { client, sleeps } = await withFaults(['U', 'U']);
    const res = await client.pay(payRequest('f-u'));
    expect(res.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    expect(sleeps).toHaveLength(2);
    expect(target.gateway.payments).toHaveLength(1);
  });

  it('U on every attempt: AmsUnknownResultError, and nothing was created', async () => {
    const { client } = await withFaults(['U', 'U', 'U']);
    await expect(client.pay(payRequest('f-uuu'))).rejects.toBeInstanceOf(AmsUnknownResultError);
    expect(target.gateway.payments).toHaveLength(0);
  });

  it('503 (and any 5xx): retried', async () => {
    const { client } = await withFaults(['503', '500']);
    await expect(client.pay(payRequest('f-503'))).resolves.toMatchObject({ result: { resultStatus: 'U' } });
    expect(target.gateway.events.filter((e) => e.type === 'request.received')).toHaveLength(3);
  });

  it('429 with Retry-After: the client waits as told', async () => {
    const { client, sleeps } = await withFaults([{ fault: '429', retryAfterSeconds: 3 }]);
    await client.pay(payRequest('f-429'));
    expect(sleeps).toEqual([3000]);
  });

  it('reset: the connection drops without an answer; retried', async () => {
    const { client } = await withFaults(['reset']);
    await expect(client.pay(payRequest('f-reset'))).resolves.toMatchObject({ result: { resultCode: 'PAYMENT_IN_PROCESS' } });
    const { client: c2 } = target.client({ maxRetries: 0 });
    target.gateway.script('pay', ['reset']);
    const err = await c2.pay(payRequest('f-reset-2')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsConnectionError);
  });

  it('hang: no answer until the client times out', async () => {
    const { client } = await withFaults(['hang'], { timeoutMs: 300, maxRetries: 0 });
    const err = await client.pay(payRequest('f-hang')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsTimeoutError);
  });

  it('delay: the normal answer, late', async () => {
    const { client } = await withFaults([{ fault: 'delay', ms: 150 }]);
    const started = Date.now();
    await client.pay(payRequest('f-delay'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('unsignedF: accepted unsigned because it is F, thrown as AmsApiError, not retried', async () => {
    const { client } = await withFaults([{ fault: 'unsignedF', resultCode: 'ACCESS_DENIED' }]);
    const err = await client.pay(payRequest('f-unsigned')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsApiError);
    expect((err as AmsApiError).resultCode).toBe('ACCESS_DENIED');
    expect(target.gateway.events.filter((e) => e.type === 'request.received')).toHaveLength(1);
  });

  it('badSignature: rejected as a signature mismatch', async () => {
    const { client } = await withFaults(['badSignature']);
    const err = await client.pay(payRequest('f-badsig')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsSignatureError);
    expect((err as AmsSignatureError).reason).toBe('mismatch');
    // Processed all the same: the retry (same id) finds the payment.
    expect(target.gateway.payments).toHaveLength(1);
    await expect(client.pay(payRequest('f-badsig'))).resolves.toMatchObject({ paymentId: target.gateway.payments[0]!.paymentId });
  });

  it('truncated: half a body is not an AMS answer', async () => {
    const { client } = await withFaults(['truncated']);
    const err = await client.pay(payRequest('f-trunc')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsHttpError);
  });

  it('html: an HTML error page (502), retried, then AmsHttpError naming it', async () => {
    const { client } = await withFaults(['html', 'html', 'html']);
    const err = (await client.pay(payRequest('f-html')).catch((e: unknown) => e)) as AmsHttpError;
    expect(err).toBeInstanceOf(AmsHttpError);
    expect(err.httpStatus).toBe(502);
    expect(err.bodySnippet).toContain('<html>');
  });

  it('wrongContentType: the signed answer labelled text/plain still verifies', async () => {
    const { client } = await withFaults(['wrongContentType']);
    await expect(client.pay(payRequest('f-ct'))).resolves.toMatchObject({ result: { resultCode: 'PAYMENT_IN_PROCESS' } });
  });

  it('rewrite: the answer with its fields set (dotted paths) and signed after: it verifies, and the values are kept', async () => {
    const { client } = await withFaults([]);
    const created = await client.pay(payRequest('f-rw'));
    target.gateway.script('inquiryPayment', [
      {
        fault: 'rewrite',
        set: {
          paymentStatus: 'NEW_STATUS',
          'transactions.0.transactionStatus': 'X',
          'transactions.0.transactionType': 'REVERSAL',
          someNewField: { nested: [1, 'two'] },
          'paymentAmount.value': '2000',
          paymentResultCode: undefined,
        },
      },
    ]);
    const res = await client.inquiryPayment({ paymentId: created.paymentId });
    expect(res).toMatchObject({
      paymentStatus: 'NEW_STATUS',
      transactions: [{ transactionStatus: 'X', transactionType: 'REVERSAL' }],
      someNewField: { nested: [1, 'two'] },
      paymentAmount: { currency: 'USD', value: '2000' },
      paymentId: created.paymentId,
    });
    expect(res).not.toHaveProperty('paymentResultCode');
    expect(target.gateway.events).toContainEqual(expect.objectContaining({ type: 'fault', api: 'inquiryPayment', fault: 'rewrite' }));
    // One call only: the next answer is the gateway's own again.
    await expect(client.inquiryPayment({ paymentId: created.paymentId })).resolves.toMatchObject({ paymentStatus: 'PROCESSING' });
    // Processed: a rewritten pay still created the payment, and its result is what the client acts on.
    target.gateway.script('pay', [{ fault: 'rewrite', set: { 'result.resultCode': 'SOMETHING_NEW', 'result.resultStatus': 'F' } }]);
    await expect(client.pay(payRequest('f-rw-2'))).rejects.toMatchObject({ name: 'AmsApiError', resultCode: 'SOMETHING_NEW' });
    expect(target.gateway.getPayment('f-rw-2')).toBeDefined();
  });
});

describe('fault script', () => {
  it('rejects unknown fault and API names, listing the valid ones', () => {
    const core = createGatewayCore({ alipayPrivateKey: undefined });
    expect(() => core.script('pay', ['boom' as FaultSpec])).toThrow(/Unknown gateway fault "boom"; use one of ok, U, 429/);
    expect(() => core.script('vaultPaymentMethod' as 'pay', ['U'])).toThrow(/Unknown gateway API/);
    expect(FAULT_NAMES).toContain('badSignature');
    core.script('refund', ['U', '503']);
    expect(core.pendingFaults('refund')).toBe(2);
    core.clearScript();
    expect(core.pendingFaults('refund')).toBe(0);
    core.close();
  });

  it('a rewrite must say what to set: bounded, JSON only, no prototype paths; any other fault takes no set', () => {
    const core = createGatewayCore();
    const bad = (spec: unknown) => () => core.script('inquiryPayment', [spec as FaultSpec]);
    expect(FAULT_NAMES).toContain('rewrite');
    expect(bad('rewrite')).toThrow(/fault rewrite: set must be an object of dotted paths to values, e\.g\. \{ paymentStatus/);
    expect(bad({ fault: 'rewrite', set: {} })).toThrow(/set must hold 1 to 100 paths/);
    expect(bad({ fault: 'rewrite', set: [] })).toThrow(TypeError);
    expect(bad({ fault: 'rewrite', set: { 'a..b': 1 } })).toThrow(/empty segment/);
    expect(bad({ fault: 'rewrite', set: { '__proto__.polluted': 1 } })).toThrow(/"__proto__", which is not a field/);
    expect(bad({ fault: 'rewrite', set: { 'a.constructor.prototype': 1 } })).toThrow(TypeError);
    expect(bad({ fault: 'rewrite', set: { a: { __proto__: null, b: 1 } } })).toThrow(/non-plain object/);
    expect(bad({ fault: 'rewrite', set: { 'a.1000': 1 } })).toThrow(/array indexes go up to 999/);
    expect(bad({ fault: 'rewrite', set: { a: () => 1 } })).toThrow(/function, which JSON does not carry/);
    expect(bad({ fault: 'rewrite', set: { a: 1n } })).toThrow(/bigint/);
    expect(bad({ fault: 'rewrite', set: { a: Number.NaN } })).toThrow(/not a JSON number/);
    expect(bad({ fault: 'rewrite', set: { a: new Date() } })).toThrow(/non-plain object/);
    expect(bad({ fault: 'rewrite', set: { [`${'x.'.repeat(16)}y`]: 1 } })).toThrow(/more than 16 segments/);
    expect(bad({ fault: 'rewrite', set: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, i])) })).toThrow(
      /1 to 100 paths/,
    );
    expect(bad({ fault: 'rewrite', set: { a: 'x'.repeat(REWRITE_LIMITS.bytes) } })).toThrow(/larger than 64 KiB/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(bad({ fault: 'rewrite', set: { a: cyclic } })).toThrow(/nested deeper than 16/);
    expect(bad({ fault: 'U', set: { a: 1 } })).toThrow(/fault U: set belongs to the rewrite fault only/);
    expect(core.pendingFaults('inquiryPayment')).toBe(0);
    // The set is copied: changing the caller's object later changes nothing.
    const set = { paymentStatus: 'NEW' };
    core.script('inquiryPayment', [{ fault: 'rewrite', set }]);
    set.paymentStatus = 'CHANGED';
    expect(core.pendingFaults('inquiryPayment')).toBe(1);
    core.close();
  });

  it('notification rewrites are validated the same way and name the notify types', () => {
    expect(() => createGatewayCore({ notificationRewrite: { REFUND_DONE: { a: 1 } } as never })).toThrow(
      new TypeError(`Unknown notifyType "REFUND_DONE" to rewrite; use one of ${GATEWAY_NOTIFY_TYPES.join(', ')}`),
    );
    expect(() => createGatewayCore({ notificationRewrite: { REFUND_RESULT: { '': 1 } } })).toThrow(
      /notification rewrite REFUND_RESULT: path/,
    );
    const core = createGatewayCore();
    expect(() => core.rewriteNotifications('PAYMENT_RESULT', { 'a.__proto__': 1 })).toThrow(TypeError);
    expect(core.rewriteNotifications('PAYMENT_RESULT', { a: 1 }).rewriteNotifications('PAYMENT_RESULT', undefined)).toBe(core);
    core.close();
  });

  it('applyRewrite: a copy, paths created as needed, numbers index arrays, undefined removes', () => {
    const body = { result: { resultStatus: 'S' }, list: [{ a: 1 }], keep: 'x', gone: 1 };
    const out = applyRewrite(body, {
      'result.resultCode': 'NEW',
      'list.0.a': 2,
      'list.1.b': 3,
      'fresh.0.deep': true,
      'keep.inner': 'replaces the string',
      gone: undefined,
    });
    expect(out).toEqual({
      result: { resultStatus: 'S', resultCode: 'NEW' },
      list: [{ a: 2 }, { b: 3 }],
      fresh: [{ deep: true }],
      keep: { inner: 'replaces the string' },
    });
    expect(body).toEqual({ result: { resultStatus: 'S' }, list: [{ a: 1 }], keep: 'x', gone: 1 });
  });
});
