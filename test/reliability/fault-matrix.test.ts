// Reliability: every call × every fault → the typed outcome, the number of attempts, the same id and body each time.
// One recording logger sees the whole matrix; the last test proves no secret reached a log, an error or inspect().
import { inspect } from 'node:util';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  AmsApiError,
  AmsClient,
  AmsConnectionError,
  AmsError,
  AmsHttpError,
  AmsSignatureError,
  AmsTimeoutError,
  AmsUnknownResultError,
} from '../../src/index';
import { createAxiosTransport } from '../../src/http/axios-transport';
import type { Transport } from '../../src/http/types';
import { amsResponse } from '../helpers/ams-responder';
import { FIXED_NOW, payRequest } from '../helpers/client';
import { alipay, merchant, other } from '../helpers/keys';
import { useMswServer } from '../helpers/msw';
import { recordLogLine } from '../setup/log-sink';

const server = useMswServer();
const CLIENT = 'SANDBOX_RELIABILITY';
const AGENT_TOKEN = 'agent-token-do-not-log-7f3a9';
const ORIGIN = 'https://open-sea.alipay.com';
const path = (api: string) => `/ams/sandbox/api/v1/payments/${api}`;

const logLines: string[] = [];
const errors: unknown[] = [];
const clients: AmsClient[] = [];
const sentSignatures: string[] = [];

let tick = 0;
function client(transport?: Transport): AmsClient {
  const log = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    const line = `${level} ${message} ${JSON.stringify(meta ?? {})}`;
    logLines.push(line);
    recordLogLine(line);
  };
  const c = new AmsClient({
    clientId: CLIENT,
    privateKey: merchant.privatePkcs1Pem,
    alipayPublicKey: alipay.publicBase64,
    region: 'SEA',
    agentToken: AGENT_TOKEN,
    timeoutMs: 120,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    // A clock that moves on each reading, so every attempt must carry a fresh Request-Time and signature.
    clock: { now: () => new Date(FIXED_NOW.getTime() + 1000 * tick++), sleep: async () => {} },
    ...(transport ? { transport } : {}),
  });
  clients.push(c);
  return c;
}

interface Call {
  api: string;
  run: (c: AmsClient) => Promise<unknown>;
  id: [string, string];
  success: object;
}
const S = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };
const calls: Call[] = [
  {
    api: 'pay',
    run: (c) => c.pay(payRequest({ paymentRequestId: 'rel-pay-1' })),
    id: ['paymentRequestId', 'rel-pay-1'],
    success: { result: S, paymentId: 'p1' },
  },
  {
    api: 'inquiryPayment',
    run: (c) => c.inquiryPayment({ paymentRequestId: 'rel-pay-1' }),
    id: ['paymentRequestId', 'rel-pay-1'],
    success: { result: S, paymentStatus: 'SUCCESS' },
  },
  { api: 'cancel', run: (c) => c.cancel({ paymentId: 'p1' }), id: ['paymentId', 'p1'], success: { result: S, paymentId: 'p1' } },
  {
    api: 'refund',
    run: (c) => c.refund({ refundRequestId: 'rel-rf-1', paymentId: 'p1', refundAmount: { currency: 'USD', value: '50' } }),
    id: ['refundRequestId', 'rel-rf-1'],
    success: { result: S, refundId: 'r1' },
  },
];

type Expect = { error?: new (...a: never[]) => AmsError; attempts: number; check?: (e: unknown) => void };
interface Fault {
  name: string;
  respond: (api: string, success: object) => Response | Promise<Response>;
  expect: Expect;
}
const signed = (api: string, body: unknown, extra: Parameters<typeof amsResponse>[1] extends infer O ? Partial<O> : never = {}) =>
  amsResponse(body, { path: path(api), clientId: CLIENT, ...extra });

