// Adversarial reproductions for the inbox: a delivery acknowledged to Alipay must reach a callback.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { createNotificationInbox, type InboxJobData, type NotificationInbox } from '../../src/bullmq';
import { inboxJobData, inboxJobId } from '../../src/bullmq/job';
import { formerNotificationKeys, notificationKey } from '../../src/notifications/dedupe';
import { verifyNotification, type PaymentNotification } from '../../src/index';
import { alipay } from '../helpers/keys';
import { alipayHeaders, CLIENT_ID, disputeBody, PATH, recordingLogger, until, usdBody } from '../notifications/helpers';
import { requireRedisServer, startRedisServer, type RedisServer } from '../redis/redis-server';

const HAVE_REDIS = requireRedisServer();

/** POSTs with a raw request target (fetch would normalise `//a/b`). */
function postRaw(port: number, target: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: target, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.skipIf(!HAVE_REDIS)('adversarial: the inbox never acknowledges what its worker will refuse', () => {
  let server: RedisServer;
  let http: Server | undefined;
  const inboxes: NotificationInbox[] = [];
  const queues: Queue[] = [];

  beforeAll(async () => {
    server = await startRedisServer({ appendonly: true });
  });
  afterEach(async () => {
    await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
    http = undefined;
    await Promise.all(inboxes.splice(0).map((i) => i.close()));
    await Promise.all(queues.splice(0).map((q) => q.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('without a path option, a notify URL with a double slash (//alipay/notify) is acknowledged and then reaches onPayment', async () => {
    const queueName = 'adv-double-slash';
    const { logger, logs } = recordingLogger();
    const inbox = createNotificationInbox({
      connection: `redis://127.0.0.1:${server.port}`,
      queueName,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger,
    });
    inboxes.push(inbox);
    const seen: string[] = [];
    inbox.process({ onPayment: (p: PaymentNotification) => void seen.push(p.paymentId) }, { backoff: 10 });
    http = createServer(inbox.nodeHandler);
    await new Promise<void>((r) => http!.listen(0, '127.0.0.1', () => r()));
    const port = (http.address() as AddressInfo).port;

    // The merchant gave Alipay https://shop.example//alipay/notify (a base URL ending in "/" joined with "/alipay/notify").
    const target = '//alipay/notify';
    const body = JSON.stringify({ ...JSON.parse(usdBody), paymentId: 'double-slash-1' });
    const answer = await postRaw(port, target, alipayHeaders({ body, path: target }), body);
    expect(answer.status).toBe(200); // acknowledged: Alipay will never send it again

    const queue = new Queue<InboxJobData>(queueName, { connection: { host: '127.0.0.1', port: server.port } });
    queues.push(queue);
    const end = Date.now() + 5000;
    let failedReason: string | undefined;
    while (seen.length === 0 && Date.now() < end) {
      const job = (await queue.getJobs(['failed']))[0];
      failedReason = job?.failedReason;
      if (failedReason) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    // An acknowledged notification must reach the callback; here the worker refuses it (the stored path is "/notify").
    expect({ seen, failedReason, logs: logs.filter((l) => l.level === 'error').map((l) => l.message) }).toEqual({
      seen: ['double-slash-1'],
      failedReason: undefined,
      logs: [],
    });
  });

  it('one dispute notification stored twice, under its key and under its former key, runs onDispute once', async () => {
    const queueName = 'adv-former-key';
    const inbox = createNotificationInbox({
      connection: `redis://127.0.0.1:${server.port}`,
      queueName,
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger: {},
    });
    inboxes.push(inbox);
    const runs: string[] = [];
    inbox.process({ onPayment: () => undefined, onDispute: (_d, ctx) => void runs.push(ctx.key) }, { backoff: 10 });
    const queue = new Queue<InboxJobData>(queueName, { connection: { host: '127.0.0.1', port: server.port } });
    queues.push(queue);
    const headers = alipayHeaders({ body: disputeBody });
    const notification = verifyNotification({
      path: PATH,
      headers,
      rawBody: disputeBody,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
    });
    // The same verified bytes, once as today's receiver stores them and once as an earlier receiver (or a hand in Redis) did.
    for (const key of [notificationKey(notification, disputeBody), ...formerNotificationKeys(notification, disputeBody)]) {
      const data = inboxJobData({ key, path: PATH, notification, rawBody: disputeBody, headers, receivedAt: 1 });
      await queue.add('DISPUTE_CREATED', data, { jobId: inboxJobId(key), attempts: 100 });
    }
    await until(() => runs.length >= 1);
    await new Promise((r) => setTimeout(r, 500));
    // Exactly-once per notification: the merchant's idempotency key (ctx.key) differs between the two runs.
    expect(runs).toEqual(['DISPUTE:DISPUTE_CREATED:dsp-1']);
  });

  it("two inboxes for one client id on two notify paths (payments, refunds) never refuse each other's acknowledged jobs", async () => {
    const made = (path: string) =>
      createNotificationInbox({
        connection: `redis://127.0.0.1:${server.port}`,
        path,
        alipayPublicKey: alipay.publicBase64,
        clientId: 'SANDBOX_TWO_PATHS',
        logger: {},
      });
    const payments = made('/alipay/payments');
    const refunds = made('/alipay/refunds');
    inboxes.push(payments, refunds);
    const paid: string[] = [];
    payments.process({ onPayment: (p: PaymentNotification) => void paid.push(p.paymentId) }, { backoff: 10 });
    refunds.process(
      { onPayment: (p: PaymentNotification) => void paid.push(`refund-inbox saw ${p.paymentId}`), onRefund: () => undefined },
      { backoff: 10 },
    );
    http = createServer(payments.nodeHandler);
    await new Promise<void>((r) => http!.listen(0, '127.0.0.1', () => r()));
    const port = (http.address() as AddressInfo).port;
    const ids = Array.from({ length: 8 }, (_, i) => `two-paths-${i}`);
    for (const id of ids) {
      const body = JSON.stringify({ ...JSON.parse(usdBody), paymentId: id });
      const answer = await postRaw(
        port,
        '/alipay/payments',
        alipayHeaders({ body, path: '/alipay/payments', clientId: 'SANDBOX_TWO_PATHS' }),
        body,
      );
      expect(answer.status).toBe(200);
    }
    const end = Date.now() + 5000;
    while (paid.length < ids.length && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 300));
    // Every acknowledged payment reaches the payments inbox's onPayment; none is refused by the refunds inbox's worker.
    expect(paid.sort()).toEqual([...ids].sort());
  });
});
