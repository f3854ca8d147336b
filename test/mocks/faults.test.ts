// Every scripted fault, against both adapters: what the client sees and whether the call was processed.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AmsApiError, AmsConnectionError, AmsHttpError, AmsSignatureError, AmsTimeoutError, AmsUnknownResultError } from '../../src/index';
import { FAULT_NAMES, createGatewayCore, type FaultSpec } from '../../mocks/index';
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
});
