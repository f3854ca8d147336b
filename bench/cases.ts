// The benchmark cases: each compares the package with the floor a hand-written client would reach.
import { sign as rawSign, verify as rawVerify } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { AmsClient, signRequest, verifySignature, type HttpRequest, type HttpResponse, type KeyInput, type Transport } from '../src/index';
import { createAxiosTransport } from '../src/http/axios-transport';
import { z } from 'zod';
import { PaymentNotificationSchema } from '../src/notifications/schemas';
import { coldImport, ensureDist, type DistInfo } from './cold-import';
import {
  CLIENT_ID,
  IN_PROCESS_BODY,
  PRESIGNED_ID,
  NOTIFY_PATH,
  PAY_BODY,
  PAY_PATH,
  REQUEST_TIME,
  keyObjects,
  keys,
  notification,
  payRequest,
  presignedPayHeaders,
  rawSignatureOf,
} from './fixtures';
import { cpuWindow } from './cpu';
import { alternate, median, pool, spread, type SideSamples, type Side } from './harness';
import type { Loopback } from './loopback';

export interface Target {
  /** `min`: ratio must be ≥ value; `max`: ratio must be ≤ value. */
  kind: 'min' | 'max';
  value: number;
  unit: string;
}

export interface CaseResult {
  id: string;
  case: string;
  comparedWith: string;
  /** What the ratio is a ratio of (throughput, time, MB …). */
  measure: string;
  ratio: number | null;
  target: Target | null;
  status: 'pass' | 'FAIL' | 'reported' | 'pending';
  a?: SideSummary;
  b?: SideSummary;
  details?: Record<string, unknown>;
  note?: string;
}

export interface SideSummary {
  name: string;
  medianOpsPerSec: number;
  medianMsPerOp: number;
  /** Interquartile range over median of ops/s: how noisy the rounds were. */
  iqrOverMedian: number;
  rounds: number;
  totalOps: number;
  opsPerSecRounds: number[];
}