const faults: Fault[] = [
  {
    name: 'U unknown',
    respond: (api) => signed(api, { result: { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U', resultMessage: 'x' } }),
    expect: { error: AmsUnknownResultError, attempts: 3 },
  },
  {
    name: '429',
    respond: () => new HttpResponse('', { status: 429, headers: { 'retry-after': '1' } }),
    expect: { error: AmsHttpError, attempts: 3, check: (e) => expect((e as AmsHttpError).httpStatus).toBe(429) },
  },
  {
    name: '503',
    respond: () => new HttpResponse('busy', { status: 503 }),
    expect: { error: AmsHttpError, attempts: 3, check: (e) => expect((e as AmsHttpError).httpStatus).toBe(503) },
  },
  {
    name: 'reset',
    respond: () => HttpResponse.error(),
    expect: { error: AmsConnectionError, attempts: 3, check: (e) => expect(e).not.toBeInstanceOf(AmsTimeoutError) },
  },
  {
    name: 'hang',
    respond: async (api, ok) => {
      await delay('infinite');
      return signed(api, ok);
    },
    expect: { error: AmsTimeoutError, attempts: 3 },
  },
  {
    name: 'truncated body',
    respond: (api, ok) => signed(api, JSON.stringify(ok).slice(0, -5)),
    expect: { error: AmsHttpError, attempts: 1 },
  },
  {
    name: 'unsigned S',
    respond: (api, ok) => signed(api, ok, { unsigned: true }),
    expect: { error: AmsSignatureError, attempts: 1, check: (e) => expect((e as AmsSignatureError).reason).toBe('missing_header') },
  },
  {
    name: 'unsigned F',
    respond: (api) =>
      signed(api, { result: { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F', resultMessage: 'sig' } }, { unsigned: true }),
    expect: { error: AmsApiError, attempts: 1, check: (e) => expect((e as AmsApiError).resultCode).toBe('INVALID_SIGNATURE') },
  },
  {
    name: 'bad signature',
    respond: (api, ok) => signed(api, ok, { signWith: other.privatePem }),
    expect: { error: AmsSignatureError, attempts: 1, check: (e) => expect((e as AmsSignatureError).reason).toBe('mismatch') },
  },
  // The bytes are verified, not the label: a signed AMS body with an odd content-type is still that body.
  {
    name: 'wrong content-type',
    respond: (api, ok) => signed(api, ok, { headers: { 'content-type': 'text/plain' } }),
    expect: { attempts: 1 },
  },
  {
    name: 'HTML error page (200)',
    respond: () => new HttpResponse('<html><body>Gateway error</body></html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    expect: { error: AmsHttpError, attempts: 1 },
  },
  {
    name: 'HTML error page (502)',
    respond: () => new HttpResponse('<html><body>Bad gateway</body></html>', { status: 502, headers: { 'content-type': 'text/html' } }),
    expect: { error: AmsHttpError, attempts: 3 },
  },
];

const transports: Array<{ name: string; make: () => Transport | undefined }> = [
  { name: 'default (node:http)', make: () => undefined },
  { name: 'axios', make: () => createAxiosTransport() },
];

describe.each(transports)('transport $name', ({ make }) => {
  describe.each(calls)('$api', (call) => {
    it.each(faults)('$name', async (fault) => {
      const seen: Array<{ body: string; signature: string; time: string }> = [];
      server.use(
        http.post(ORIGIN + path(call.api), async ({ request }) => {
          const sig = request.headers.get('signature')!;
          sentSignatures.push(sig);
          seen.push({ body: await request.text(), signature: sig, time: request.headers.get('request-time')! });
          return fault.respond(call.api, call.success);
        }),
      );
      const outcome = await call.run(client(make())).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      if (fault.expect.error) {
        expect('error' in outcome ? outcome.error : outcome).toBeInstanceOf(fault.expect.error);
        const err = (outcome as { error: unknown }).error;
        errors.push(err);
        fault.expect.check?.(err);
        if (err instanceof AmsConnectionError) expect(err.attempts).toBe(fault.expect.attempts);
        if (err instanceof AmsUnknownResultError) expect(err.attempts).toBe(fault.expect.attempts);
      } else {
        expect(outcome).toHaveProperty('value');
      }
      expect(seen).toHaveLength(fault.expect.attempts);
      // Every attempt carried the same request id and the very same body bytes.
      expect(new Set(seen.map((s) => s.body)).size).toBe(1);
      // …re-signed with a fresh Request-Time each time.
      expect(new Set(seen.map((s) => s.time)).size).toBe(seen.length);
      expect(new Set(seen.map((s) => s.signature)).size).toBe(seen.length);
      expect(JSON.parse(seen[0]!.body)[call.id[0]]).toBe(call.id[1]);
    });
  });
});

describe('secrets across the whole matrix', () => {
  it('no private key, full signature or Agent-Token in any log line, error message, inspect() or JSON.stringify()', () => {
    expect(logLines.length).toBeGreaterThan(100);
    expect(errors.length).toBeGreaterThan(30);
    const haystack = [
      ...logLines,
      ...errors.map((e) => `${(e as Error).message}\n${inspect(e, { depth: 5 })}\n${JSON.stringify(e)}`),
      ...clients.map((c) => `${inspect(c, { showHidden: true, depth: 10 })}\n${JSON.stringify(c)}`),
    ].join('\n');
    const keyChunks = [merchant.privatePkcs1Base64, merchant.privatePkcs8Base64].flatMap((k) => k.match(/.{32}/g)!);
    for (const chunk of keyChunks) expect(haystack).not.toContain(chunk);
    expect(haystack).not.toContain(AGENT_TOKEN);
    for (const header of new Set(sentSignatures)) {
      const encoded = header.split('signature=')[1]!;
      expect(haystack).not.toContain(encoded);
      expect(haystack).not.toContain(decodeURIComponent(encoded));
    }
  });
});
