// The msw handlers and the loopback HTTP gateway are one implementation: the same script gives the same answers.
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, loopbackFriendlyMsw, outcome, payRequest, startTarget, type TargetKind } from './targets';

const server = loopbackFriendlyMsw();
afterAll(() => server.close());

/** A whole payment life with faults along the way; returns every outcome, stripped of ids and times. */
async function scenario(kind: TargetKind): Promise<unknown[]> {
  const target = await startTarget(kind, server, {
    faults: { pay: ['U', '503', 'ok', 'unsignedF'], inquiryPayment: ['429', 'truncated'], refund: ['reset'] },
  });
  try {
    const { client } = target.client();
    const out: unknown[] = [];
    out.push(await outcome(client.pay(payRequest('parity-1'))));
    out.push(await outcome(client.pay(payRequest('parity-1'))));
    out.push(await outcome(client.pay(payRequest('parity-2'))));
    out.push(await outcome(client.pay(payRequest('parity-1', '2999'))));
    out.push(await outcome(client.inquiryPayment({ paymentRequestId: 'parity-1' })));
    out.push(await outcome(client.inquiryPayment({ paymentRequestId: 'parity-1' })));
    out.push(await outcome(client.inquiryPayment({ paymentRequestId: 'nope' })));
    const p = target.gateway.getPayment('parity-1')!;
    await target.gateway.completePayment(p.paymentId);
    out.push(await outcome(client.inquiryPayment({ paymentId: p.paymentId })));
    out.push(
      await outcome(client.refund({ refundRequestId: 'r-1', paymentId: p.paymentId, refundAmount: { currency: 'USD', value: '999' } })),
    );
    out.push(
      await outcome(client.refund({ refundRequestId: 'r-2', paymentId: p.paymentId, refundAmount: { currency: 'USD', value: '1001' } })),
    );
    out.push(
      await outcome(client.refund({ refundRequestId: 'r-1', paymentId: p.paymentId, refundAmount: { currency: 'USD', value: '998' } })),
    );
    out.push(await outcome(client.inquiryRefund({ refundRequestId: 'r-1' })));
    out.push(await outcome(client.inquiryRefund({ refundId: 'unknown' })));
    // A paid payment can be cancelled (and is refunded), but not once it has a refund.
    out.push(await outcome(client.cancel({ paymentId: p.paymentId })));
    out.push(await outcome(client.cancel({ paymentRequestId: 'parity-2' })));
    out.push(await outcome(client.inquiryPayment({ paymentRequestId: 'parity-2' })));
    out.push(target.gateway.events.filter((e) => e.type === 'fault').map((e) => `${e.api}:${e.fault}`));
    return out;
  } finally {
    await target.close();
  }
}

describe('parity', () => {
  it('msw handlers and the HTTP gateway answer the same script identically', async () => {
    const viaMsw = await scenario('msw');
    const viaHttp = await scenario('http');
    expect(viaHttp).toEqual(viaMsw);
    // And the answers are the protocol's, not merely equal.
    expect(viaMsw.slice(0, 4)).toEqual([
      { ok: true, result: 'U/PAYMENT_IN_PROCESS', paymentAmount: { currency: 'USD', value: '1999' }, redirectMethod: 'GET' },
      { ok: false, error: 'AmsApiError', resultCode: 'PROCESS_FAIL', httpStatus: 200 },
      { ok: true, result: 'U/PAYMENT_IN_PROCESS', paymentAmount: { currency: 'USD', value: '1999' }, redirectMethod: 'GET' },
      { ok: false, error: 'AmsApiError', resultCode: 'REPEAT_REQ_INCONSISTENT', httpStatus: 200 },
    ]);
    // 429 is retried, then the truncated answer is not JSON: AmsHttpError, not retried.
    expect(viaMsw[4]).toMatchObject({ ok: false, error: 'AmsHttpError' });
    expect(viaMsw[5]).toMatchObject({ ok: true, paymentStatus: 'PROCESSING' });
    expect(viaMsw[6]).toMatchObject({ ok: false, resultCode: 'ORDER_NOT_EXIST' });
    expect(viaMsw[7]).toMatchObject({ ok: true, paymentStatus: 'SUCCESS' });
    expect(viaMsw[8]).toMatchObject({ ok: true, result: 'S/SUCCESS', refundAmount: { currency: 'USD', value: '999' } });
    expect(viaMsw[9]).toMatchObject({ ok: false, resultCode: 'REFUND_AMOUNT_EXCEED' });
    expect(viaMsw[10]).toMatchObject({ ok: false, resultCode: 'REPEAT_REQ_INCONSISTENT' });
    expect(viaMsw[11]).toMatchObject({ ok: true, refundStatus: 'SUCCESS' });
    expect(viaMsw[12]).toMatchObject({ ok: false, resultCode: 'ORDER_NOT_EXIST' });
    expect(viaMsw[13]).toMatchObject({ ok: false, resultCode: 'PROCESS_FAIL' });
    expect(viaMsw[14]).toMatchObject({ ok: true, result: 'S/SUCCESS' });
    expect(viaMsw[15]).toMatchObject({ ok: true, paymentStatus: 'CANCELLED' });
    expect(viaMsw[16]).toEqual(['pay:U', 'pay:503', 'pay:unsignedF', 'inquiryPayment:429', 'inquiryPayment:truncated', 'refund:reset']);
  });

  it('serves the cashier page and its actions on the msw origins too', async () => {
    const statuses: Record<string, unknown[]> = {};
    for (const kind of ['msw', 'http'] as const) {
      const target = await startTarget(kind, server);
      try {
        const { client } = target.client();
        const res = await client.pay(payRequest('cashier-1', '1999', { paymentRedirectUrl: 'https://merchant.example/return' }));
        expect(res.normalUrl!.startsWith(`${target.origin}/alipaycn/pc/cashier?`)).toBe(true);
        const page = await fetch(res.normalUrl!);
        const html = await page.text();
        const paid = await fetch(`${target.origin}/alipaycn/pc/cashier/pay`, {
          method: 'POST',
          body: new URLSearchParams({ paymentId: res.paymentId }),
          redirect: 'manual',
        });
        statuses[kind] = [
          page.status,
          html.includes('19.99 USD'),
          paid.status,
          paid.headers.get('location'),
          (await client.inquiryPayment({ paymentId: res.paymentId })).paymentStatus,
        ];
      } finally {
        await target.close();
      }
    }
    expect(statuses.msw).toEqual([200, true, 303, 'https://merchant.example/return', 'SUCCESS']);
    expect(statuses.http).toEqual(statuses.msw);
  });
});

