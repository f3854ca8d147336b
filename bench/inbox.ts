// The inbox bench row: how long Alipay waits for the acknowledgement with the inbox vs the direct handler running a 200 ms callback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireRedisServer, startRedisServer } from '../test/redis/redis-server';
import { judge, round, fmtMs, type CaseResult, type Target } from './case';
import { loadBullmq, root } from './dist';
import { CLIENT_ID, NOTIFY_PATH, alipaySignatureHeader, keys, notification } from './fixtures';
import { median, pool, smoke } from './harness';

/** What the merchant's work costs in both set-ups: an ERP update, a mail, a shipment booking. */
const CALLBACK_MS = 200;
const IN_FLIGHT = 8;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let counter = 0;
/** The bench notification with its own paymentId, signed as Alipay does. */
function delivery(): { body: string; headers: Record<string, string> } {
  const parsed = JSON.parse(notification.rawBody.toString('utf8')) as Record<string, unknown>;
  parsed.paymentId = `bench-inbox-${process.pid}-${++counter}`;
  const body = JSON.stringify(parsed);
  const time = notification.headers['request-time']!;
  return { body, headers: { ...notification.headers, signature: alipaySignatureHeader(NOTIFY_PATH, CLIENT_ID, time, body) } };
}

async function serve(listener: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${NOTIFY_PATH}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Milliseconds until the acknowledgement, per delivery; throws on anything but the 200 acknowledgement. */
async function ackTimes(url: string, n: number): Promise<number[]> {
  const notes = Array.from({ length: n }, delivery);
  const times: number[] = [];
  await pool(n, IN_FLIGHT, async (i) => {
    const note = notes[i]!;
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: note.headers, body: note.body });
    await res.text();
    if (res.status !== 200) throw new Error(`bench inbox-ack: ${url} answered ${res.status}`);
    times.push(performance.now() - t0);
  });
  return times;
}

function p(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)]!;
}

/**
 * Acknowledgement latency, alternating rounds: the inbox receiver (verify, one Redis write, acknowledge; the 200 ms
 * callback runs later in worker processes, as in the recommended set-up, so none runs here) against
 * createNotificationHandler running the 200 ms callback before acknowledging. Both on loopback, IN_FLIGHT deliveries
 * at a time, fresh paymentIds.
 */
export async function inboxAckCase(deliveriesPerSide = 400): Promise<CaseResult> {
  const base = {
    id: 'inbox-ack',
    case: `acknowledgement latency with the inbox (BullMQ on a local redis-server), ${CALLBACK_MS} ms callback`,
    comparedWith: `createNotificationHandler with the same ${CALLBACK_MS} ms callback`,
    measure: 'median ms to the acknowledgement (A ÷ B)',
  };
  if (!requireRedisServer()) return { ...base, ratio: null, target: null, status: 'pending', note: 'redis-server is not installed' };
  const { createNotificationInbox } = await loadBullmq();
  // With an append-only file, as the inbox's default durability ('aof') requires: each write waits for WAITAOF.
  const redis = await startRedisServer({ appendonly: true });
  const work = (): Promise<void> => sleep(CALLBACK_MS);
  const inbox = createNotificationInbox({
    connection: `redis://127.0.0.1:${redis.port}`,
    path: NOTIFY_PATH,
    alipayPublicKey: keys.alipayPublicBase64,
    clientId: CLIENT_ID,
    logger: {},
  });
  const direct = root.createNotificationHandler({
    path: NOTIFY_PATH,
    alipayPublicKey: keys.alipayPublicBase64,
    clientId: CLIENT_ID,
    onPayment: work,
    dedupe: false,
    logger: {},
  });
  const [a, b] = await Promise.all([serve(inbox.nodeHandler), serve(direct)]);
  try {
    const rounds = smoke.enabled ? 1 : 4;
    const perRound = Math.max(IN_FLIGHT, Math.floor((smoke.enabled ? 16 : deliveriesPerSide) / rounds));
    await ackTimes(a.url, IN_FLIGHT); // warm-up: connection, scripts, JIT
    await ackTimes(b.url, IN_FLIGHT);
    const inboxMs: number[] = [];
    const directMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      inboxMs.push(...(await ackTimes(a.url, perRound)));
      directMs.push(...(await ackTimes(b.url, perRound)));
    }
    const ratio = median(inboxMs) / median(directMs);
    // The inbox's acknowledgement must not wait for the work: at most a quarter of a 200 ms callback's, even on a busy machine.
    const target: Target = { kind: 'max', value: 0.25, unit: '× time' };
    return {
      ...base,
      ratio: round(ratio, 4),
      target,
      status: judge(ratio, target),
      figures: `${fmtMs(median(inboxMs))} vs ${fmtMs(median(directMs))}`,
      details: {
        deliveriesPerSide: inboxMs.length,
        inFlight: IN_FLIGHT,
        inbox: { p50Ms: round(median(inboxMs), 2), p99Ms: round(p(inboxMs, 99), 2) },
        direct: { p50Ms: round(median(directMs), 2), p99Ms: round(p(directMs, 99), 2) },
      },
      note: 'redis-server with appendonly yes (appendfsync everysec), the default durability; with appendfsync always, each write also waits for an fsync',
    };
  } finally {
    await Promise.all([a.close(), b.close()]);
    await inbox.close();
    await redis.stop();
  }
}
