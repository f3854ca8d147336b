// Several handler instances sharing one real Redis: each notification's callback succeeds exactly once, and is
// acknowledged only after it did; crashed claims expire; a down Redis means 503s, then recovery.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createNotificationHandler } from '../../src/index';
import type { PaymentNotification, NotificationContext } from '../../src/index';
import { createRedisNotificationStore, type RedisNotificationStoreOptions } from '../../src/redis';
import { alipay } from '../helpers/keys';
import {
  ACK,
  CLIENT_ID,
  PATH,
  alipayHeaders,
  gate,
  listen,
  recordingLogger,
  until,
  usdBody,
  type LogLine,
  type Running,
} from '../notifications/helpers';
import { connect, ready, sleep } from './helpers';
import { requireRedisServer, startRedisServer, type RedisServer } from './redis-server';

const HAVE_REDIS = requireRedisServer();

interface Notification {
  index: number;
  id: string;
  body: string;
  headers: Record<string, string>;
}

let uniq = 0;
/** the cashier guide's PAYMENT_RESULT body with its own paymentId, signed by the test "Alipay". */
function notification(index: number, tag: string): Notification {
  const id = `${tag}-${process.pid}-${++uniq}-${index}`;
  const parsed = JSON.parse(usdBody) as Record<string, unknown>;
  parsed.paymentId = id;
  parsed.paymentRequestId = `req-${id}`;
  const body = JSON.stringify(parsed);
  return { index, id, body, headers: alipayHeaders({ body }) };
}

interface Delivery {
  status: number;
  body: string;
  /** How long the answer took. */
  ms: number;
}

