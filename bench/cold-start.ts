// Bench rows for a fresh process: cold require, the first pay() after the import, and cold start to a verified pay over TLS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDist, ROOT, type DistInfo } from './cold-import';
import { judge, round, type CaseResult, type Target } from './cases';
import { CLIENT_ID, keyObjects, keys, payRequest } from './fixtures';
import { median } from './harness';
import { startLoopback, type Loopback } from './loopback';

/** Milliseconds of wall time for one whole `node` process (start, script, exit), as a user's shell sees it. */
function processMs(args: readonly string[], env: Record<string, string> = {}): number {
  const t0 = performance.now();
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', ...env } });
  return performance.now() - t0;
}

/** A and B in alternating fresh processes (A, B, A, B … after one discarded pair): each side's median wall time. */
function alternateProcesses(a: () => number, b: () => number, samples: number): { a: number[]; b: number[] } {
  a();
  b();
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < samples; i++) {
    out.a.push(a());
    out.b.push(b());
  }
  return out;
}

/** A process case shown without a verdict (a diagnostic row). */
function reported(c: CaseResult): CaseResult {
  return { ...c, target: null, status: 'reported' };
}

function processCase(
  id: string,
  title: string,
  comparedWith: string,
  target: Target,
  t: { a: number[]; b: number[] },
  dist: DistInfo,
  note: string,
): CaseResult {
  const ratio = median(t.a) / median(t.b);
  return {
    id,
    case: title,
    comparedWith,
    measure: 'wall time of a whole fresh node process (ms A ÷ ms B)',
    ratio: round(ratio, 4),
    target,
    status: judge(ratio, target),
    details: {
      medianOfPairRatios: round(median(t.a.map((v, i) => v / t.b[i]!)), 4),
      medianAms: round(median(t.a), 1),
      medianBaselineMs: round(median(t.b), 1),
      aMs: t.a.map((v) => round(v, 1)),
      bMs: t.b.map((v) => round(v, 1)),
      distOlderThanSrc: dist.stale,
    },
    note,
  };
}

/** `node -e "require('ams-cashier')"` against `node -e "require('zod')"`: what the package adds to the one dependency it needs. */
export function coldRequireCase(samples: number): CaseResult {
  const dist = ensureDist();
  const t = alternateProcesses(
    () => processMs(['-e', "require('ams-cashier')"]),
    () => processMs(['-e', "require('zod')"]),
    samples,
  );
  return processCase(
    'cold-require',
    "cold require('ams-cashier'), whole process (dist/index.cjs)",
    "a process that only does require('zod')",
    { kind: 'max', value: 1.3, unit: '× time' },
    t,
    dist,
    'fresh processes, alternating',
  );
}

/** A pay request template whose id the child replaces per call. */
const ID = 'pr-cold-ID';
const template = (): string => JSON.stringify(payRequest(ID));

/**
 * The first pay() of a fresh process, timed from the call (the package imported and the client built from PEM
 * strings beforehand), against the median steady-state pay() of the same process once 20 calls have warmed it up.
 */
const FIRST_PAY_SCRIPT = `
const { AmsClient } = require('ams-cashier');
const env = process.env;
const client = new AmsClient({ clientId: env.BENCH_CLIENT_ID, privateKey: env.BENCH_PRIVATE_KEY, alipayPublicKey: env.BENCH_ALIPAY_PUBLIC_KEY, baseUrl: env.BENCH_ORIGIN });
const request = (i) => JSON.parse(env.BENCH_PAY.replaceAll('${ID}', 'pr-cold-' + process.pid + '-' + i));
(async () => {
  let t = performance.now();
  await client.pay(request(0));
  const first = performance.now() - t;
  const steady = [];
  for (let i = 1; i <= 60; i++) {
    t = performance.now();
    await client.pay(request(i));
    if (i > 20) steady.push(performance.now() - t);
  }
  steady.sort((x, y) => x - y);
  process.stdout.write(JSON.stringify({ first, steady: steady[steady.length >> 1] }));
  process.exit(0);
})().catch((err) => { console.error(err); process.exit(1); });
`;

