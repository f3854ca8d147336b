// testNotificationEndpoint: proves a merchant's notification endpoint with the notifications Antom sends, signed as Antom signs them.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { z } from 'zod';
import { AmsConnectionError } from '../errors';
import { lazy } from '../internal/lazy';
import { unknownNamesMessage } from '../internal/suggest';
import { functionOption, OPTION, parseOptions, required } from '../options';
import { NOTIFICATION_ACK_BODY } from '../notifications/ack';
import { formatRequestTime } from '../rules/time';
import { loadPrivateKey, type KeyInput } from '../signing/keys';
import { signRequest } from '../signing/sign';
import { SCENARIOS, type Scenario, type ScenarioInput, type TestOrder } from './scenarios';

export type { TestOrder } from './scenarios';

/** How long Antom waits for an answer is not published; this is the embedded gateway's per-attempt wait. */
export const DEFAULT_NOTIFY_WAIT_MS = 10_000;

export interface NotificationEndpointTestOptions {
  /** The merchant's notification endpoint, as Antom will call it (`http://localhost:3000/ams/notify`). */
  url: string;
  /** The merchant's client id: the one its endpoint expects in the `client-id` header. */
  clientId: string;
  /**
   * The test "Alipay" private key (any form the package reads). The endpoint must be configured with its public half as
   * the Alipay public key. Without it a pair is made, and its public half comes back as `alipayPublicKey`.
   */
  alipayPrivateKey?: KeyInput;
  /**
   * Creates an order through the merchant's own test route, so notifications carry its paymentRequestId and amount
   * (called once per payment scenario). `isPaid`, when given, says whether the merchant now treats the order as paid.
   */
  order?: { create(): Promise<TestOrder>; isPaid?(paymentRequestId: string): Promise<boolean> };
  /** How long an answer may take, as Antom waits. Default DEFAULT_NOTIFY_WAIT_MS. */
  waitMs?: number;
  /** Only these scenarios (by name). Default: all. */
  only?: readonly string[];
}

export interface ScenarioResult {
  name: string;
  ok: boolean;
  /** What a correct endpoint does: acknowledge, refuse, or answer within its limits. */
  expected: 'acknowledged' | 'not acknowledged' | 'an answer';
  /** What was sent, in words. */
  sent: string;
  /** The HTTP status, when an answer came. */
  status: number | undefined;
  /** The start of the answer's body (at most 200 characters). */
  body: string;
  /** Time to the whole answer, ms. */
  ms: number;
  /** What went wrong, and how to fix it, when `ok` is false. */
  problem?: string;
  fix?: string;
  /** Worth knowing though not a failure (a slow acknowledgement). */
  note?: string;
}

export interface NotificationEndpointReport {
  ok: boolean;
  url: string;
  waitMs: number;
  /** The slowest answer of the scenarios that must be acknowledged. */
  slowestAckMs: number;
  scenarios: ScenarioResult[];
  /** The public key of the pair made for this run (PEM), when no alipayPrivateKey was given. */
  alipayPublicKey?: string;
  /** The private half of that pair (PEM), to run again with the same key once the public one is configured. */
  alipayPrivateKey?: string;
}

interface Answer {
  status: number | undefined;
  body: string;
  ms: number;
  error: string | undefined;
}

const MAX_ANSWER_BYTES = 64 * 1024;

const UNCHECKED_ORDER =
  "the order's state was not checked (give order.isPaid, or --order-url): only the answer was graded, not whether your shop marked the order paid";

/** Sends exactly these bytes with these headers; `chunks` > 1 sends the body slowly over `spreadMs`. */
function send(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  waitMs: number,
  slow?: { chunks: number; spreadMs: number },
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Omit<Answer, 'ms'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...a, ms: Math.round(performance.now() - started) });
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, agent: false },
      (res) => {
        const parts: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_ANSWER_BYTES) parts.push(c);
          size += c.length;
        });
        res.on('end', () =>
          done({ status: res.statusCode, body: Buffer.concat(parts).toString('utf8').slice(0, MAX_ANSWER_BYTES), error: undefined }),
        );
        res.on('error', (err) => done({ status: res.statusCode, body: '', error: err.message }));
      },
    );
    const timer = setTimeout(
      () => {
        done({ status: undefined, body: '', error: `no answer within ${waitMs} ms` });
        req.destroy();
      },
      waitMs + (slow?.spreadMs ?? 0),
    );
    req.on('error', (err) => done({ status: undefined, body: '', error: (err as NodeJS.ErrnoException).code ?? err.message }));
    if (!slow) {
      req.end(body);
      return;
    }
    const size = Math.ceil(body.length / slow.chunks);
    let at = 0;
    const next = (): void => {
      if (settled) return;
      const chunk = body.subarray(at, at + size);
      at += size;
      if (at >= body.length) req.end(chunk);
      else {
        req.write(chunk);
        setTimeout(next, slow.spreadMs / slow.chunks).unref();
      }
    };
    next();
  });
}

