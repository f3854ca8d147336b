// Bench rows for pay() on loopback: against the raw floor (sequential, axios, concurrent) and the diagnostics that explain them.
import { sign as rawSign, verify as rawVerify } from 'node:crypto';
import nodeHttp from 'node:http';
import { availableParallelism } from 'node:os';
import type { AmsClient } from '../src/client';
import type { HttpRequest, HttpResponse, Transport } from '../src/http/types';
import { round, sink, throughputCase, timeCase, type CaseResult } from './case';
import { cpuWindow } from './cpu';
import { root } from './dist';
import {
  CLIENT_ID,
  IN_PROCESS_BODY,
  PAY_BODY,
  PAY_PATH,
  PRESIGNED_ID,
  REQUEST_TIME,
  keyObjects,
  keys,
  payRequest,
  presignedPayHeaders,
  rawSignatureOf,
} from './fixtures';
import { alternate, pool } from './harness';
import type { Loopback } from './loopback';

function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * The floor for a round trip: serialize, sign (sync, KeyObject), node:http POST on a keep-alive agent, check the
 * three response headers, verify, JSON.parse. No validation, no retries, no timeouts: the least any client must do.
 */
export function rawPayClient(origin: string): (id: string) => Promise<unknown> {
  const agent = new nodeHttp.Agent({ keepAlive: true });
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
      const req = nodeHttp.request(
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
  return new root.AmsClient({
    clientId: CLIENT_ID,
    privateKey: keys.merchantPkcs8Base64,
    alipayPublicKey: keys.alipayPublicBase64,
    baseUrl: origin,
    ...(transport ? { transport } : {}),
  });
}

let seq = 0;
/** A paymentRequestId no other call of this process used: the gateway echoes it, the client checks the echo. */
export const nextId = (): string => `pr-bench-${process.pid}-${++seq}`;

/**
 * pay() against the loopback gateway, one call at a time. `default` is a client given no transport (node:http here,
 * since no proxy is configured), the judged case; `axios` is the opt-in `createAxiosTransport()`, reported.
 */
export async function payLoopbackSequential(lb: Loopback, variant: 'default' | 'axios' = 'default'): Promise<CaseResult> {
  const client = loopbackClient(lb.origin, variant === 'axios' ? root.createAxiosTransport() : undefined);
  const raw = rawPayClient(lb.origin);
  const first = await client.pay(payRequest(nextId()));
  if (first.result.resultCode !== 'PAYMENT_IN_PROCESS') throw new Error('pay() did not get PAYMENT_IN_PROCESS from the loopback gateway');
  await raw(nextId());
  const [a, b] = await alternate(
    { name: 'AmsClient.pay() sequential', run: (n) => pool(n, 1, () => client.pay(payRequest(nextId()))) },
    { name: 'raw sign + node:http keep-alive + raw verify', run: (n) => pool(n, 1, () => raw(nextId())) },
    { rounds: 40, warmupRounds: 2, plan: { kind: 'ops', ops: 20 } },
  );
  const judged = variant === 'default';
  return {
    ...timeCase(
      judged ? 'pay-loopback' : 'pay-loopback-axios',
      judged
        ? 'pay() round trip on loopback, sequential, default transport'
        : 'pay() on loopback, sequential, transport: createAxiosTransport()',
      'raw sign + node:http keep-alive POST + raw verify',
      judged ? { kind: 'max', value: 1.12, unit: '× time' } : null,
      a,
      b,
    ),
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
  const axiosTransport = root.createAxiosTransport();
  const agent = new nodeHttp.Agent({ keepAlive: true });
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
      const req = nodeHttp.request(
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
  const r = timeCase(
    'diag-transport',
    'diagnostic: createAxiosTransport(), one POST',
    'node:http keep-alive POST',
    null,
    a,
    b,
    'explains pay-loopback-axios and why the default goes direct: same gateway, no client-side crypto',
  );
  r.details = {
    ...r.details,
    clientCpuMsPerRequestAxios: round(cpuA.us / 1000 / a.totalOps, 3),
    clientCpuMsPerRequestNodeHttp: round(cpuB.us / 1000 / b.totalOps, 3),
  };
  return r;
}

/** An in-process transport answering the one pre-signed response (PRESIGNED_ID): the pipeline with no HTTP at all. */
export function presignedTransport(): Transport {
  const headers = presignedPayHeaders(PAY_PATH, CLIENT_ID);
  return async (): Promise<HttpResponse> => ({ status: 200, headers: { ...headers }, body: IN_PROCESS_BODY });
}

/** Diagnostic: the pay() pipeline with no HTTP at all (in-process transport) against raw sign + verify + parse. */
export async function pipelineWithoutHttp(): Promise<CaseResult> {
  const transport = presignedTransport();
  const client = loopbackClient('http://127.0.0.1:9', transport);
  const raw = async (id: string): Promise<unknown> => {
    const body = JSON.stringify(payRequest(id));
    const time = formatTime(new Date());
    sink.value = rawSign(
      'sha256',
      Buffer.from(`POST ${PAY_PATH}\n${CLIENT_ID}.${time}.${body}`, 'utf8'),
      keyObjects.merchantPrivate,
    ).toString('base64');
    const res = await transport({ url: '', method: 'POST', headers: {}, body, signal: AbortSignal.timeout(15_000) });
    const head = Buffer.from(`POST ${PAY_PATH}\n${res.headers['client-id']}.${res.headers['response-time']}.`, 'utf8');
    const content = Buffer.concat([head, Buffer.from(res.body, 'utf8')]);
    if (!rawVerify('sha256', content, keyObjects.alipayPublic, rawSignatureOf(res.headers['signature']!)))
      throw new Error('raw: no verify');
    return JSON.parse(res.body);
  };
  const [a, b] = await alternate(
    { name: 'AmsClient.pay(), in-process transport', run: (n) => pool(n, 1, () => client.pay(payRequest(PRESIGNED_ID))) },
    { name: 'raw sign + verify + JSON.parse, same transport', run: (n) => pool(n, 1, () => raw(PRESIGNED_ID)) },
    { rounds: 10, warmupRounds: 1, plan: { kind: 'ops', ops: 100 } },
  );
  return timeCase(
    'diag-pipeline',
    'diagnostic: pay() without HTTP, sequential',
    'raw sign + verify + parse, same transport',
    null,
    a,
    b,
    'validation, zod, threadpool hops for sign/verify, AbortSignal per attempt',
  );
}
