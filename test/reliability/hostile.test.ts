// Hostile and broken peers over real loopback sockets: nothing crashes, nothing is cancelled or accepted that should not be,
// and the process's memory stays bounded however large or endless the input.
import { createPublicKey } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AmsApiError,
  AmsClient,
  AmsConnectionError,
  AmsSignatureError,
  AmsTimeoutError,
  createFetchNotificationHandler,
  createNotificationHandler,
  type AmsClientConfig,
  type PaymentNotification,
} from '../../src/index';
import { payRequest } from '../helpers/client';
import { alipay, merchant, rawSign } from '../helpers/keys';
import { alipayHeaders, CLIENT_ID, listen, PATH, recordingLogger, usdBody, type Running } from '../notifications/helpers';

const SIGNED_PATH = (api: string) => `/ams/sandbox/api/v1/payments/${api}`;
const MiB = 1024 * 1024;

type Behaviour = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A loopback "Alipay" whose answer per API the test scripts; it records every request body it receives. */
const seen: Array<{ api: string; body: string }> = [];
const behaviours = new Map<string, Behaviour>();
let gateway: Running;

function signedHeaders(api: string, body: string): Record<string, string> {
  const time = new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const sig = rawSign(`POST ${SIGNED_PATH(api)}\n${CLIENT_ID}.${time}.${body}`, alipay.privatePem);
  return {
    'content-type': 'application/json',
    'client-id': CLIENT_ID,
    'response-time': time,
    signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(sig)}`,
  };
}

function answer(
  res: ServerResponse,
  api: string,
  status: number,
  body: object,
  transform?: (headers: Record<string, string>) => void,
): void {
  const text = JSON.stringify(body);
  const headers = signedHeaders(api, text);
  transform?.(headers);
  res.writeHead(status, headers).end(text);
}

function client(extra: Partial<AmsClientConfig> = {}): AmsClient {
  return new AmsClient({
    clientId: CLIENT_ID,
    privateKey: merchant.privatePkcs8Pem,
    alipayPublicKey: alipay.publicBase64,
    baseUrl: gateway.url,
    timeoutMs: 2_000,
    // Real clock, no waiting between retries: the schedule is not what these tests are about.
    clock: { now: () => new Date(), sleep: async () => undefined },
    logger: {},
    ...extra,
  });
}

let rssBefore = 0;
beforeAll(async () => {
  gateway = await listen((req, res) => {
    const api = (req.url ?? '').split('/').pop() ?? '';
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ api, body });
      const behaviour = behaviours.get(api);
      if (behaviour) behaviour(req, body, res);
      else res.writeHead(404).end();
    });
  });
  global.gc?.();
  rssBefore = process.memoryUsage().rss;
});

afterAll(async () => {
  await gateway.close();
});

function reset(): void {
  seen.length = 0;
  behaviours.clear();
}

/** Streams `total` bytes of a JSON-looking body in 64 KiB chunks, honouring backpressure, until done or the peer leaves. */
function stream(res: ServerResponse, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  res.on('error', () => undefined);
  pump();
}

describe('a gateway that answers with too much', () => {
  it('a 600 MiB answer: the connection is dropped at 1 MiB, retried with the same body, then a typed error naming the limit', async () => {
    reset();
    behaviours.set('pay', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * MiB) });
      stream(res, 600 * MiB);
    });
    const err = await client()
      .pay(payRequest({ paymentRequestId: 'pr-huge' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsConnectionError);
    expect((err as Error).message).toMatch(/maxResponseBytes \(1048576 bytes\)/);
    expect((err as AmsConnectionError).attempts).toBe(3);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
  });

  it('an endless chunked answer (no content-length) is cut while streaming, at the default 1 MiB', async () => {
    reset();
    behaviours.set('pay', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      stream(res, Number.MAX_SAFE_INTEGER);
    });
    const started = Date.now();
    const err = await client({ maxRetries: 0 })
      .pay(payRequest({ paymentRequestId: 'pr-endless' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsConnectionError);
    expect((err as Error).message).toMatch(/maxResponseBytes \(1048576 bytes\)/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an answer that starts and never ends is bounded by timeoutMs, body included', async () => {
    reset();
    behaviours.set('pay', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"result":');
    });
    const started = Date.now();
    const err = await client({ timeoutMs: 300, maxRetries: 1 })
      .pay(payRequest({ paymentRequestId: 'pr-stall' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsTimeoutError);
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('answers that are final, and answers that are not', () => {
  it('a signed, verified F on HTTP 503 is final: AmsApiError after one attempt', async () => {
    reset();
    behaviours.set('pay', (_req, _body, res) =>
      answer(res, 'pay', 503, { result: { resultStatus: 'F', resultCode: 'RISK_REJECT', resultMessage: 'risk' } }),
    );
    const err = await client()
      .pay(payRequest({ paymentRequestId: 'pr-f503' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsApiError);
    expect(err).toMatchObject({ resultCode: 'RISK_REJECT', httpStatus: 503 });
    expect(seen).toHaveLength(1);
  });

  it('an F on 503 that does not verify (unsigned, or forged) is retried, never taken as final', async () => {
    reset();
    let n = 0;
    behaviours.set('pay', (_req, _body, res) => {
      n++;
      const f = { result: { resultStatus: 'F', resultCode: 'RISK_REJECT', resultMessage: 'risk' } };
      if (n === 1) res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify(f));
      else if (n === 2)
        answer(res, 'pay', 503, f, (h) => (h['signature'] = h['signature']!.replace(/signature=.{8}/, 'signature=AAAAAAAA')));
      else
        answer(res, 'pay', 200, {
          result: { resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS', resultMessage: '' },
          paymentId: 'p-1',
          paymentRequestId: 'pr-f503b',
          normalUrl: 'https://cashier.example/p-1',
        });
    });
    const res = await client().pay(payRequest({ paymentRequestId: 'pr-f503b' }));
    expect(res.paymentId).toBe('p-1');
    expect(seen).toHaveLength(3);
  });

  it('PENDING at the end of the schedule is returned, never cancelled', async () => {
    reset();
    behaviours.set('inquiryPayment', (_req, body, res) =>
      answer(res, 'inquiryPayment', 200, {
        result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
        paymentStatus: 'PENDING',
        paymentRequestId: (JSON.parse(body) as { paymentRequestId: string }).paymentRequestId,
        paymentId: 'p-pending',
      }),
    );
    behaviours.set('cancel', (_req, _body, res) =>
      answer(res, 'cancel', 200, { result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' } }),
    );
    const result = await client().awaitPaymentResult({ paymentRequestId: 'pr-pending', scheduleMs: [1, 1, 1] });
    expect(result).toMatchObject({ paymentStatus: 'PENDING', cancelled: false });
    expect(seen.map((s) => s.api)).toEqual(['inquiryPayment', 'inquiryPayment', 'inquiryPayment']);
  });

  it('a signature s + n (the same integer modulo n) is refused by both crypto backends', async () => {
    reset();
    const n = BigInt(
      `0x${Buffer.from((createPublicKey({ key: Buffer.from(alipay.publicBase64, 'base64'), format: 'der', type: 'spki' }).export({ format: 'jwk' }) as { n: string }).n, 'base64url').toString('hex')}`,
    );
    behaviours.set('inquiryPayment', (_req, body, res) =>
      answer(
        res,
        'inquiryPayment',
        200,
        {
          result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
          paymentStatus: 'SUCCESS',
          paymentRequestId: (JSON.parse(body) as { paymentRequestId: string }).paymentRequestId,
        },
        (h) => {
          const sig = decodeURIComponent(h['signature']!.split('signature=')[1]!);
          const s = BigInt(`0x${Buffer.from(sig, 'base64').toString('hex')}`);
          const malleated = (s + n).toString(16);
          h['signature'] =
            `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(Buffer.from(malleated.padStart(malleated.length + (malleated.length % 2), '0'), 'hex').toString('base64'))}`;
        },
      ),
    );
    for (const cryptoBackend of ['node', 'jsrsasign'] as const) {
      const err = await client({ cryptoBackend })
        .inquiryPayment({ paymentRequestId: `pr-malleable-${cryptoBackend}` })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AmsSignatureError);
      expect(err).toMatchObject({ reason: 'mismatch', check: 'signature' });
    }
  });
});

describe('hostile notification senders', () => {
  it('a body that trickles and never ends: 408 after bodyTimeoutMs, the callback never runs, the socket is closed', async () => {
    const payments: PaymentNotification[] = [];
    const rec = recordingLogger();
    const server = await listen(
      createNotificationHandler({
        path: PATH,
        alipayPublicKey: alipay.publicBase64,
        clientId: CLIENT_ID,
        bodyTimeoutMs: 200,
        logger: rec.logger,
        onPayment: (p) => void payments.push(p),
      }),
    );
    try {
      const { port } = server.server.address() as AddressInfo;
      const socket = connect(port, '127.0.0.1');
      const headers = alipayHeaders({ body: usdBody });
      socket.write(
        `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(usdBody)}\r\n` +
          Object.entries(headers)
            .map(([k, v]) => `${k}: ${v}\r\n`)
            .join('') +
          `\r\n${usdBody.slice(0, 10)}`,
      );
      const started = Date.now();
      const reply = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (d) => (text += d.toString('utf8')));
        socket.on('close', () => resolve(text));
      });
      expect(reply).toMatch(/^HTTP\/1\.1 408/);
      expect(reply).toContain('body_timeout');
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(payments).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('the Fetch handler answers a stalled body 408 too', async () => {
    const payments: PaymentNotification[] = [];
    const handler = createFetchNotificationHandler({
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      bodyTimeoutMs: 100,
      logger: {},
      onPayment: (p) => void payments.push(p),
    });
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(usdBody.slice(0, 10)));
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = await handler(
      new Request(`http://127.0.0.1${PATH}`, {
        method: 'POST',
        headers: alipayHeaders({ body: usdBody }),
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(408);
    expect(cancelled).toBe(true);
    expect(payments).toHaveLength(0);
  });

  it("a notification correctly signed for another merchant's client id is refused 401, never handled", async () => {
    const payments: PaymentNotification[] = [];
    const server = await listen(
      createNotificationHandler({
        path: PATH,
        alipayPublicKey: alipay.publicBase64,
        clientId: CLIENT_ID,
        logger: {},
        onPayment: (p) => void payments.push(p),
      }),
    );
    try {
      const res = await fetch(`${server.url}${PATH}`, {
        method: 'POST',
        headers: alipayHeaders({ body: usdBody, clientId: 'SANDBOX_ANOTHER_MERCHANT' }),
        body: usdBody,
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'signature', message: 'client_mismatch (client-id)' });
      expect(payments).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

describe('the process after all of it', () => {
  it('kept its memory bounded (600 MiB and endless bodies were never held)', () => {
    global.gc?.();
    const grownMiB = (process.memoryUsage().rss - rssBefore) / MiB;
    expect(grownMiB).toBeLessThan(150);
  });
});
