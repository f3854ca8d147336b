// The Fetch-style handler (Request → Response) for Next.js route handlers, Hono and similar: the same pipeline as the Node one.
import { describe, expect, it } from 'vitest';
import { createFetchNotificationHandler } from '../../src/index';
import { alipay, other } from '../helpers/keys';
import { ACK, alipayHeaders, CLIENT_ID, gate, handlerSetup, listen, PATH, refundBody, usdBody } from './helpers';

const ORIGIN = 'https://shop.example';

function post(body: string | Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string>, url = `${ORIGIN}${PATH}`): Request {
  return new Request(url, { method: 'POST', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
}

function setup(extra: Record<string, unknown> = {}) {
  const { options, payments, logs } = handlerSetup(extra);
  return { handler: createFetchNotificationHandler(options), payments, logs };
}

describe('createFetchNotificationHandler', () => {
  it('verifies, runs the callback, then answers the exact acknowledgement', async () => {
    const { handler, payments } = setup();
    const res = await handler(post(usdBody, alipayHeaders({ body: usdBody })));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe(ACK);
    expect(payments).toHaveLength(1);
    expect(payments[0]!.paymentRequestId).toBe('ams_alipaycn_cashier_pay_sandbox_request_003');
  });

  it('answers 401 to a forgery or a tampered body, without calling the callback', async () => {
    const { handler, payments } = setup();
    const forged = await handler(post(usdBody, alipayHeaders({ body: usdBody, key: other.privatePem })));
    expect(forged.status).toBe(401);
    const tampered = await handler(post(usdBody.replace('"100"', '"1"'), alipayHeaders({ body: usdBody })));
    expect(tampered.status).toBe(401);
    expect(await tampered.text()).not.toContain('SUCCESS');
    expect(payments).toHaveLength(0);
  });

  it('500 without the ack when the callback throws; 503 for a concurrent duplicate; ack without callback once done', async () => {
    const g = gate();
    let calls = 0;
    const { handler } = setup({
      onPayment: async () => {
        calls++;
        if (calls === 1) throw new Error('nope');
        await g.wait;
      },
    });
    const headers = alipayHeaders({ body: usdBody });
    const failed = await handler(post(usdBody, headers));
    expect(failed.status).toBe(500);
    expect(await failed.text()).not.toContain('SUCCESS');
    const inFlight = handler(post(usdBody, headers));
    await new Promise((r) => setTimeout(r, 50));
    const busy = await handler(post(usdBody, headers));
    expect(busy.status).toBe(503);
    g.open();
    expect((await inFlight).status).toBe(200);
    const again = await handler(post(usdBody, headers));
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(ACK);
    expect(calls).toBe(2);
  });

  it('answers 413 over the limit, declared or streamed', async () => {
    const { handler, payments } = setup({ maxBodyBytes: 256 });
    const big = JSON.stringify({ ...JSON.parse(usdBody), pad: 'x'.repeat(500) });
    expect((await handler(post(big, alipayHeaders({ body: big })))).status).toBe(413);
    const bytes = new TextEncoder().encode(big);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(pulled, pulled + 100));
        pulled += 100;
      },
    });
    const streamed = await handler(post(stream, alipayHeaders({ body: big })));
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(bytes.length); // reading stopped at the limit
    expect(payments).toHaveLength(0);
  });

  it('a body already read by someone else → 500 raw_body_required, no callback', async () => {
    const { handler, payments, logs } = setup();
    const req = post(usdBody, alipayHeaders({ body: usdBody }));
    await req.json();
    const res = await handler(req);
    expect(res.status).toBe(500);
    expect((await res.json()) as { error: string }).toMatchObject({ error: 'raw_body_required' });
    expect(logs.some((l) => l.level === 'error' && l.message.includes('request.text()'))).toBe(true);
    expect(payments).toHaveLength(0);
  });

  it('derives the path from request.url when none is given', async () => {
    let calls = 0;
    const handler = createFetchNotificationHandler({
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger: {},
      onPayment: () => void calls++,
    });
    expect((await handler(post(usdBody, alipayHeaders({ body: usdBody }), `${ORIGIN}${PATH}?a=b`))).status).toBe(200);
    expect((await handler(post(refundBody, alipayHeaders({ body: refundBody }), `${ORIGIN}/other`))).status).toBe(401);
    expect(calls).toBe(1);
  });

  it('405 for GET', async () => {
    const { handler } = setup();
    const res = await handler(new Request(`${ORIGIN}${PATH}`));
    expect(res.status).toBe(405);
  });

  it('serves real HTTP when bridged to a Node server (as a Fetch-native runtime would)', async () => {
    const { handler, payments } = setup();
    const r = await listen(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const response = await handler(
        new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }),
      );
      const out: Record<string, string> = {};
      response.headers.forEach((v, k) => {
        out[k] = v;
      });
      res.writeHead(response.status, out);
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    try {
      const res = await fetch(`${r.url}${PATH}`, { method: 'POST', headers: alipayHeaders({ body: usdBody }), body: usdBody });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(ACK);
      expect(payments).toHaveLength(1);
    } finally {
      await r.close();
    }
  });
});