/** Something listens at the URL: else every scenario would say nothing useful. */
function reachable(url: URL, waitMs: number): Promise<void> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: waitMs }, () => {
      socket.destroy();
      resolve();
    });
    const fail = (why: string): void => {
      socket.destroy();
      reject(new AmsConnectionError(`nothing answers at ${url.origin} (${why}): start your app there, or give the URL it listens on`));
    };
    socket.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    socket.on('timeout', () => fail(`no connection within ${waitMs} ms`));
  });
}

/**
 * An acknowledgement as the documentation writes it: HTTP 200 and the fixed body, whitespace aside, keys in its order.
 * Where an answer must acknowledge, only this counts (whether Antom reads other key orders is unconfirmed); where it
 * must not (a forgery), mayBeAck's wider reading counts too. Each side takes the reading that cannot pass an unsafe
 * endpoint.
 */
function isAck(a: Answer): boolean {
  if (a.status !== 200) return false;
  try {
    return JSON.stringify(JSON.parse(a.body)) === NOTIFICATION_ACK_BODY;
  } catch {
    return false;
  }
}

/**
 * Whether Antom could take the answer for an acknowledgement: HTTP 200 and a JSON body whose result says S, however its
 * keys are ordered or whatever else it holds. A forgery answered so is not refused, though it is not the exact body.
 */
function mayBeAck(a: Answer): boolean {
  if (a.status !== 200) return false;
  try {
    const body = JSON.parse(a.body) as { result?: { resultStatus?: unknown } } | null;
    return body?.result?.resultStatus === 'S';
  } catch {
    return false;
  }
}

function signedHeaders(path: string, clientId: string, body: string, key: KeyObject, now: Date): Record<string, string> {
  const requestTime = formatRequestTime(now);
  return {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': clientId,
    'request-time': requestTime,
    signature: signRequest({ method: 'POST', path, clientId, requestTime, body, privateKey: key }),
  };
}

/** An answer, or a refusal by closing the connection on a body it would not read; never silence or nobody there. */
function answered(a: Answer): boolean {
  return a.status !== undefined || a.error === 'ECONNRESET' || a.error === 'EPIPE';
}

function grade(s: Scenario, a: Answer, waitMs: number): Pick<ScenarioResult, 'ok' | 'problem' | 'fix' | 'note'> {
  const seen = a.error ? a.error : `HTTP ${a.status}${a.body ? ` ${JSON.stringify(a.body.slice(0, 80))}` : ''}`;
  const silent = {
    ok: false,
    problem: a.error?.startsWith('no answer') ? `no answer within ${waitMs} ms` : `no answer (${a.error})`,
    fix: s.fix,
  };
  if (s.expect === 'not acknowledged') {
    if (isAck(a) || mayBeAck(a))
      return {
        ok: false,
        problem: `your endpoint accepted a forged notification (${s.sent}): anyone can mark your orders paid`,
        fix: 'verify the signature over the raw body, the client id and the headers before anything else (verifyNotification, createNotificationHandler)',
      };
    return answered(a) ? { ok: true } : silent;
  }
  if (s.expect === 'an answer') return answered(a) ? { ok: true } : silent;
  if (!isAck(a))
    return {
      ok: false,
      problem: `not acknowledged (${seen}): Antom sends it again for 24 hours, then gives up`,
      fix: a.status === 200 ? 'answer with exactly the acknowledgement body (notificationAck())' : s.fix,
    };
  if (a.ms > waitMs / 2)
    return {
      ok: true,
      note: `acknowledged after ${a.ms} ms, more than half of Antom's wait: do the slow work after acknowledging (or in a queue such as ams-cashier/bullmq)`,
    };
  return { ok: true };
}

const SCENARIO_NAMES = SCENARIOS.map((s) => s.name);

