// Notification soak: 5,000 notifications over loopback with forgeries, callback failures, duplicates and Alipay-style
// redelivery. Nothing forged is acknowledged, nothing valid is acknowledged before its callback succeeded, and with
// the dedupe store every valid notification is processed exactly once.
import { createPrivateKey, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationHandler, type PaymentNotification } from '../../src/index';
import { NOTIFICATION_ACK_BODY } from '../../src/notifications/index';
import { alipay, other } from '../helpers/keys';
import { CLIENT_ID, listen, recordingLogger, type Running } from '../notifications/helpers';

const N = 5_000;
const PATH = '/soak/notify';
const TIME = '2026-11-22T00:00:00+00:00';
const alipayKey = createPrivateKey(alipay.privatePem);
const forgerKey = createPrivateKey(other.privatePem);

interface Delivery {
  id: number;
  body: string;
  headers: Record<string, string>;
  forged: boolean;
}

function bodyFor(id: number, value = '1999'): string {
  return JSON.stringify({
    notifyType: 'PAYMENT_RESULT',
    paymentRequestId: `soak-req-${id}`,
    paymentId: `soak-pay-${id}`,
    paymentAmount: { currency: 'USD', value },
    paymentCreateTime: '2026-11-22T08:00:00+08:00',
    paymentTime: '2026-11-22T08:00:05+08:00',
    result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
  });
}

function headersFor(body: string, key = alipayKey): Record<string, string> {
  const sig = sign('sha256', Buffer.from(`POST ${PATH}\n${CLIENT_ID}.${TIME}.${body}`), key).toString('base64');
  return {
    'content-type': 'application/json',
    'client-id': CLIENT_ID,
    'request-time': TIME,
    signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(sig)}`,
  };
}

// Deterministic mix: 3 % of ids fail their first callback; 5 % of deliveries are forgeries of three kinds.
const failsFirst = (id: number) => id % 33 === 0;
const valid: Delivery[] = [];
const forged: Delivery[] = [];
for (let id = 0; id < N; id++) {
  const body = bodyFor(id);
  valid.push({ id, body, headers: headersFor(body), forged: false });
  if (id % 20 === 7) {
    const kind = id % 3;
    if (kind === 0)
      forged.push({ id, body: bodyFor(id, '1'), headers: headersFor(body), forged: true }); // tampered amount, original signature
    else if (kind === 1)
      forged.push({ id, body, headers: headersFor(body, forgerKey), forged: true }); // signed by someone else
    else
      forged.push({
        id: -id,
        body: bodyFor(-id),
        headers: { ...headersFor(body), signature: 'algorithm=RSA256,signature=AAAA' },
        forged: true,
      });
  }
}

let seq = 0;
const callbackSuccess = new Map<string, number>(); // paymentId → seq of the successful callback
const callbackCalls = new Map<string, number>();
const attempts = new Map<string, number>();
const { logger } = recordingLogger();
let running: Running;

beforeAll(async () => {
  const handler = createNotificationHandler({
    path: PATH,
    alipayPublicKey: alipay.publicBase64,
    clientId: CLIENT_ID,
    logger,
    onPayment: async (n: PaymentNotification) => {
      const key = n.paymentId;
      callbackCalls.set(key, (callbackCalls.get(key) ?? 0) + 1);
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      await new Promise((r) => setImmediate(r)); // let concurrent duplicates interleave
      const id = Number(key.replace('soak-pay-', ''));
      if (failsFirst(id) && attempt === 1) throw new Error('warehouse unavailable');
      callbackSuccess.set(key, ++seq);
    },
  });
  running = await listen(handler);
});
afterAll(() => running?.close());

interface Answer {
  status: number;
  body: string;
  seq: number;
}

async function deliver(d: Delivery): Promise<Answer> {
  const res = await fetch(`${running.url}${PATH}`, { method: 'POST', headers: d.headers, body: d.body });
  const body = await res.text();
  return { status: res.status, body, seq: ++seq };
}

/** Sends all deliveries with bounded concurrency; returns the answers in input order. */
async function sendAll(list: Delivery[], concurrency = 24): Promise<Answer[]> {
  const out: Answer[] = new Array(list.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < list.length) {
        const i = next++;
        out[i] = await deliver(list[i]!);
      }
    }),
  );
  return out;
}

describe('notification soak', () => {
  it(`${N} notifications, ${forged.length} forged, 3 % callback failures, duplicates, redelivery until acknowledged`, async () => {
    const acked = new Set<string>();
    let forgedAcked = 0;
    let ackedBeforeCallback = 0;
    // Round 1: every valid notification twice (duplicates, often concurrent) plus the forgeries, interleaved.
    let pending: Delivery[] = [];
    for (let i = 0; i < valid.length; i++) {
      pending.push(valid[i]!, valid[i]!);
      if (i % 20 === 7) pending.push(forged[Math.floor(i / 20)]!);
    }
    for (let round = 1; round <= 6 && pending.length > 0; round++) {
      const answers = await sendAll(pending);
      answers.forEach((a, i) => {
        const d = pending[i]!;
        const isAck = a.status === 200 && a.body === NOTIFICATION_ACK_BODY;
        if (d.forged) {
          if (isAck || a.status === 200) forgedAcked++;
          expect(a.status).toBe(401);
          return;
        }
        if (isAck) {
          const key = `soak-pay-${d.id}`;
          const done = callbackSuccess.get(key);
          if (done === undefined || done > a.seq) ackedBeforeCallback++;
          acked.add(key);
        } else {
          expect([500, 503]).toContain(a.status); // refused: Alipay will send it again
          expect(a.body).not.toBe(NOTIFICATION_ACK_BODY);
        }
      });
      // Alipay redelivers what was not acknowledged; forgeries are not retried by anyone.
      pending = valid.filter((d) => !acked.has(`soak-pay-${d.id}`));
    }
    expect(forgedAcked).toBe(0);
    expect(ackedBeforeCallback).toBe(0);
    expect(acked.size).toBe(N);
    // Exactly once: one successful callback per valid notification; the failed ones were processed on redelivery.
    expect(callbackSuccess.size).toBe(N);
    const failed = valid.filter((d) => failsFirst(d.id)).length;
    const totalCalls = [...callbackCalls.values()].reduce((a, b) => a + b, 0);
    expect(totalCalls).toBe(N + failed);
    for (const d of valid.filter((v) => failsFirst(v.id))) expect(callbackCalls.get(`soak-pay-${d.id}`)).toBe(2);
    // No forged id ever reached a callback.
    expect([...callbackCalls.keys()].filter((k) => k.startsWith('soak-pay--'))).toHaveLength(0);
  }, 120_000);
});