export function summarizeSide(s: SideSamples): SideSummary {
  return {
    name: s.name,
    medianOpsPerSec: round(s.medianOpsPerSec, 1),
    medianMsPerOp: round(s.medianMsPerOp, 4),
    iqrOverMedian: round(spread(s.opsPerSec), 3),
    rounds: s.opsPerSec.length,
    totalOps: s.totalOps,
    opsPerSecRounds: s.opsPerSec.map((v) => round(v, 1)),
  };
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function judge(ratio: number | null, target: Target | null): CaseResult['status'] {
  if (target === null) return 'reported';
  if (ratio === null || Number.isNaN(ratio)) return 'FAIL';
  return (target.kind === 'min' ? ratio >= target.value : ratio <= target.value) ? 'pass' : 'FAIL';
}

/** A cross-check of the ratio of medians: the median of each adjacent round pair's ratio (robust to slow drift). */
function pairedRatio(a: SideSamples, b: SideSamples): number {
  return round(median(a.opsPerSec.map((v, i) => v / b.opsPerSec[i]!)), 4);
}

function throughputCase(
  id: string,
  title: string,
  comparedWith: string,
  target: Target | null,
  a: SideSamples,
  b: SideSamples,
  note?: string,
): CaseResult {
  const ratio = a.medianOpsPerSec / b.medianOpsPerSec;
  return {
    id,
    case: title,
    comparedWith,
    measure: 'throughput (ops/s A ÷ ops/s B)',
    ratio: round(ratio, 4),
    target,
    status: judge(ratio, target),
    a: summarizeSide(a),
    b: summarizeSide(b),
    details: { medianOfPairRatios: pairedRatio(a, b) },
    ...(note ? { note } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Signing

/** The floor: what a hand-written client does per request with a key it parsed once. */
function rawSignHeader(): string {
  const content = Buffer.from(`POST ${PAY_PATH}\n${CLIENT_ID}.${REQUEST_TIME}.${PAY_BODY}`, 'utf8');
  return `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(rawSign('sha256', content, keyObjects.merchantPrivate).toString('base64'))}`;
}

export let sink: unknown; // exported, so the work assigned to it is observable and cannot be dropped

const rawSignSide: Side = {
  name: 'raw crypto.sign (KeyObject)',
  run(n) {
    for (let i = 0; i < n; i++) sink = rawSignHeader();
  },
};

function signRequestSide(name: string, privateKey: KeyInput, backend: 'node' | 'jsrsasign' = 'node'): Side {
  return {
    name,
    run(n) {
      for (let i = 0; i < n; i++)
        sink = signRequest({
          path: PAY_PATH,
          clientId: CLIENT_ID,
          requestTime: REQUEST_TIME,
          body: PAY_BODY,
          privateKey,
          cryptoBackend: backend,
        });
    },
  };
}

// Short rounds (~25 ms) and many of them: neighbours' bursts on a shared machine then hit both sides alike.
export const SIGN_OPTIONS = { rounds: 41, warmupRounds: 3, plan: { kind: 'ops', ops: 30 } } as const;

export async function signKeyObject(): Promise<CaseResult> {
  if (
    signRequest({
      path: PAY_PATH,
      clientId: CLIENT_ID,
      requestTime: REQUEST_TIME,
      body: PAY_BODY,
      privateKey: keyObjects.merchantPrivate,
    }) !== rawSignHeader()
  ) {
    throw new Error('signRequest and the raw floor do not produce the same header: the comparison would be meaningless');
  }
  const [a, b] = await alternate(signRequestSide('signRequest (KeyObject)', keyObjects.merchantPrivate), rawSignSide, SIGN_OPTIONS);
  return throughputCase(
    'sign-keyobject',
    'signRequest, loaded KeyObject',
    'raw crypto.sign, same content',
    { kind: 'min', value: 0.95, unit: '× throughput' },
    a,
    b,
  );
}

export async function signPemString(): Promise<CaseResult> {
  const [a, b] = await alternate(signRequestSide('signRequest (PEM string each call)', keys.merchantPkcs8Pem), rawSignSide, SIGN_OPTIONS);
  return throughputCase(
    'sign-pem',
    'signRequest, PEM string every call',
    'raw crypto.sign, same content',
    { kind: 'min', value: 0.9, unit: '× throughput' },
    a,
    b,
  );
}

export async function signBase64String(): Promise<CaseResult> {
  const [a, b] = await alternate(
    signRequestSide('signRequest (bare base64 each call)', keys.merchantPkcs8Base64),
    rawSignSide,
    SIGN_OPTIONS,
  );
  return throughputCase(
    'sign-base64',
    'signRequest, bare-base64 string every call',
    'raw crypto.sign, same content',
    { kind: 'min', value: 0.9, unit: '× throughput' },
    a,
    b,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// jsrsasign

export async function jsrsasignSign(): Promise<CaseResult> {
  const [a, b] = await alternate(
    signRequestSide('signRequest backend jsrsasign', keyObjects.merchantPrivate, 'jsrsasign'),
    signRequestSide('signRequest backend node', keyObjects.merchantPrivate, 'node'),
    { rounds: 5, warmupRounds: 1, plan: { kind: 'slice', ms: 400 } },
  );
  return throughputCase(
    'jsrsasign-sign',
    'jsrsasign backend: signRequest',
    'node:crypto backend: signRequest',
    null,
    a,
    b,
    'pure-JS RSA private-key operation; no target',
  );
}

export async function jsrsasignVerify(): Promise<CaseResult> {
  const header = rawSignHeader();
  const side = (backend: 'node' | 'jsrsasign'): Side => ({
    name: `verifySignature backend ${backend}`,
    run(n) {
      for (let i = 0; i < n; i++) {
        sink = verifySignature({
          path: PAY_PATH,
          clientId: CLIENT_ID,
          time: REQUEST_TIME,
          body: PAY_BODY,
          signature: header,
          publicKey: keyObjects.merchantPublic,
          cryptoBackend: backend,
        });
      }
    },
  });
  const [a, b] = await alternate(side('jsrsasign'), side('node'), {
    rounds: 5,
    warmupRounds: 1,
    plan: { kind: 'slice', ms: 300, batch: 5 },
  });
  return throughputCase(
    'jsrsasign-verify',
    'jsrsasign backend: verifySignature',
    'node:crypto backend: verifySignature',
    null,
    a,
    b,
    'public-key operation (e = 65537) in pure JS; no target',
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Notifications (written concurrently by another engineer: loaded only when the module exists)

interface NotificationsModule {
  verifyNotification(input: {
    path: string;
    headers: Record<string, string>;
    rawBody: Uint8Array | string;
    alipayPublicKey: KeyInput;
    clientId?: string;
  }): { kind: string };
}

const NOTIFICATIONS_SRC = fileURLToPath(new URL('../src/notifications/index.ts', import.meta.url));

async function loadNotifications(): Promise<NotificationsModule | undefined> {
  if (!existsSync(NOTIFICATIONS_SRC)) return undefined;
  const specifier = '../src/notifications/index';
  return (await import(specifier)) as NotificationsModule;
}

/** The floor: dig the signature out of the header, build the content over the raw bytes, crypto.verify. */
function rawVerifyNotification(): boolean {
  const h = notification.headers;
  const head = Buffer.from(`POST ${NOTIFY_PATH}\n${h['client-id']}.${h['request-time']}.`, 'utf8');
  return rawVerify('sha256', Buffer.concat([head, notification.rawBody]), keyObjects.alipayPublic, rawSignatureOf(h['signature']!));
}

export async function verifyNotificationCases(): Promise<CaseResult[]> {
  const mod = await loadNotifications();
  const target: Target = { kind: 'min', value: 0.85, unit: '× throughput' };
  if (!mod) {
    return [
      {
        id: 'notify-verify',
        case: 'verifyNotification (verify + parse + zod)',
        comparedWith: 'raw crypto.verify',
        measure: 'throughput',
        ratio: null,
        target,
        status: 'pending',
        note: 'src/notifications/index.ts does not exist yet',
      },
    ];
  }
  if (!rawVerifyNotification()) throw new Error('the raw floor does not verify the fixture notification');
  const rawSide: Side = {
    name: 'raw crypto.verify (KeyObject)',
    run(n) {
      for (let i = 0; i < n; i++) sink = rawVerifyNotification();
    },
  };
  const side = (name: string, alipayPublicKey: KeyInput): Side => ({
    name,
    run(n) {
      for (let i = 0; i < n; i++) {
        sink = mod.verifyNotification({
          path: NOTIFY_PATH,
          headers: notification.headers,
          rawBody: notification.rawBody,
          alipayPublicKey,
          clientId: CLIENT_ID,
        });
      }
    },
  });
  const check = mod.verifyNotification({
    path: NOTIFY_PATH,
    headers: notification.headers,
    rawBody: notification.rawBody,
    alipayPublicKey: keys.alipayPublicBase64,
    clientId: CLIENT_ID,
  });
  if (check.kind !== 'payment') throw new Error(`verifyNotification returned kind ${check.kind} for the fixture`);
  // What the body alone costs any verifier that hands back a checked object: the raw floor, then JSON.parse and the
  // payment notification schema (compiled, as the package runs it from its second parse). No envelope checks.
  const compiled = z.compile(PaymentNotificationSchema());
  const ceilingSide: Side = {
    name: 'raw crypto.verify + JSON.parse + zod (compiled)',
    run(n) {
      for (let i = 0; i < n; i++) {
        if (!rawVerifyNotification()) throw new Error('the raw floor does not verify the fixture notification');
        sink = compiled.parse(JSON.parse(notification.rawBody.toString('utf8')));
      }
    },
  };
  const options = { rounds: 41, warmupRounds: 3, plan: { kind: 'ops', ops: 300 } } as const;
  const [a1, b1] = await alternate(side('verifyNotification (bare-base64 key string)', keys.alipayPublicBase64), rawSide, options);
  const [a2, b2] = await alternate(side('verifyNotification (KeyObject)', keyObjects.alipayPublic), rawSide, options);
  const [a3, b3] = await alternate(ceilingSide, rawSide, options);
  return [
    throughputCase('notify-verify', 'verifyNotification (verify + parse + zod), key as base64 string', 'raw crypto.verify', target, a1, b1),
    throughputCase('notify-verify-keyobject', 'verifyNotification (verify + parse + zod), KeyObject', 'raw crypto.verify', target, a2, b2),
    throughputCase(
      'diag-notify-ceiling',
      'diagnostic: raw crypto.verify, then JSON.parse and the compiled zod schema of the body',
      'raw crypto.verify',
      null,
      a3,
      b3,
      'the best any verifier that returns a zod-checked body can reach against the raw floor: the ceiling of notify-verify',
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// pay() over loopback

function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * The floor for a round trip: serialize, sign (sync, KeyObject), node:http POST on a keep-alive agent, check the
 * three response headers, verify, JSON.parse. No validation, no retries, no timeouts: the least any client must do.
 */
export function rawPayClient(origin: string): (id: string) => Promise<unknown> {
  const agent = new http.Agent({ keepAlive: true });
  const { hostname, port } = new URL(origin);
  return (id) => {
    const body = JSON.stringify(payRequest(id));
    const time = formatTime(new Date());
    const sig = rawSign(
      'sha256',
      Buffer.from(`POST ${PAY_PATH}\n${CLIENT_ID}.${time}.${body}`, 'utf8'),
      keyObjects.merchantPrivate,
    ).toString('base64');
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          hostname,
          port,
          path: PAY_PATH,
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=UTF-8',
            'content-length': Buffer.byteLength(body),
            'client-id': CLIENT_ID,
            'request-time': time,
            signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(sig)}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const clientId = res.headers['client-id'] as string;
            const responseTime = res.headers['response-time'] as string;
            const head = Buffer.from(`POST ${PAY_PATH}\n${clientId}.${responseTime}.`, 'utf8');
            const ok = rawVerify(
              'sha256',
              Buffer.concat([head, raw]),
              keyObjects.alipayPublic,
              rawSignatureOf(res.headers['signature'] as string),
            );
            if (!ok || clientId !== CLIENT_ID) return reject(new Error('raw client: response does not verify'));
            const json = JSON.parse(raw.toString('utf8')) as { result: { resultStatus: string } };
            if (json.result.resultStatus !== 'U') return reject(new Error('raw client: unexpected result'));
            resolve(json);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
}

export function loopbackClient(origin: string, transport?: Transport): AmsClient {
  return new AmsClient({
    clientId: CLIENT_ID,
    privateKey: keys.merchantPkcs8Base64,
    alipayPublicKey: keys.alipayPublicBase64,
    baseUrl: origin,
    ...(transport ? { transport } : {}),
  });
}

let seq = 0;
const nextId = (): string => `pr-bench-${process.pid}-${++seq}`;

/**
 * pay() against the loopback gateway, one call at a time. `default` is a client given no transport (node:http here,
 * since no proxy is configured), the judged case; `axios` is the opt-in `createAxiosTransport()`, reported.
 */
export async function payLoopbackSequential(lb: Loopback, variant: 'default' | 'axios' = 'default'): Promise<CaseResult> {
  const client = loopbackClient(lb.origin, variant === 'axios' ? createAxiosTransport() : undefined);
  const raw = rawPayClient(lb.origin);
  const first = await client.pay(payRequest(nextId()));
  if (first.result.resultCode !== 'PAYMENT_IN_PROCESS') throw new Error('pay() did not get PAYMENT_IN_PROCESS from the loopback gateway');
  await raw(nextId());
  const [a, b] = await alternate(
    { name: 'AmsClient.pay() sequential', run: (n) => pool(n, 1, () => client.pay(payRequest(nextId()))) },
    { name: 'raw sign + node:http keep-alive + raw verify', run: (n) => pool(n, 1, () => raw(nextId())) },
    { rounds: 40, warmupRounds: 2, plan: { kind: 'ops', ops: 20 } },
  );
  const ratio = a.medianMsPerOp / b.medianMsPerOp;
  const medianOfPairRatios = round(median(a.msPerOp.map((v, i) => v / b.msPerOp[i]!)), 4);
  const target: Target = { kind: 'max', value: 1.1, unit: '× time' };
  const judged = variant === 'default';
  return {
    id: judged ? 'pay-loopback' : 'pay-loopback-axios',
    case: judged
      ? 'pay() round trip on loopback, sequential, default transport'
      : 'pay() on loopback, sequential, transport: createAxiosTransport()',
    comparedWith: 'raw sign + node:http keep-alive POST + raw verify',
    measure: 'time per call (ms A ÷ ms B)',
    ratio: round(ratio, 4),
    target: judged ? target : null,
    status: judged ? judge(ratio, target) : 'reported',
    a: summarizeSide(a),
    b: summarizeSide(b),
    details: { medianOfPairRatios },
    note: 'gateway: bench/loopback.ts in a child process, signing every answer with the test Alipay key',
  };
}

export const CONCURRENCY = 32;

export async function payConcurrent(lb: Loopback): Promise<CaseResult> {
  const client = loopbackClient(lb.origin);
  await pool(CONCURRENCY, CONCURRENCY, () => client.pay(payRequest(nextId()))); // open the sockets
  const cpu = cpuWindow(lb.pid);
  const [a, b] = await alternate(
    { name: `${CONCURRENCY} concurrent pay()`, run: (n) => pool(n, CONCURRENCY, () => client.pay(payRequest(nextId()))) },
    { name: 'sequential pay()', run: (n) => pool(n, 1, () => client.pay(payRequest(nextId()))) },
    { rounds: 8, warmupRounds: 1, plan: { kind: 'ops', ops: 128 } },
  );
  const r = throughputCase(
    'pay-concurrent',
    `${CONCURRENCY} concurrent pay() on loopback`,
    'sequential pay()',
    { kind: 'min', value: 1.5, unit: '× throughput' },
    a,
    b,
  );
  r.details = { ...r.details, cpu: cpu(), cores: availableParallelism() };
  return r;
}

/** Diagnostic: what concurrency buys the raw floor on the same machine at the same moment (no target). */
export async function rawConcurrent(lb: Loopback): Promise<CaseResult> {
  const raw = rawPayClient(lb.origin);
  await pool(CONCURRENCY, CONCURRENCY, () => raw(nextId()));
  const cpu = cpuWindow(lb.pid);
  const [a, b] = await alternate(
    { name: `${CONCURRENCY} concurrent raw floor`, run: (n) => pool(n, CONCURRENCY, () => raw(nextId())) },
    { name: 'sequential raw floor', run: (n) => pool(n, 1, () => raw(nextId())) },
    { rounds: 6, warmupRounds: 1, plan: { kind: 'ops', ops: 128 } },
  );
  const r = throughputCase(
    'diag-raw-concurrent',
    `diagnostic: ${CONCURRENCY} concurrent raw floor`,
    'sequential raw floor',
    null,
    a,
    b,
    'what the machine allows right now: compare with pay-concurrent',
  );
  r.details = { ...r.details, cpu: cpu() };
  return r;
}

/** Diagnostic: the axios transport against a bare node:http keep-alive POST, same gateway, no client crypto: why the default goes direct. */
export async function axiosVsHttp(lb: Loopback): Promise<CaseResult> {
  const axiosTransport = createAxiosTransport();
  const agent = new http.Agent({ keepAlive: true });
  const { hostname, port } = new URL(lb.origin);
  const body = PAY_BODY;
  const headers = {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': CLIENT_ID,
    'request-time': REQUEST_TIME,
    signature: 'algorithm=RSA256,keyVersion=1,signature=AAAA',
  };
  const request: Omit<HttpRequest, 'signal'> = { url: lb.origin + PAY_PATH, method: 'POST', headers, body };
  const post = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { agent, hostname, port, path: PAY_PATH, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  // One never-aborted signal: the diagnostic measures axios, not the cost of making a timeout signal per request.
  const signal = new AbortController().signal;
  await pool(20, 1, () => axiosTransport({ ...request, signal }));
  await pool(20, 1, post);
  const cpuA = { us: 0 };
  const cpuB = { us: 0 };
  const timed = (acc: { us: number }, fn: () => Promise<unknown>) => async (n: number) => {
    const c0 = process.cpuUsage();
    await pool(n, 1, fn);
    const c = process.cpuUsage(c0);
    acc.us += c.user + c.system;
  };
  const [a, b] = await alternate(
    { name: 'axios transport (src/http/axios-transport.ts)', run: timed(cpuA, () => axiosTransport({ ...request, signal })) },
    { name: 'node:http keep-alive POST', run: timed(cpuB, post) },
    { rounds: 10, warmupRounds: 1, plan: { kind: 'ops', ops: 50 } },
  );
  const ratio = a.medianMsPerOp / b.medianMsPerOp;
  const medianOfPairRatios = round(median(a.msPerOp.map((v, i) => v / b.msPerOp[i]!)), 4);
  return {
    id: 'diag-transport',
    case: 'diagnostic: createAxiosTransport(), one POST',
    comparedWith: 'node:http keep-alive POST',
    measure: 'time per request (ms A ÷ ms B)',
    ratio: round(ratio, 4),
    target: null,
    status: 'reported',
    a: summarizeSide(a),
    b: summarizeSide(b),
    details: {
      medianOfPairRatios,
      clientCpuMsPerRequestAxios: round(cpuA.us / 1000 / a.totalOps, 3),
      clientCpuMsPerRequestNodeHttp: round(cpuB.us / 1000 / b.totalOps, 3),
    },
    note: 'explains pay-loopback-axios and why the default goes direct: same gateway, no client-side crypto',
  };
}

/** Diagnostic: the pay() pipeline with no HTTP at all (in-process transport) against raw sign + verify + parse. */
export async function pipelineWithoutHttp(): Promise<CaseResult> {
  const headers = presignedPayHeaders(PAY_PATH, CLIENT_ID);
  const transport: Transport = async (): Promise<HttpResponse> => ({ status: 200, headers: { ...headers }, body: IN_PROCESS_BODY });
  const client = new AmsClient({
    clientId: CLIENT_ID,
    privateKey: keys.merchantPkcs8Base64,
    alipayPublicKey: keys.alipayPublicBase64,
    baseUrl: 'http://127.0.0.1:9',
    transport,
  });
  const raw = async (id: string): Promise<unknown> => {
    const body = JSON.stringify(payRequest(id));
    const time = formatTime(new Date());
    sink = rawSign(
      'sha256',
      Buffer.from(
        `POST ${PAY_PATH}
${CLIENT_ID}.${time}.${body}`,
        'utf8',
      ),
      keyObjects.merchantPrivate,
    ).toString('base64');
    const res = await transport({ url: '', method: 'POST', headers: {}, body, signal: AbortSignal.timeout(15_000) });
    const head = Buffer.from(
      `POST ${PAY_PATH}
${res.headers['client-id']}.${res.headers['response-time']}.`,
      'utf8',
    );
    if (
      !rawVerify(
        'sha256',
        Buffer.concat([head, Buffer.from(res.body, 'utf8')]),
        keyObjects.alipayPublic,
        rawSignatureOf(res.headers['signature']!),
      )
    )
      throw new Error('raw: no verify');
    return JSON.parse(res.body);
  };
  const [a, b] = await alternate(
    { name: 'AmsClient.pay(), in-process transport', run: (n) => pool(n, 1, () => client.pay(payRequest(PRESIGNED_ID))) },
    { name: 'raw sign + verify + JSON.parse, same transport', run: (n) => pool(n, 1, () => raw(PRESIGNED_ID)) },
    { rounds: 10, warmupRounds: 1, plan: { kind: 'ops', ops: 100 } },
  );
  const ratio = a.medianMsPerOp / b.medianMsPerOp;
  const medianOfPairRatios = round(median(a.msPerOp.map((v, i) => v / b.msPerOp[i]!)), 4);
  return {
    id: 'diag-pipeline',
    case: 'diagnostic: pay() without HTTP, sequential',
    comparedWith: 'raw sign + verify + parse, same transport',
    measure: 'time per call (ms A ÷ ms B)',
    ratio: round(ratio, 4),
    target: null,
    status: 'reported',
    a: summarizeSide(a),
    b: summarizeSide(b),
    details: { medianOfPairRatios },
    note: 'validation, zod, threadpool hops for sign/verify, AbortSignal per attempt',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Memory: 100k pay()

export interface MemoryOptions {
  calls: number;
  gc: () => void;
}

function heapAfterGc(gc: () => void): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

/**
 * 100k pay() through an injected in-process transport answering a response pre-signed once (fixed Response-Time):
 * the whole client pipeline (validation, serialize, sign, verify, parse, zod, AbortSignal per attempt) runs for
 * every call, but neither axios nor sockets nor a gateway signing 100k answers, which on 2 cores would take minutes.
 */
export async function payMemory(options: MemoryOptions): Promise<CaseResult> {
  const headers = presignedPayHeaders(PAY_PATH, CLIENT_ID);
  const transport: Transport = async (): Promise<HttpResponse> => ({ status: 200, headers: { ...headers }, body: IN_PROCESS_BODY });
  const client = new AmsClient({
    clientId: CLIENT_ID,
    privateKey: keys.merchantPkcs8Base64,
    alipayPublicKey: keys.alipayPublicBase64,
    baseUrl: 'http://127.0.0.1:9',
    transport,
  });
  await pool(2000, CONCURRENCY, () => client.pay(payRequest(PRESIGNED_ID))); // warm up JIT and caches
  const baseline = heapAfterGc(options.gc);
  const checkpoints: Array<{ calls: number; heapMB: number }> = [];
  const step = Math.max(1, Math.floor(options.calls / 5));
  const t0 = performance.now();
  for (let done = 0; done < options.calls; done += step) {
    const n = Math.min(step, options.calls - done);
    await pool(n, CONCURRENCY, () => client.pay(payRequest(PRESIGNED_ID)));
    checkpoints.push({ calls: done + n, heapMB: round((heapAfterGc(options.gc) - baseline) / 2 ** 20, 2) });
  }
  const seconds = (performance.now() - t0) / 1000;
  const growthMB = checkpoints[checkpoints.length - 1]!.heapMB;
  const target: Target = { kind: 'max', value: 20, unit: 'MB' };
  return {
    id: 'pay-memory',
    case: `${options.calls.toLocaleString('en')} pay(), ${CONCURRENCY} in flight, in-process transport`,
    comparedWith: 'heap after GC before the run',
    measure: 'heap growth after GC (MB)',
    ratio: growthMB,
    target,
    status: judge(growthMB, target),
    details: {
      baselineHeapMB: round(baseline / 2 ** 20, 2),
      checkpoints,
      seconds: round(seconds, 1),
      callsPerSec: round(options.calls / seconds, 0),
    },
    note: 'injected transport answering one pre-signed response; see bench/README.md for why not loopback',
  };
}

/** Diagnostic: a shorter heap check through a real transport and sockets (what the 100k run leaves out). */
export async function loopbackMemory(lb: Loopback, options: MemoryOptions, variant: 'default' | 'axios' = 'default'): Promise<CaseResult> {
  const client = loopbackClient(lb.origin, variant === 'axios' ? createAxiosTransport() : undefined);
  await pool(500, CONCURRENCY, () => client.pay(payRequest(nextId())));
  const baseline = heapAfterGc(options.gc);
  const t0 = performance.now();
  await pool(options.calls, CONCURRENCY, () => client.pay(payRequest(nextId())));
  const seconds = (performance.now() - t0) / 1000;
  const growthMB = (heapAfterGc(options.gc) - baseline) / 2 ** 20;
  return {
    id: variant === 'axios' ? 'diag-loopback-memory-axios' : 'diag-loopback-memory',
    case: `diagnostic: ${options.calls.toLocaleString('en')} pay() over loopback (${variant === 'axios' ? 'createAxiosTransport()' : 'default transport'}, sockets)`,
    comparedWith: 'heap after GC before the run',
    measure: 'heap growth after GC (MB)',
    ratio: round(growthMB, 2),
    target: null,
    status: 'reported',
    details: { bytesPerCall: Math.round((growthMB * 2 ** 20) / options.calls), seconds: round(seconds, 1) },
    note: 'covers what the in-process transport skips: the transport, keep-alive sockets, abort-signal listeners',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Cold import

export function coldImportCase(samples: number): { result: CaseResult; dist: DistInfo } {
  const dist = ensureDist();
  const r = coldImport(samples);
  const ratio = r.medianPackageMs / r.medianAxiosMs;
  const target: Target = { kind: 'max', value: 2, unit: '× time' };
  return {
    dist,
    result: {
      id: 'cold-import',
      case: "cold import('ams-cashier') (dist/index.js)",
      comparedWith: "import('axios') alone",
      measure: 'import time in a fresh node process (ms A ÷ ms B)',
      ratio: round(ratio, 4),
      target,
      status: judge(ratio, target),
      details: {
        medianPackageMs: round(r.medianPackageMs, 1),
        medianAxiosMs: round(r.medianAxiosMs, 1),
        packageMs: r.packageMs.map((v) => round(v, 1)),
        axiosMs: r.axiosMs.map((v) => round(v, 1)),
        distBuiltNow: dist.built,
        distOlderThanSrc: dist.stale,
      },
      ...(dist.stale ? { note: 'dist/ is older than src/: run `npm run build` for figures of the current source' } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Profiling workloads: the package side of a case, run alone under the sampling profiler.

export async function packageSideWorkload(id: string, lb: Loopback | undefined): Promise<(() => Promise<unknown>) | undefined> {
  const signN = (privateKey: KeyInput) => async () => signRequestSide('', privateKey).run(3000);
  switch (id) {
    case 'sign-keyobject':
      return signN(keyObjects.merchantPrivate);
    case 'sign-pem':
      return signN(keys.merchantPkcs8Pem);
    case 'sign-base64':
      return signN(keys.merchantPkcs8Base64);
    case 'notify-verify':
    case 'notify-verify-keyobject': {
      const mod = await loadNotifications();
      if (!mod) return undefined;
      const key = id === 'notify-verify' ? keys.alipayPublicBase64 : keyObjects.alipayPublic;
      return async () => {
        for (let i = 0; i < 5000; i++) {
          sink = mod.verifyNotification({
            path: NOTIFY_PATH,
            headers: notification.headers,
            rawBody: notification.rawBody,
            alipayPublicKey: key,
            clientId: CLIENT_ID,
          });
        }
      };
    }
    case 'pay-loopback':
      if (!lb) return undefined;
      return async () => {
        const client = loopbackClient(lb.origin);
        await pool(600, 1, () => client.pay(payRequest(nextId())));
      };
    case 'pay-concurrent':
      if (!lb) return undefined;
      return async () => {
        const client = loopbackClient(lb.origin);
        await pool(1500, CONCURRENCY, () => client.pay(payRequest(nextId())));
      };
    default:
      return undefined;
  }
}