function keyEnv(origin: string): Record<string, string> {
  return {
    BENCH_CLIENT_ID: CLIENT_ID,
    BENCH_PRIVATE_KEY: keys.merchantPkcs8Pem,
    BENCH_ALIPAY_PUBLIC_KEY: keyObjects.alipayPublic.export({ type: 'spki', format: 'pem' }) as string,
    BENCH_ORIGIN: origin,
  };
}

export function firstPayCase(lb: Loopback, samples: number): CaseResult {
  const dist = ensureDist();
  const env = { ...process.env, NODE_OPTIONS: '', ...keyEnv(lb.origin), BENCH_PAY: template() };
  const runs: Array<{ first: number; steady: number }> = [];
  for (let i = 0; i < samples + 1; i++) {
    const out = execFileSync(process.execPath, ['-e', FIRST_PAY_SCRIPT], {
      cwd: ROOT,
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (i > 0) runs.push(JSON.parse(out) as { first: number; steady: number });
  }
  const first = median(runs.map((r) => r.first));
  const steady = median(runs.map((r) => r.steady));
  const ratio = first / steady;
  const target: Target = { kind: 'max', value: 6, unit: '× time' };
  return {
    id: 'cold-first-pay',
    case: 'first pay() in a fresh process, after the import (client from PEM strings, loopback)',
    comparedWith: 'steady-state pay() in the same processes',
    measure: 'time per call (ms A ÷ ms B)',
    ratio: round(ratio, 4),
    target,
    status: judge(ratio, target),
    details: {
      medianOfPairRatios: round(median(runs.map((r) => r.first / r.steady)), 4),
      medianFirstMs: round(first, 2),
      medianSteadyMs: round(steady, 3),
      firstMs: runs.map((r) => round(r.first, 2)),
      distOlderThanSrc: dist.stale,
    },
    note: 'steady state: the median of calls 21–60 in each process',
  };
}

/** A throwaway key and self-signed certificate for 127.0.0.1 (openssl), so the client's default TLS checks pass. */
function loopbackCertificate(dir: string): { keyFile: string; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    {
      stdio: 'ignore',
    },
  );
  return { keyFile, certFile };
}

/** Import, a client from PEM strings, one pay() over a fresh TLS connection, verified; then exit. */
const COLD_START_SCRIPT = `
import { AmsClient } from 'ams-cashier';
const env = process.env;
const client = new AmsClient({ clientId: env.BENCH_CLIENT_ID, privateKey: env.BENCH_PRIVATE_KEY, alipayPublicKey: env.BENCH_ALIPAY_PUBLIC_KEY, baseUrl: env.BENCH_ORIGIN });
const answer = await client.pay(JSON.parse(env.BENCH_PAY.replaceAll('${ID}', 'pr-cold-' + process.pid)));
if (answer.result.resultCode !== 'PAYMENT_IN_PROCESS') process.exit(3);
process.exit(0);
`;

/**
 * The least a zod-validating client can do from a cold process: import zod, parse the two keys, sign, one POST over
 * a fresh TLS connection, verify, JSON.parse and a one-field zod check. No ams-cashier. What this costs against
 * `node -e 0` is the floor of `cold-start-tls` for any client built on zod, as this package is.
 */
const COLD_FLOOR_SCRIPT = `
import { z } from 'zod';
import https from 'node:https';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
const env = process.env;
const privateKey = createPrivateKey(env.BENCH_PRIVATE_KEY);
const publicKey = createPublicKey(env.BENCH_ALIPAY_PUBLIC_KEY);
const body = JSON.stringify(JSON.parse(env.BENCH_PAY.replaceAll('${ID}', 'pr-cold-' + process.pid)));
const url = new URL('/ams/api/v1/payments/pay', env.BENCH_ORIGIN);
const time = new Date().toISOString().slice(0, 19) + '+00:00';
const signature = sign('sha256', Buffer.from('POST ' + url.pathname + '\\n' + env.BENCH_CLIENT_ID + '.' + time + '.' + body), privateKey).toString('base64');
const res = await new Promise((resolve, reject) => {
  const req = https.request(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': env.BENCH_CLIENT_ID, 'request-time': time, signature: 'algorithm=RSA256,keyVersion=1,signature=' + encodeURIComponent(signature) } }, (r) => {
    const chunks = [];
    r.on('data', (c) => chunks.push(c));
    r.on('end', () => resolve({ headers: r.headers, body: Buffer.concat(chunks).toString('utf8') }));
    r.on('error', reject);
  });
  req.on('error', reject);
  req.end(body);
});
const header = res.headers.signature;
const got = Buffer.from(decodeURIComponent(header.slice(header.indexOf('signature=') + 10)), 'base64');
const content = 'POST ' + url.pathname + '\\n' + res.headers['client-id'] + '.' + res.headers['response-time'] + '.' + res.body;
if (!verify('sha256', Buffer.from(content), publicKey, got)) process.exit(4);
const answer = z.object({ result: z.object({ resultCode: z.string() }) }).parse(JSON.parse(res.body));
if (answer.result.resultCode !== 'PAYMENT_IN_PROCESS') process.exit(3);
process.exit(0);
`;

/**
 * Cold start to the first verified pay() over HTTPS, whole process, against `node -e 0` (judged), and a hand-written
 * zod client doing the same exchange (reported: `cold-start-tls-floor`, that client against `node -e 0`, and
 * `cold-start-tls-vs-floor`, this package against it). Each sample runs the three in turn (package, floor, bare), so a drift hits them alike. Every side
 * gets the same NODE_EXTRA_CA_CERTS (the loopback certificate), so what Node does with it at start-up is on all sides.
 */
export async function coldStartCase(samples: number): Promise<CaseResult[]> {
  const dist = ensureDist();
  const dir = mkdtempSync(join(tmpdir(), 'ams-bench-tls-'));
  let lb: Loopback | undefined;
  try {
    const tls = loopbackCertificate(dir);
    lb = await startLoopback(tls);
    const env = { ...keyEnv(lb.origin), BENCH_PAY: template(), NODE_EXTRA_CA_CERTS: tls.certFile };
    const ours = (): number => processMs(['--input-type=module', '-e', COLD_START_SCRIPT], env);
    const floor = (): number => processMs(['--input-type=module', '-e', COLD_FLOOR_SCRIPT], env);
    const bare = (): number => processMs(['-e', '0'], env);
    ours();
    floor();
    bare();
    const t = { ours: [] as number[], floor: [] as number[], bare: [] as number[] };
    for (let i = 0; i < samples; i++) {
      t.ours.push(ours());
      t.floor.push(floor());
      t.bare.push(bare());
    }
    const note = 'HTTPS loopback gateway with a throwaway certificate trusted through NODE_EXTRA_CA_CERTS (on every side)';
    return [
      processCase(
        'cold-start-tls',
        'cold start to the first verified pay() (import, client, TLS handshake, call), whole process',
        'node -e 0',
        { kind: 'max', value: 2, unit: '× time' },
        { a: t.ours, b: t.bare },
        dist,
        note,
      ),
      reported(
        processCase(
          'cold-start-tls-floor',
          'diagnostic: the same exchange by a hand-written client on zod, node:https and node:crypto, whole process',
          'node -e 0',
          { kind: 'max', value: 2, unit: '× time' },
          { a: t.floor, b: t.bare },
          dist,
          'the least any zod-validating client pays from a cold process: the floor of cold-start-tls',
        ),
      ),
      reported(
        processCase(
          'cold-start-tls-vs-floor',
          'diagnostic: cold start to the first verified pay(), this package',
          'the hand-written zod client (cold-start-tls-floor)',
          { kind: 'max', value: 2, unit: '× time' },
          { a: t.ours, b: t.floor },
          dist,
          'what the package adds to the least a zod client does',
        ),
      ),
    ];
  } finally {
    await lb?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
