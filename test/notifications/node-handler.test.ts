// The Node handler over a real loopback socket: acknowledge only after the callback, never for a forgery, and once per notification.
import { request as httpRequest } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { AmsConfigError } from '../../src/errors';
import {
  createFetchNotificationHandler,
  createMemoryNotificationStore,
  createNotificationHandler,
  type NotificationStore,
  type PaymentNotification,
} from '../../src/index';
import { thrown } from '../helpers/expect';
import { FIXED_NOW, testClient } from '../helpers/client';
import { alipay, merchant, other } from '../helpers/keys';
import {
  ACK,
  alipayHeaders,
  CLIENT_ID,
  gate,
  handlerSetup,
  listen,
  otherBody,
  PATH,
  recordingLogger,
  refundBody,
  until,
  usdBody,
  type Running,
} from './helpers';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function serve(handler: Parameters<typeof listen>[0]): Promise<string> {
  const r = await listen(handler);
  running.push(r);
  return r.url;
}

interface Delivery {
  body?: string;
  headers?: Record<string, string>;
  key?: string;
  time?: string;
  path?: string;
  url?: string;
}

async function deliver(base: string, d: Delivery = {}): Promise<{ status: number; body: string; headers: Headers }> {
  const body = d.body ?? usdBody;
  const path = d.path ?? PATH;
  const headers = d.headers ?? alipayHeaders({ body, path, ...(d.key ? { key: d.key } : {}), ...(d.time ? { time: d.time } : {}) });
  const res = await fetch(`${base}${d.url ?? path}`, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

function setup(extra: Record<string, unknown> = {}) {
  const { options, payments, logs } = handlerSetup(extra);
  return { handler: createNotificationHandler(options), payments, logs };
}

describe('createNotificationHandler on http.createServer', () => {
  it('acknowledges only after the callback has finished', async () => {
    const g = gate();
    const events: string[] = [];
    const { handler } = setup({
      onPayment: async (n: PaymentNotification) => {
        events.push(`start ${n.paymentId.slice(0, 6)}`);
        await g.wait;
        events.push('end');
      },
    });
    const url = await serve(handler);
    let settled = false;
    const pending = deliver(url).then((r) => {
      settled = true;
      events.push('response');
      return r;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(events).toEqual(['start 812202']);
    expect(settled).toBe(false);
    g.open();
    const res = await pending;
    expect(events).toEqual(['start 812202', 'end', 'response']);
    expect(res.status).toBe(200);
    expect(res.body).toBe(ACK);
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('answers 401 to a forgery without calling the callback', async () => {
    const { handler, payments, logs } = setup();
    const url = await serve(handler);
    for (const d of [
      { key: other.privatePem },
      { key: merchant.privatePkcs1Pem },
      { headers: { 'content-type': 'application/json' } },
      { path: '/elsewhere', url: PATH },
    ]) {
      const res = await deliver(url, d);
      expect(res.status).toBe(401);
      expect(res.body).not.toContain('SUCCESS');
    }
    const tampered = await deliver(url, { headers: alipayHeaders({ body: usdBody }), body: usdBody.replace('"100"', '"999"') });
    expect(tampered.status).toBe(401);
    expect(JSON.parse(tampered.body)).toEqual({ error: 'signature', message: 'mismatch (signature)' });
    expect(payments).toHaveLength(0);
    expect(logs.filter((l) => l.level === 'warn' && l.message.includes('signature check failed'))).toHaveLength(5);
  });

  it('answers 500 without the acknowledgement when the callback throws, and runs it again on redelivery', async () => {
    let calls = 0;
    const { handler, logs } = setup({
      onPayment: () => {
        calls++;
        if (calls === 1) throw new Error('database down');
      },
    });
    const url = await serve(handler);
    const first = await deliver(url);
    expect(first.status).toBe(500);
    expect(first.body).not.toContain('SUCCESS');
    expect(JSON.parse(first.body).error).toBe('callback_failed');
    expect(logs.some((l) => l.level === 'error' && l.message.includes('callback threw'))).toBe(true);
    const second = await deliver(url, { time: '2026-11-22T00:02:00+00:00' });
    expect(second.status).toBe(200);
    expect(second.body).toBe(ACK);
    expect(calls).toBe(2);
  });

  it('answers 413 to a body over the limit, declared or streamed, without calling the callback', async () => {
    const { handler, payments } = setup({ maxBodyBytes: 1024 });
    const url = await serve(handler);
    const big = JSON.stringify({ ...JSON.parse(usdBody), padding: 'x'.repeat(2000) });
    const declared = await deliver(url, { body: big });
    expect(declared.status).toBe(413);
    // Chunked, no content-length: the limit applies while reading.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${url}${PATH}`, { method: 'POST', headers: alipayHeaders({ body: big }) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(big.slice(0, 800));
      setTimeout(() => req.end(big.slice(800)), 20);
    });
    expect(streamed).toBe(413);
    expect(payments).toHaveLength(0);
    // A body under the limit is read as usual.
    const small = await deliver(url);
    expect(small.status).toBe(200);
  });

  it('has a 1 MiB default limit', async () => {
    const { handler, payments } = setup();
    const url = await serve(handler);
    const body = JSON.stringify({ ...JSON.parse(usdBody), padding: 'x'.repeat(1024 * 1024) });
    expect((await deliver(url, { body })).status).toBe(413);
    const fits = JSON.stringify({ ...JSON.parse(usdBody), padding: 'x'.repeat(1024 * 1024 - 1000) });
    expect((await deliver(url, { body: fits })).status).toBe(200);
    expect(payments).toHaveLength(1);
  });

  it('acknowledges a redelivered, already handled notification without calling the callback', async () => {
    const { handler, payments, logs } = setup();
    const url = await serve(handler);
    const a = await deliver(url);
    const b = await deliver(url, { time: '2026-11-22T00:02:00+00:00' });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toBe(ACK);
    expect(payments).toHaveLength(1);
    expect(logs.some((l) => l.level === 'debug' && l.message.includes('duplicate'))).toBe(true);
    // A different notification is not a duplicate.
    const c = await deliver(url, { body: usdBody.replace('JNxpyudMsn', 'ZZxpyudMsn') });
    expect(c.status).toBe(200);
    expect(payments).toHaveLength(2);
  });

  it('concurrent deliveries of one notification: one claims, the other gets 503 without the acknowledgement', async () => {
    const g = gate();
    let calls = 0;
    const { handler } = setup({
      onPayment: async () => {
        calls++;
        await g.wait;
      },
    });
    const url = await serve(handler);
    const first = deliver(url);
    await new Promise((r) => setTimeout(r, 100));
    const second = await deliver(url, { time: '2026-11-22T00:00:01+00:00' });
    expect(second.status).toBe(503);
    expect(second.body).not.toContain('SUCCESS');
    expect(JSON.parse(second.body).error).toBe('in_progress');
    g.open();
    const r1 = await first;
    expect(r1.status).toBe(200);
    expect(r1.body).toBe(ACK);
    const third = await deliver(url);
    expect(third.status).toBe(200);
    expect(calls).toBe(1);
  });

  it('many simultaneous deliveries of one notification run the callback once', async () => {
    let calls = 0;
    // The first delivery's callback is held until the nine others were answered, however slowly they arrive.
    const held = gate();
    const { handler } = setup({
      onPayment: async () => {
        calls++;
        await held.wait;
      },
    });
    const url = await serve(handler);
    const answered: Awaited<ReturnType<typeof deliver>>[] = [];
    const all = Array.from({ length: 10 }, () =>
      deliver(url).then((r) => {
        answered.push(r);
        return r;
      }),
    );
    await until(() => answered.length === 9, 30_000);
    expect(answered.map((r) => r.status)).toEqual(Array(9).fill(503));
    held.open();
    const results = await Promise.all(all);
    expect(calls).toBe(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 503)).toHaveLength(9);
  });

  it('a store that fails: 503, logged, never processed; a failed complete still acknowledges the finished work', async () => {
    const broken: NotificationStore = {
      claim: async () => {
        throw new Error('ECONNREFUSED');
      },
      complete: async () => undefined,
      release: async () => undefined,
    };
    const a = setup({ dedupe: broken });
    const url = await serve(a.handler);
    const res = await deliver(url);
    expect(res.status).toBe(503);
    expect(res.body).not.toContain('SUCCESS');
    expect(a.payments).toHaveLength(0);
    expect(a.logs.some((l) => l.level === 'error' && l.message.includes('store unavailable'))).toBe(true);

    const mem = createMemoryNotificationStore();
    const flaky: NotificationStore = {
      claim: (k) => mem.claim(k),
      complete: async () => {
        throw new Error('ECONNRESET');
      },
      release: (k, t) => mem.release(k, t),
    };
    const b = setup({ dedupe: flaky });
    const url2 = await serve(b.handler);
    const ok = await deliver(url2);
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(ACK);
    expect(b.payments).toHaveLength(1);
    expect(b.logs.some((l) => l.level === 'error' && l.message.includes('could not mark it done'))).toBe(true);
  });

  it('a store that answers busy/done is obeyed; a custom store sees the token it issued', async () => {
    const calls: string[] = [];
    const store: NotificationStore = {
      claim: (k) => {
        calls.push(`claim ${k}`);
        return { state: 'claimed', token: 't-1' };
      },
      complete: (k, t) => {
        calls.push(`complete ${k} ${t}`);
      },
      release: (k, t) => {
        calls.push(`release ${k} ${t}`);
      },
    };
    const { handler } = setup({ dedupe: store });
    const url = await serve(handler);
    expect((await deliver(url)).status).toBe(200);
    const key = 'PAYMENT_RESULT:812202715898044274806386466931604175JNxpyudMsn202005180001827071';
    expect(calls).toEqual([`claim ${key}`, `complete ${key} t-1`]);
  });

  it('dedupe: false runs the callback on every delivery', async () => {
    const { handler, payments } = setup({ dedupe: false });
    const url = await serve(handler);
    await deliver(url);
    await deliver(url);
    expect(payments).toHaveLength(2);
  });

  it('derives the path from the request when none is given (query string ignored)', async () => {
    const rec = recordingLogger();
    let calls = 0;
    const handler = createNotificationHandler({
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger: rec.logger,
      onPayment: () => void calls++,
    });
    const url = await serve(handler);
    expect((await deliver(url, { url: `${PATH}?shop=1` })).status).toBe(200);
    expect((await deliver(url, { url: '/somewhere-else', body: usdBody.replace('JNx', 'QQx') })).status).toBe(401);
    expect(calls).toBe(1);
  });

  it('routes refunds and other notifyTypes; without a callback for them, acknowledges and warns (Alipay would only resend)', async () => {
    const seen: string[] = [];
    const none = setup();
    const url = await serve(none.handler);
    const refund = await deliver(url, { body: refundBody });
    expect(refund.status).toBe(200);
    expect(refund.body).toBe(ACK);
    expect(await deliver(url, { body: otherBody })).toMatchObject({ status: 200, body: ACK });
    const warned = none.logs.filter((l) => l.level === 'warn' && l.message.includes('acknowledged without a callback'));
    expect(warned.map((l) => l.message)).toEqual([
      'ams: notification REFUND_RESULT acknowledged without a callback: give onRefund (or onOther) to act on it; Alipay will not send it again',
      'ams: notification UPDATE_AMOUNT_RESULT acknowledged without a callback: give onOther to act on it; Alipay will not send it again',
    ]);
    expect(warned[0]!.meta).toMatchObject({ key: 'REFUND_RESULT:2020051812345678900001', kind: 'refund', path: PATH });
    expect(none.logs.some((l) => l.level === 'error')).toBe(false);
    expect(none.payments).toEqual([]);

    const onlyOther = setup({ onOther: (n: { kind: string; notifyType: string }) => void seen.push(`other ${n.kind} ${n.notifyType}`) });
    const url2 = await serve(onlyOther.handler);
    expect((await deliver(url2, { body: refundBody })).body).toBe(ACK);
    expect((await deliver(url2, { body: otherBody })).body).toBe(ACK);

    const both = setup({
      onRefund: (n: { refundStatus: string }) => void seen.push(`refund ${n.refundStatus}`),
      onOther: (n: { notifyType: string }) => void seen.push(`other ${n.notifyType}`),
    });
    const url3 = await serve(both.handler);
    expect((await deliver(url3, { body: refundBody })).body).toBe(ACK);
    expect((await deliver(url3, { body: otherBody })).body).toBe(ACK);
    expect(seen).toEqual([
      'other refund REFUND_RESULT',
      'other other UPDATE_AMOUNT_RESULT',
      'refund SUCCESS',
      'other UPDATE_AMOUNT_RESULT',
    ]);
  });

  it('answers 400 to a signed body that is not a valid notification, 405 to other methods', async () => {
    const { handler, payments, logs } = setup();
    const url = await serve(handler);
    const notJson = await deliver(url, { body: '{"notifyType":"PAYMENT_RESULT",' });
    expect(notJson.status).toBe(400);
    const noId = JSON.stringify({ ...JSON.parse(usdBody), paymentId: undefined });
    const bad = await deliver(url, { body: noId });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).message).toContain('paymentId');
    expect(logs.some((l) => l.level === 'error' && (l.meta?.fields as string[] | undefined)?.includes('paymentId'))).toBe(true);
    const get = await fetch(`${url}${PATH}`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(payments).toHaveLength(0);
  });

  it('with a client: its key, client id and clock; tolerance; a signed acknowledgement', async () => {
    const { client, rec } = testClient();
    let calls = 0;
    const handler = createNotificationHandler({ path: PATH, client, toleranceMs: 60_000, signAck: true, onPayment: () => void calls++ });
    const url = await serve(handler);
    const now = FIXED_NOW.toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const ok = await deliver(url, { time: now });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(ACK);
    expect(ok.headers.get('client-id')).toBe(CLIENT_ID);
    expect(ok.headers.get('response-time')).toBe(now);
    const sig = decodeURIComponent(/signature=([^,]+)/.exec(ok.headers.get('signature')!)![1]!);
    const content = `POST ${PATH}\n${CLIENT_ID}.${now}.${ACK}`;
    expect(nodeVerify('sha256', Buffer.from(content), createPublicKey(merchant.publicSpkiPem), Buffer.from(sig, 'base64'))).toBe(true);

    const stale = await deliver(url, { time: '2026-11-21T23:00:00+00:00', body: usdBody.replace('JNx', 'AAx') });
    expect(stale.status).toBe(401);
    expect(JSON.parse(stale.body).message).toBe('stale (request-time)');
    const otherClient = await deliver(url, { headers: alipayHeaders({ body: usdBody, clientId: 'SANDBOX_OTHER', time: now }) });
    expect(otherClient.status).toBe(401);
    expect(calls).toBe(1);
    expect(rec.logs.some((l) => l.level === 'warn' && l.meta?.check === 'client-id')).toBe(true);
  });

  it('never logs the signature or key material', async () => {
    const { handler, logs } = setup({
      onPayment: () => {
        throw new Error('boom');
      },
    });
    const url = await serve(handler);
    const headers = alipayHeaders({ body: usdBody });
    await deliver(url, { headers });
    await deliver(url, { key: other.privatePem });
    await deliver(url, { headers: { ...headers, signature: headers.signature!.replace('RSA256', 'RSA1') } });
    const sig = decodeURIComponent(headers.signature!.split('signature=')[1]!);
    const text = JSON.stringify(logs, (_k, v: unknown) => (v instanceof Error ? v.message : v));
    expect(logs.length).toBeGreaterThanOrEqual(3);
    expect(text).not.toContain(sig.slice(0, 20));
    expect(text).not.toContain(encodeURIComponent(sig).slice(0, 20));
    expect(text).not.toContain(alipay.publicBase64.slice(30, 60));
  });

  it('refuses bad options at creation', () => {
    const ok = { path: PATH, alipayPublicKey: alipay.publicBase64, clientId: CLIENT_ID, onPayment: () => undefined };
    expect(() => createNotificationHandler({ ...ok, path: 'https://x.example/notify' })).toThrow(/path/);
    expect(() => createNotificationHandler({ ...ok, onPayment: undefined as never })).toThrow(/onPayment/);
    expect(() => createNotificationHandler({ ...ok, extra: 1 } as never)).toThrow(/unknown option/);
    expect(() => createNotificationHandler({ path: PATH, onPayment: () => undefined } as never)).toThrow(/client or alipayPublicKey/);
    expect(() => createNotificationHandler({ ...ok, dedupe: {} as never })).toThrow(/dedupe/);
    expect(() => createNotificationHandler({ ...ok, alipayPublicKey: merchant.privatePkcs1Pem })).toThrow(/private key/);
    expect(() => createNotificationHandler({ ...ok, signAck: true })).toThrow(/signAck/);
    expect(() => createNotificationHandler({ ...ok, bodyTimeoutMs: 0 })).toThrow(/bodyTimeoutMs/);
  });

  it('with alipayPublicKey, clientId is required at construction (one Alipay key serves many merchants)', () => {
    const { clientId: _omitted, ...noClientId } = {
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      onPayment: () => undefined,
    };
    const e = thrown(AmsConfigError, () => createNotificationHandler(noClientId as never));
    expect(e.field).toBe('clientId');
    expect(e.message).toMatch(/clientId: is required/);
    expect(() => createFetchNotificationHandler(noClientId as never)).toThrow(/clientId: is required/);
    // With a client, its own id is the default.
    expect(() => createNotificationHandler({ path: PATH, client: testClient().client, onPayment: () => undefined })).not.toThrow();
  });

  it('signAck that could never be built is refused at construction, not at every delivery', () => {
    const base = { path: PATH, alipayPublicKey: alipay.publicBase64, clientId: CLIENT_ID, onPayment: () => undefined };
    const noId = thrown(AmsConfigError, () =>
      createNotificationHandler({ ...base, signAck: { privateKey: merchant.privatePkcs8Pem } as never }),
    );
    expect(noId.field).toBe('signAck.clientId');
    expect(() => createNotificationHandler({ ...base, signAck: { clientId: CLIENT_ID, privateKey: 'not a key' } })).toThrow(AmsConfigError);
    expect(() =>
      createNotificationHandler({
        ...base,
        signAck: { clientId: CLIENT_ID, privateKey: merchant.privatePkcs8Pem, keyVersion: 'bad version!' },
      }),
    ).toThrow(/keyVersion/);
    expect(() => createNotificationHandler({ ...base, signAck: 'yes' as never })).toThrow(
      /signAck: must be true \(with client\), false, or \{ clientId, privateKey/,
    );
    // A client id no header can carry would make every acknowledgement throw (and a Node server crash) on delivery.
    for (const clientId of ['ME\nX', 'two words', 'é', 'x'.repeat(129)]) {
      for (const create of [createNotificationHandler, createFetchNotificationHandler]) {
        const bad = thrown(AmsConfigError, () => create({ ...base, signAck: { clientId, privateKey: merchant.privatePkcs8Pem } }));
        expect(bad.field).toBe('signAck.clientId');
      }
    }
  });
});

describe('createNotificationHandler in Express', () => {
  it("works behind express.raw({ type: '*/*' })", async () => {
    const { handler, payments } = setup();
    const app = express();
    app.post(PATH, express.raw({ type: '*/*' }), handler);
    const url = await serve(app);
    const res = await deliver(url);
    expect(res.status).toBe(200);
    expect(res.body).toBe(ACK);
    expect(payments).toHaveLength(1);
    expect((await deliver(url, { key: other.privatePem, body: usdBody.replace('JNx', 'BBx') })).status).toBe(401);
    expect(payments).toHaveLength(1);
  });

  it('works with no body parser (reads the stream itself), mounted under a router prefix', async () => {
    const { handler, payments } = setup();
    const app = express();
    const router = express.Router();
    router.post('/notify', handler);
    app.use('/alipay', router);
    const url = await serve(app);
    const res = await deliver(url);
    expect(res.status).toBe(200);
    expect(payments).toHaveLength(1);
  });

  it('behind a router prefix without a path option, the full original path is the one verified', async () => {
    let calls = 0;
    const handler = createNotificationHandler({
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger: {},
      onPayment: () => void calls++,
    });
    const app = express();
    const router = express.Router();
    router.post('/notify', handler);
    app.use('/alipay', router);
    const url = await serve(app);
    expect((await deliver(url)).status).toBe(200);
    expect(calls).toBe(1);
  });

  it('with express.json() first: a clear 500 (no ack), the express.raw hint in the answer and the log, no callback', async () => {
    const { handler, payments, logs } = setup();
    const app = express();
    app.use(express.json());
    app.post(PATH, handler);
    const url = await serve(app);
    const res = await deliver(url);
    expect(res.status).toBe(500);
    expect(res.body).not.toContain('SUCCESS');
    const body = JSON.parse(res.body);
    expect(body.error).toBe('raw_body_required');
    expect(body.message).toContain("express.raw({ type: '*/*' })");
    const line = logs.find((l) => l.level === 'error' && l.message.includes('already parsed'));
    expect(line?.message).toContain("express.raw({ type: '*/*' })");
    expect(line?.message).toContain('Fastify');
    expect(payments).toHaveLength(0);
  });

  it('express.json() that does not match the content type leaves the stream to the handler', async () => {
    const { handler, payments } = setup();
    const app = express();
    app.use(express.json({ type: 'application/vnd.other+json' }));
    app.post(PATH, handler);
    const url = await serve(app);
    expect((await deliver(url)).status).toBe(200);
    expect(payments).toHaveLength(1);
  });

  it('a body express.raw accepted is still held to maxBodyBytes', async () => {
    const { handler, payments } = setup({ maxBodyBytes: 256 });
    const app = express();
    app.post(PATH, express.raw({ type: '*/*', limit: '5mb' }), handler);
    const url = await serve(app);
    expect((await deliver(url)).status).toBe(413);
    expect(payments).toHaveLength(0);
  });

  it('express.text() gives a string body, which verifies', async () => {
    const { handler, payments } = setup();
    const app = express();
    app.post(PATH, express.text({ type: '*/*' }), handler);
    const url = await serve(app);
    expect((await deliver(url)).status).toBe(200);
    expect(payments).toHaveLength(1);
  });
});