async function deliver(url: string, n: Notification): Promise<Delivery> {
  const started = Date.now();
  const res = await fetch(url + PATH, { method: 'POST', headers: n.headers, body: n.body, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: await res.text(), ms: Date.now() - started };
}

const errorOf = (d: Delivery): unknown => (JSON.parse(d.body) as { error?: unknown }).error;

type OnPayment = (n: PaymentNotification, ctx: NotificationContext) => unknown;

interface Instance {
  name: string;
  url: string;
  redis: Redis;
  logs: LogLine[];
  close(): Promise<void>;
}

describe.skipIf(!HAVE_REDIS)('notification handlers on several instances sharing Redis', () => {
  let server: RedisServer;
  const open: Instance[] = [];

  /** One "instance": its own http.Server on 127.0.0.1, its own ioredis connection, the Redis store, the handler. */
  async function instance(
    name: string,
    port: number,
    onPayment: OnPayment,
    store: Omit<RedisNotificationStoreOptions, 'redis'> = {},
  ): Promise<Instance> {
    const redis = connect(port);
    await ready(redis);
    const { logger, logs } = recordingLogger();
    const handler = createNotificationHandler({
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      onPayment,
      dedupe: createRedisNotificationStore({ redis, ...store }),
      logger,
    });
    const running: Running = await listen(handler);
    const inst: Instance = {
      name,
      url: running.url,
      redis,
      logs,
      close: async () => {
        await running.close();
        redis.disconnect();
      },
    };
    open.push(inst);
    return inst;
  }

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((i) => i.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('200 notifications, each delivered to both instances at once, 3 rounds, 10% failing once: each callback succeeds exactly once, never acknowledged before', async () => {
    const COUNT = 200;
    const notifications = Array.from({ length: COUNT }, (_, i) => notification(i, 'multi'));
    const byId = new Map(notifications.map((n) => [n.id, n]));
    const failsFirst = (n: Notification): boolean => n.index % 10 === 0;

    let clock = 0; // one ordering for callback ends and acknowledgements (same process, same event loop)
    const attempts = new Map<string, number>();
    const successes = new Map<string, number>();
    const succeededAt = new Map<string, number>();
    const running = new Set<string>();
    const violations: string[] = [];
    const ranOn = { A: 0, B: 0 };

    const onPayment =
      (name: 'A' | 'B'): OnPayment =>
      async (p, ctx) => {
        const n = byId.get(p.paymentId);
        if (!n) throw new Error(`unknown paymentId ${p.paymentId}`);
        if (ctx.key !== `PAYMENT_RESULT:${n.id}`) violations.push(`key ${ctx.key} for ${n.id}`);
        if (running.has(n.id)) violations.push(`${n.id}: two callbacks ran at the same time`);
        running.add(n.id);
        ranOn[name]++;
        const attempt = (attempts.get(n.id) ?? 0) + 1;
        attempts.set(n.id, attempt);
        try {
          await sleep(3 + (n.index % 5) * 3); // long enough that the twin delivery finds the claim busy
          if (failsFirst(n) && attempt === 1) throw new Error(`simulated failure of ${n.id}`);
          successes.set(n.id, (successes.get(n.id) ?? 0) + 1);
          succeededAt.set(n.id, ++clock);
        } finally {
          running.delete(n.id);
        }
      };

    const a = await instance('A', server.port, onPayment('A'));
    const b = await instance('B', server.port, onPayment('B'));

    const tally = { ack: 0, busy: 0, failed: 0 };
    const rounds: (typeof tally)[] = [];
    const acked = new Set<string>();

    function check(n: Notification, d: Delivery, where: string, round: typeof tally): void {
      if (d.status === 200) {
        if (d.body !== ACK) violations.push(`${where} ${n.id}: 200 without the ack body: ${d.body}`);
        const at = ++clock;
        const s = succeededAt.get(n.id);
        if (s === undefined || s > at) violations.push(`${where} ${n.id}: acknowledged before its callback succeeded`);
        acked.add(n.id);
        round.ack++;
      } else if (d.status === 503) {
        if (errorOf(d) !== 'in_progress') violations.push(`${where} ${n.id}: 503 ${d.body}`);
        if (d.body.includes('SUCCESS')) violations.push(`${where} ${n.id}: 503 carries an ack`);
        round.busy++;
      } else if (d.status === 500) {
        if (errorOf(d) !== 'callback_failed') violations.push(`${where} ${n.id}: 500 ${d.body}`);
        if (!failsFirst(n)) violations.push(`${where} ${n.id}: 500 for a callback that does not fail`);
        round.failed++;
      } else {
        violations.push(`${where} ${n.id}: unexpected ${d.status} ${d.body}`);
      }
    }

    for (let r = 0; r < 3; r++) {
      const round = { ack: 0, busy: 0, failed: 0 };
      const callsBefore = ranOn.A + ranOn.B;
      // Bounded concurrency: 100 notifications (200 requests) in flight at a time.
      const queue = [...notifications];
      await Promise.all(
        Array.from({ length: 100 }, async () => {
          for (let n = queue.shift(); n; n = queue.shift()) {
            const note = n;
            const [da, db] = await Promise.all([deliver(a.url, note), deliver(b.url, note)]);
            check(note, da, `round ${r + 1} A`, round);
            check(note, db, `round ${r + 1} B`, round);
          }
        }),
      );
      rounds.push({ ...round });
      tally.ack += round.ack;
      tally.busy += round.busy;
      tally.failed += round.failed;
      if (r === 2) {
        // Everything was handled in rounds 1–2: round 3 is acknowledged from Redis without running a callback.
        expect(ranOn.A + ranOn.B - callsBefore).toBe(0);
        expect(round).toEqual({ ack: 2 * COUNT, busy: 0, failed: 0 });
      }
    }

    expect(violations).toEqual([]);
    for (const n of notifications) {
      expect(successes.get(n.id), n.id).toBe(1);
      expect(attempts.get(n.id), n.id).toBe(failsFirst(n) ? 2 : 1);
      expect(acked.has(n.id), n.id).toBe(true);
    }
    expect(ranOn.A + ranOn.B).toBe(COUNT + COUNT / 10);
    expect(tally.failed).toBe(COUNT / 10);
    // The twin deliveries really raced: many found the other instance's claim and were answered 503.
    expect(tally.busy).toBeGreaterThan(COUNT / 4);
    expect([...a.logs, ...b.logs].some((l) => l.level === 'warn' && /being handled by another delivery/.test(l.message))).toBe(true);
    const values = await a.redis.mget(...notifications.map((n) => `ams:notify:PAYMENT_RESULT:${n.id}`));
    expect(values.every((v) => v === 'done')).toBe(true);
  });

  it('a crashed instance’s claim blocks (503) until processingTtlMs, then a redelivery is processed once', async () => {
    const TTL = 400;
    const n = notification(0, 'crash');
    const started = gate();
    // Instance C takes the claim and its callback never returns; then it "crashes": sockets and Redis connection gone.
    const c = await instance(
      'C',
      server.port,
      async () => {
        started.open();
        await new Promise(() => {});
      },
      { processingTtlMs: TTL },
    );
    let calls = 0;
    const a = await instance(
      'A',
      server.port,
      () => {
        calls++;
      },
      { processingTtlMs: TTL },
    );

    const hanging = deliver(c.url, n).catch((err: unknown) => err);
    await started.wait;
    const claimedAt = Date.now();
    await c.close();
    expect(await hanging).toBeInstanceOf(Error); // C never answered: no ack from the crashed instance

    const early = await deliver(a.url, n);
    expect(early.status).toBe(503);
    expect(errorOf(early)).toBe('in_progress');
    expect(calls).toBe(0);

    let answered: Delivery | undefined;
    for (let i = 0; i < 60 && !answered; i++) {
      const d = await deliver(a.url, n);
      if (d.status === 200) answered = d;
      else {
        expect(d.status).toBe(503);
        expect(calls).toBe(0);
        await sleep(25);
      }
    }
    expect(answered?.body).toBe(ACK);
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(TTL - 50);
    expect(calls).toBe(1);
    expect(await deliver(a.url, n)).toMatchObject({ status: 200, body: ACK });
    expect(calls).toBe(1);
  });

  it('Redis stopped mid-run: 503 and a log, no ack, no callback; an in-flight callback is still acknowledged; after restart it recovers', async () => {
    const own = await startRedisServer(); // its own server, so stopping it does not disturb the other tests
    try {
      const calls = new Map<string, number>();
      const hold = gate();
      const holding = gate();
      const held = notification(0, 'down-held');
      const count = (p: PaymentNotification): void => {
        calls.set(p.paymentId, (calls.get(p.paymentId) ?? 0) + 1);
      };
      const onPayment: OnPayment = async (p) => {
        if (p.paymentId === held.id) {
          holding.open();
          await hold.wait;
        }
        count(p);
      };
      const a = await instance('A', own.port, onPayment);
      const b = await instance('B', own.port, onPayment);

      const before = notification(1, 'down-before');
      const pair = await Promise.all([deliver(a.url, before), deliver(b.url, before)]);
      expect(pair.some((d) => d.status === 200 && d.body === ACK)).toBe(true);
      expect(calls.get(before.id)).toBe(1);

      // A callback is running when Redis goes away.
      const inFlight = deliver(a.url, held);
      await holding.wait;
      await own.stop();
      await until(() => a.redis.status !== 'ready' && b.redis.status !== 'ready', 5000);

      const during = [notification(2, 'down-during'), notification(3, 'down-during')];
      for (let round = 0; round < 3; round++) {
        for (const n of during) {
          const answers = await Promise.all([deliver(a.url, n), deliver(b.url, n)]);
          for (const d of answers) {
            expect(d.status).toBe(503);
            expect(errorOf(d)).toBe('store_unavailable');
            expect(d.body).not.toContain('SUCCESS');
            expect(d.ms).toBeLessThan(3000); // fails fast: no offline queue, no endless retries
          }
        }
      }
      for (const n of during) expect(calls.get(n.id)).toBeUndefined();
      for (const inst of [a, b]) {
        expect(
          inst.logs.some((l) => l.level === 'error' && /store unavailable/.test(l.message) && String(l.meta?.key).includes('down-during')),
        ).toBe(true);
      }

      // The held callback finishes while Redis is down: the work is done, so it is acknowledged (logged: no done record).
      hold.open();
      const heldAnswer = await inFlight;
      expect(heldAnswer).toMatchObject({ status: 200, body: ACK });
      expect(calls.get(held.id)).toBe(1);
      expect(a.logs.some((l) => l.level === 'error' && /could not mark it done/.test(l.message))).toBe(true);

      await own.restart();
      await ready(a.redis);
      await ready(b.redis);
      for (const n of during) {
        const answers = await Promise.all([deliver(a.url, n), deliver(b.url, n)]);
        expect(answers.some((d) => d.status === 200 && d.body === ACK)).toBe(true);
        for (const d of answers) expect([200, 503]).toContain(d.status);
        expect(calls.get(n.id)).toBe(1);
        expect(await deliver(b.url, n)).toMatchObject({ status: 200, body: ACK });
        expect(calls.get(n.id)).toBe(1);
      }
    } finally {
      await Promise.all(open.splice(0).map((i) => i.close()));
      await own.stop();
    }
  });
});