describe('parity of the remaining faults and of raw bytes', () => {
  /** Every fault the parity scenario above does not script, plus requests the client would never send. */
  async function rest(kind: TargetKind): Promise<unknown[]> {
    const target = await startTarget(kind, server, {
      faults: {
        pay: [{ fault: 'delay', ms: 20 }, 'badSignature', 'html', 'wrongContentType', { fault: 'hang', ms: 3000 }],
      },
    });
    try {
      const { client } = target.client({ timeoutMs: 1000, maxRetries: 0 });
      const out: unknown[] = [];
      for (let i = 0; i < 5; i++) out.push(await outcome(client.pay(payRequest(`rest-${i}`))));
      // A signed body that starts with a BOM: both adapters must verify the bytes as sent.
      const { signRequest } = await import('../../src/index');
      const { merchant } = await import('../helpers/keys');
      const path = '/ams/sandbox/api/v1/payments/inquiryPayment';
      const body = '\uFEFF{"paymentRequestId":"rest-0"}';
      const time = '2026-11-22T00:00:00+00:00';
      const signature = signRequest({ path, clientId: CLIENT_ID, requestTime: time, body, privateKey: merchant.privatePkcs8Pem });
      const res = await fetch(`${target.origin}${path}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'client-id': CLIENT_ID, 'request-time': time, signature },
      });
      out.push(JSON.parse(await res.text()).result);
      // A scripted U never answers a request that does not verify.
      target.gateway.script('inquiryPayment', ['U']);
      const unsigned = await fetch(`${target.origin}${path}`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json', 'client-id': CLIENT_ID },
      });
      out.push({ result: JSON.parse(await unsigned.text()).result, signed: unsigned.headers.get('signature') !== null });
      return out;
    } finally {
      await target.close();
    }
  }

  it('delay, badSignature, html, wrongContentType, hang, a BOM body and an unsigned request: same answers', async () => {
    const viaMsw = await rest('msw');
    const viaHttp = await rest('http');
    expect(viaHttp).toEqual(viaMsw);
    expect(viaMsw[0]).toMatchObject({ ok: true, result: 'U/PAYMENT_IN_PROCESS' });
    expect(viaMsw[1]).toMatchObject({ ok: false, error: 'AmsSignatureError' });
    expect(viaMsw[2]).toMatchObject({ ok: false, error: 'AmsHttpError' });
    expect(viaMsw[3]).toMatchObject({ ok: true, result: 'U/PAYMENT_IN_PROCESS' });
    expect(viaMsw[4]).toMatchObject({ ok: false, error: 'AmsTimeoutError' });
    expect(viaMsw[5]).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(viaMsw[6]).toMatchObject({ result: { resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' }, signed: false });
  });
});