const optionsSchema = lazy(function buildNotifyTestOptions() {
  return z
    .object({
      url: required(
        'the URL your notify endpoint listens on, such as "http://localhost:3000/alipay/notify"',
        z.string().refine((v) => /^https?:$/.test(URL.canParse(v) ? new URL(v).protocol : ''), {
          error: 'must be an http(s) URL, such as "http://localhost:3000/alipay/notify"',
        }),
      ),
      clientId: required('your own client id (the one Antom sends in client-id)', OPTION.clientId),
      alipayPrivateKey: z.unknown().optional(),
      order: z
        .object({
          create: functionOption<() => Promise<TestOrder>>(
            'makes an unpaid order in your shop and returns { paymentRequestId, paymentAmount }',
          ),
          isPaid: functionOption<(paymentRequestId: string) => Promise<boolean>>(
            'says whether your shop marked that order paid',
          ).optional(),
        })
        .strict()
        .optional(),
      waitMs: z
        .number({ error: 'must be a number of milliseconds' })
        .int('must be a whole number of milliseconds')
        .min(100, 'must be at least 100 (ms)')
        .max(120_000, 'must be at most 120000 (2 minutes)')
        .optional(),
      only: z
        .array(z.string())
        .superRefine((names, ctx) => {
          const unknown = names.filter((n) => !SCENARIO_NAMES.includes(n));
          if (unknown.length > 0)
            ctx.addIssue({ code: 'custom', message: unknownNamesMessage('scenario', unknown, SCENARIO_NAMES, { listValid: true }) });
        })
        .optional(),
    })
    .strict();
});

/**
 * Sends the notifications Antom sends to a merchant's endpoint, signed exactly as Antom signs them (headers, canonical
 * signature, body bytes), and grades each answer: what must be acknowledged (a payment, its redelivery, pending then
 * paid, a failure, a refund, a capture, an unknown type, a body with unknown fields or reordered keys), what must not
 * be (a forged signature, a signature over other bytes, another merchant's client id, a missing header), and what must
 * be answered within the endpoint's limits (a body sent slowly, a large one).
 */
export async function testNotificationEndpoint(given: NotificationEndpointTestOptions): Promise<NotificationEndpointReport> {
  const options = parseOptions(optionsSchema(), given, 'testNotificationEndpoint') as NotificationEndpointTestOptions;
  const url = new URL(options.url);
  const waitMs = options.waitMs ?? DEFAULT_NOTIFY_WAIT_MS;
  let generated: { privatePem: string; publicPem: string } | undefined;
  let key: KeyObject;
  if (options.alipayPrivateKey !== undefined) key = loadPrivateKey(options.alipayPrivateKey, 'alipayPrivateKey');
  else {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    key = pair.privateKey;
    generated = {
      privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }
  const scenarios = options.only ? SCENARIOS.filter((s) => options.only!.includes(s.name)) : SCENARIOS;

  await reachable(url, waitMs);
  const results: ScenarioResult[] = [];
  const input: ScenarioInput = {
    clientId: options.clientId,
    order: async () =>
      options.order
        ? options.order.create()
        : { paymentRequestId: `NT-${randomBytes(8).toString('hex')}`, paymentAmount: { currency: 'USD', value: '1999' } },
  };
  for (const s of scenarios) {
    const requests = await s.build(input);
    let last: Answer | undefined;
    let verdict: Pick<ScenarioResult, 'ok' | 'problem' | 'fix' | 'note'> = { ok: true };
    let ms = 0;
    let unchecked = false;
    for (const r of requests) {
      const body = Buffer.from(r.body, 'utf8');
      const headers = signedHeaders(url.pathname, r.clientId ?? options.clientId, r.signedBody ?? r.body, key, new Date());
      if (r.dropHeader) delete headers[r.dropHeader];
      if (r.signature) headers['signature'] = r.signature;
      last = await send(url, headers, body, waitMs, r.slow);
      ms = Math.max(ms, last.ms);
      verdict = grade(s, last, waitMs);
      if (!verdict.ok) break;
      if (r.then && !options.order?.isPaid) unchecked = true;
      if (r.then && options.order?.isPaid && (await options.order.isPaid(r.then.paymentRequestId)) !== r.then.paid) {
        verdict = { ok: false, problem: r.then.problem, fix: r.then.fix };
        break;
      }
    }
    // Passed on its answer alone: say so, rather than let "ok" claim the order was looked at.
    if (verdict.ok && unchecked) verdict = { ...verdict, note: [verdict.note, UNCHECKED_ORDER].filter((n) => n !== undefined).join('; ') };
    results.push({
      name: s.name,
      expected: s.expect,
      sent: s.sent,
      status: last?.status,
      body: (last?.body ?? '').slice(0, 200),
      ms,
      ...verdict,
    });
  }
  const slowestAckMs = Math.max(0, ...results.filter((r) => r.expected === 'acknowledged').map((r) => r.ms));
  return {
    ok: results.every((r) => r.ok),
    url: url.href,
    waitMs,
    slowestAckMs,
    scenarios: results,
    ...(generated ? { alipayPublicKey: generated.publicPem, alipayPrivateKey: generated.privatePem } : {}),
  };
}
