// Each attempt's abort signal: reused only for the package's own transports, and never once fired or still listened to.
import { describe, expect, it } from 'vitest';
import { attemptSignal } from '../../src/api/attempt-signal';
import { createAxiosTransport } from '../../src/http/axios-transport';
import { createDefaultTransport } from '../../src/http/default-transport';
import { createNodeHttpTransport } from '../../src/http/node-transport';
import { AmsTimeoutError } from '../../src/index';
import { abortedFailure, RELEASES_SIGNAL, type HttpRequest, type HttpResponse, type Transport } from '../../src/http/types';
import { IN_PROCESS, signedHeaders } from '../helpers/ams-responder';
import { payRequest, testClient } from '../helpers/client';

const PATH = '/ams/sandbox/api/v1/payments/pay';
const CLIENT = 'SANDBOX_5Y055A2Y2F6K05235';

function answer(id: string): HttpResponse {
  const body = JSON.stringify({ ...IN_PROCESS, paymentRequestId: id });
  return { status: 200, headers: signedHeaders(body, { path: PATH, clientId: CLIENT }), body };
}

/** A transport that answers at once and records the signal of every request it is given. */
function recording(behave: (req: HttpRequest) => void = () => undefined): { transport: Transport; signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  const transport: Transport = async (req) => {
    signals.push(req.signal);
    behave(req);
    return answer((JSON.parse(req.body) as { paymentRequestId: string }).paymentRequestId);
  };
  return { transport, signals };
}

describe('attemptSignal', () => {
  it('with reuse, hands an unfired signal nobody listens to out again', () => {
    const a = attemptSignal(60_000, undefined, true);
    a.release();
    const b = attemptSignal(60_000, undefined, true);
    expect(b.signal).toBe(a.signal);
    b.release();
  });

  it('never reuses a signal that fired, or one that still has a listener, or any signal without reuse', () => {
    const listened = attemptSignal(60_000, undefined, true);
    listened.signal.addEventListener('abort', () => undefined);
    listened.release();
    expect(attemptSignal(60_000, undefined, true).signal).not.toBe(listened.signal);

    const caller = new AbortController();
    const fired = attemptSignal(60_000, caller.signal, true);
    caller.abort(new Error('stop'));
    expect(fired.signal.aborted).toBe(true);
    fired.release();
    const next = attemptSignal(60_000, undefined, true);
    expect(next.signal).not.toBe(fired.signal);
    expect(next.signal.aborted).toBe(false);
    next.release();

    const own = attemptSignal(60_000, undefined, false);
    own.release();
    expect(attemptSignal(60_000, undefined, false).signal).not.toBe(own.signal);
  });

  it('a timeout aborts with a TimeoutError, and release stops the timer', async () => {
    const timed = attemptSignal(10, undefined, true);
    await new Promise((r) => setTimeout(r, 30));
    expect((timed.signal.reason as Error).name).toBe('TimeoutError');
    timed.release();
    const released = attemptSignal(10, undefined, true);
    released.release();
    await new Promise((r) => setTimeout(r, 30));
    expect(released.signal.aborted).toBe(false);
  });
});

describe('attempt signals in the client', () => {
  it("only the package's own node:http and default transports are known to let go of a signal", () => {
    expect(RELEASES_SIGNAL.has(createNodeHttpTransport())).toBe(true);
    expect(RELEASES_SIGNAL.has(createDefaultTransport())).toBe(true);
    expect(RELEASES_SIGNAL.has(createAxiosTransport())).toBe(false);
  });

  it('a transport you give the client gets a fresh signal every attempt, so one derived with AbortSignal.any never sees a later abort', async () => {
    const derived: AbortSignal[] = [];
    const { transport, signals } = recording((req) => void derived.push(AbortSignal.any([req.signal])));
    const { client } = testClient({ transport, sandbox: true });
    for (let i = 0; i < 4; i++) await client.pay(payRequest({ paymentRequestId: `pr-any-${i}` }));
    expect(new Set(signals).size).toBe(4);
    const hang: Transport = (req) =>
      new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(abortedFailure(req.signal))));
    const { client: slow } = testClient({ transport: hang, sandbox: true, timeoutMs: 20, maxRetries: 0 });
    await expect(slow.pay(payRequest())).rejects.toBeInstanceOf(AmsTimeoutError);
    for (const d of derived) expect(d.aborted).toBe(false);
  });

  it('every attempt gets a signal that has not fired', async () => {
    const { transport, signals } = recording();
    const { client } = testClient({ transport, sandbox: true });
    for (let i = 0; i < 5; i++) await client.pay(payRequest({ paymentRequestId: `pr-${i}` }));
    expect(signals).toHaveLength(5);
    for (const s of signals) expect(s.aborted).toBe(false);
  });

  it('a signal a transport still listens to is never handed to a later attempt, so its listener never fires for another request', async () => {
    let fired = 0;
    const { transport, signals } = recording((req) => req.signal.addEventListener('abort', () => fired++));
    const { client } = testClient({ transport, sandbox: true });
    for (let i = 0; i < 4; i++) await client.pay(payRequest({ paymentRequestId: `pr-${i}` }));
    expect(new Set(signals).size).toBe(4);
    // A later call that times out aborts its own signal only.
    const hang: Transport = (req) =>
      new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(abortedFailure(req.signal))));
    const { client: slow } = testClient({ transport: hang, sandbox: true, timeoutMs: 20, maxRetries: 0 });
    await expect(slow.pay(payRequest())).rejects.toBeInstanceOf(AmsTimeoutError);
    expect(fired).toBe(0);
  });

  it('a signal that fired (a timeout) is not handed out again', async () => {
    const seen: AbortSignal[] = [];
    let call = 0;
    const transport: Transport = (req) => {
      seen.push(req.signal);
      if (call++ === 0) {
        return new Promise((_, reject) => {
          const onAbort = (): void => {
            req.signal.removeEventListener('abort', onAbort);
            reject(abortedFailure(req.signal));
          };
          req.signal.addEventListener('abort', onAbort);
        });
      }
      return Promise.resolve(answer((JSON.parse(req.body) as { paymentRequestId: string }).paymentRequestId));
    };
    const { client } = testClient({ transport, sandbox: true, timeoutMs: 20, maxRetries: 0 });
    await expect(client.pay(payRequest({ paymentRequestId: 'pr-slow' }))).rejects.toBeInstanceOf(AmsTimeoutError);
    expect(seen[0]!.aborted).toBe(true);
    await client.pay(payRequest({ paymentRequestId: 'pr-next' }));
    expect(seen[1]).not.toBe(seen[0]);
    expect(seen[1]!.aborted).toBe(false);
  });

  it("the caller's signal still aborts an attempt whose signal was used before", async () => {
    const { transport } = recording();
    const { client } = testClient({ transport, sandbox: true });
    await client.pay(payRequest({ paymentRequestId: 'pr-a' }));
    let aborted: AbortSignal | undefined;
    const hang: Transport = (req) =>
      new Promise((_, reject) => {
        aborted = req.signal;
        req.signal.addEventListener('abort', () => reject(abortedFailure(req.signal)), { once: true });
      });
    const { client: c2 } = testClient({ transport: hang, sandbox: true });
    const controller = new AbortController();
    const p = c2.pay(payRequest({ paymentRequestId: 'pr-b' }), { signal: controller.signal });
    controller.abort(new Error('user cancelled'));
    await expect(p).rejects.toMatchObject({ name: 'AmsAbortError' });
    expect(aborted!.aborted).toBe(true);
  });
});
