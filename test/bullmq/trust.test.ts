// The inbox's workers trust nothing in Redis: every job is verified again (raw body, headers, path, client id) before any callback, and inboxes of different client ids never share a queue.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { createNotificationInbox, defaultQueueName, inboxJobId, type InboxJobData, type NotificationInbox } from '../../src/bullmq';
import { inboxJobData } from '../../src/bullmq/job';
import { verifyNotification, type PaymentNotification } from '../../src/index';
import { alipay, other } from '../helpers/keys';
import { alipayHeaders, CLIENT_ID, PATH, recordingLogger, until, usdBody } from '../notifications/helpers';
import { requireRedisServer, startRedisServer, type RedisServer } from '../redis/redis-server';
import { signedPayment } from './helpers';

const HAVE_REDIS = requireRedisServer();

describe('defaultQueueName', () => {
  it('names the queue after the client id, safe for a Redis key', () => {
    expect(defaultQueueName('SANDBOX_5Y055A2Y2F6K05235')).toBe('ams-notifications-SANDBOX_5Y055A2Y2F6K05235');
    expect(defaultQueueName('a:b*c d')).toBe('ams-notifications-a%3Ab%2Ac%20d');
    expect(defaultQueueName('a:b')).not.toBe(defaultQueueName('a_b'));
  });

  it('one queue for a set of client ids, whatever their order; a different set is a different queue', () => {
    expect(defaultQueueName(['B-2', 'A-1', 'B-2'])).toBe('ams-notifications-A-1+B-2');
    expect(defaultQueueName(['A-1', 'B-2'])).toBe(defaultQueueName(['B-2', 'A-1']));
    expect(defaultQueueName(['A-1'])).toBe(defaultQueueName('A-1'));
    expect(defaultQueueName(['A+1'])).toBe('ams-notifications-A%2B1');
    expect(() => defaultQueueName([])).toThrow(/client id/);
    // An inbox given a path has a queue of its own: two notify URLs of one merchant never share one.
    expect(defaultQueueName('A-1', '/alipay/payments')).toBe('ams-notifications-A-1@%2Falipay%2Fpayments');
    expect(defaultQueueName('A-1', '/alipay/payments')).not.toBe(defaultQueueName('A-1', '/alipay/refunds'));
  });
});

describe.skipIf(!HAVE_REDIS)('inbox workers verify every job again', () => {
  let server: RedisServer;
  let url: string;
  let n = 0;
  const inboxes: NotificationInbox[] = [];
  const queues: Queue[] = [];

  beforeAll(async () => {
    server = await startRedisServer({ appendonly: true });
    url = `redis://127.0.0.1:${server.port}`;
  });
  afterEach(async () => {
    await Promise.all(inboxes.splice(0).map((i) => i.close()));
    await Promise.all(queues.splice(0).map((q) => q.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  function openQueue(name: string): Queue<InboxJobData> {
    const q = new Queue<InboxJobData>(name, { connection: { host: '127.0.0.1', port: server.port } });
    queues.push(q);
    return q;
  }

  /** An inbox for `clientId` on its own queue, with a worker that records every callback. */
  function inboxFor(clientId: string | string[], queueName?: string) {
    const { logger, logs } = recordingLogger();
    const inbox = createNotificationInbox({
      connection: url,
      ...(queueName ? { queueName } : {}),
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId,
      logger,
    });
    inboxes.push(inbox);
    const seen: { paymentId: string; outcome: string; key: string }[] = [];
    const dead: string[] = [];
    inbox.process(
      { onPayment: (p: PaymentNotification, ctx) => void seen.push({ paymentId: p.paymentId, outcome: p.outcome, key: ctx.key }) },
      { backoff: 10, onDeadLetter: (d) => void dead.push(d.context.key) },
    );
    return { inbox, logs, seen, dead };
  }

  /** A job written straight into Redis, in the inbox's own layout. */
  async function addByHand(queue: Queue<InboxJobData>, data: InboxJobData, jobId = inboxJobId(data.key)): Promise<string> {
    await queue.add('PAYMENT_RESULT', data, { jobId, attempts: 100, backoff: { type: 'fixed', delay: 10 } });
    return jobId;
  }

  async function failedFor(queue: Queue<InboxJobData>, jobId: string): Promise<{ reason: string; attemptsMade: number }> {
    let reason: string | undefined;
    const end = Date.now() + 10_000;
    while (!(reason = (await queue.getJob(jobId))?.failedReason) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const job = await queue.getJob(jobId);
    return { reason: reason ?? '(not failed)', attemptsMade: job?.attemptsMade ?? -1 };
  }

  const parsed = (body: string, clientId = CLIENT_ID) =>
    verifyNotification({
      path: PATH,
      headers: alipayHeaders({ body, clientId }),
      rawBody: body,
      alipayPublicKey: alipay.publicBase64,
      clientId,
    });

  it('a job added by hand with empty headers never reaches onPayment, and fails for good with a logged error', async () => {
    const queueName = `trust-${++n}`;
    const { seen, dead, logs } = inboxFor(CLIENT_ID, queueName);
    const queue = openQueue(queueName);
    const note = signedPayment('hand-empty-headers');
    const notification = parsed(note.body);
    expect(notification.outcome).toBe('paid');
    const jobId = await addByHand(
      queue,
      inboxJobData({ key: 'PAYMENT_RESULT:hand-empty-headers', path: PATH, notification, rawBody: note.body, headers: {}, receivedAt: 1 }),
    );
    const failed = await failedFor(queue, jobId);
    expect(failed.reason).toMatch(/refused before any callback: .*missing_header/);
    expect(failed.attemptsMade).toBe(1);
    expect(seen).toEqual([]);
    expect(dead).toEqual([]);
    expect(logs.find((l) => l.level === 'error' && /inbox job refused/.test(l.message))?.meta).toMatchObject({
      jobId,
      key: 'PAYMENT_RESULT:hand-empty-headers',
      error: expect.stringMatching(/missing the signature, client-id, request-time header/),
    });
  });

  it('a job signed for client id A, on the queue of an inbox for B, never reaches the callback', async () => {
    const queueName = `trust-${++n}`;
    const { seen, logs } = inboxFor('CLIENT_B', queueName);
    const queue = openQueue(queueName);
    const body = JSON.stringify({ ...JSON.parse(usdBody), paymentId: 'for-client-a' });
    const headers = alipayHeaders({ body, clientId: 'CLIENT_A' });
    const jobId = await addByHand(
      queue,
      inboxJobData({
        key: 'PAYMENT_RESULT:for-client-a',
        path: PATH,
        notification: parsed(body, 'CLIENT_A'),
        rawBody: body,
        headers,
        receivedAt: 1,
      }),
    );
    const failed = await failedFor(queue, jobId);
    expect(failed.reason).toMatch(/client_mismatch/);
    expect(failed.attemptsMade).toBe(1);
    expect(seen).toEqual([]);
    expect(logs.some((l) => l.level === 'error' && /inbox job refused/.test(l.message))).toBe(true);
  });

  it("a forged signature, an edited body, or a key that is not the body's: refused, no callback", async () => {
    const queueName = `trust-${++n}`;
    const { seen } = inboxFor(CLIENT_ID, queueName);
    const queue = openQueue(queueName);
    const forged = signedPayment('forged-in-redis', other.privatePem);
    const forgedId = await addByHand(
      queue,
      inboxJobData({
        key: 'PAYMENT_RESULT:forged-in-redis',
        path: PATH,
        notification: parsed(signedPayment('x').body),
        rawBody: forged.body,
        headers: forged.headers,
        receivedAt: 1,
      }),
    );
    const genuine = signedPayment('edited-body');
    const edited = genuine.body.replace('"value":"100"', '"value":"100000"');
    expect(edited).not.toBe(genuine.body);
    const editedId = await addByHand(
      queue,
      inboxJobData({
        key: 'PAYMENT_RESULT:edited-body',
        path: PATH,
        notification: parsed(genuine.body),
        rawBody: edited,
        headers: genuine.headers,
        receivedAt: 1,
      }),
    );
    const real = signedPayment('real-body');
    const rekeyedId = await addByHand(
      queue,
      inboxJobData({
        key: 'PAYMENT_RESULT:someone-else',
        path: PATH,
        notification: parsed(real.body),
        rawBody: real.body,
        headers: real.headers,
        receivedAt: 1,
      }),
    );
    const renamed = signedPayment('renamed-job');
    const renamedId = await addByHand(
      queue,
      inboxJobData({
        key: 'PAYMENT_RESULT:renamed-job',
        path: PATH,
        notification: parsed(renamed.body),
        rawBody: renamed.body,
        headers: renamed.headers,
        receivedAt: 1,
      }),
      'chosen-id',
    );
    expect((await failedFor(queue, forgedId)).reason).toMatch(/mismatch \(signature\)/);
    expect((await failedFor(queue, editedId)).reason).toMatch(/mismatch \(signature\)/);
    expect((await failedFor(queue, rekeyedId)).reason).toMatch(
      /its key "PAYMENT_RESULT:someone-else" is not the verified notification's key/,
    );
    expect((await failedFor(queue, renamedId)).reason).toMatch(/its id is not the one the inbox gives/);
    expect(seen).toEqual([]);
  });

  it('a job whose stored notification was edited runs with what Alipay signed, never the stored copy', async () => {
    const queueName = `trust-${++n}`;
    const { seen } = inboxFor(CLIENT_ID, queueName);
    const queue = openQueue(queueName);
    const body = JSON.stringify({
      ...JSON.parse(usdBody),
      paymentId: 'signed-failed',
      result: { resultCode: 'PAYMENT_FAILED', resultStatus: 'F', resultMessage: 'failed' },
    });
    const signedAsFailed = parsed(body);
    expect(signedAsFailed.outcome).toBe('failed');
    const lie = { ...signedAsFailed, outcome: 'paid', result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } };
    await addByHand(
      queue,
      inboxJobData({
        key: 'PAYMENT_RESULT:signed-failed',
        path: PATH,
        notification: lie as never,
        rawBody: body,
        headers: alipayHeaders({ body }),
        receivedAt: 1,
      }),
    );
    await until(() => seen.length === 1, 10_000);
    expect(seen).toEqual([{ paymentId: 'signed-failed', outcome: 'failed', key: 'PAYMENT_RESULT:signed-failed' }]);
  });

  it("a job stored with another path than the inbox's path option is verified against the option, and refused", async () => {
    const queueName = `trust-${++n}`;
    const { seen } = inboxFor(CLIENT_ID, queueName);
    const queue = openQueue(queueName);
    const body = JSON.stringify({ ...JSON.parse(usdBody), paymentId: 'other-path' });
    const headers = alipayHeaders({ body, path: '/other/notify' });
    const notification = verifyNotification({
      path: '/other/notify',
      headers,
      rawBody: body,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
    });
    const jobId = await addByHand(
      queue,
      inboxJobData({ key: 'PAYMENT_RESULT:other-path', path: '/other/notify', notification, rawBody: body, headers, receivedAt: 1 }),
    );
    expect((await failedFor(queue, jobId)).reason).toMatch(/mismatch \(signature\)/);
    expect(seen).toEqual([]);
  });

  it('two inboxes for different client ids, default queue names: separate queues, each runs only its own notifications', async () => {
    const a = inboxFor('CLIENT_A');
    const b = inboxFor('CLIENT_B');
    const send = async (inbox: NotificationInbox, clientId: string, id: string) => {
      const body = JSON.stringify({ ...JSON.parse(usdBody), paymentId: id });
      const res = await inbox.fetchHandler(
        new Request(`http://shop.example${PATH}`, { method: 'POST', headers: alipayHeaders({ body, clientId }), body }),
      );
      expect(res.status).toBe(200);
    };
    for (let i = 0; i < 5; i++) {
      await send(a.inbox, 'CLIENT_A', `a-${i}`);
      await send(b.inbox, 'CLIENT_B', `b-${i}`);
    }
    await until(() => a.seen.length === 5 && b.seen.length === 5, 10_000);
    expect(a.seen.map((s) => s.paymentId).sort()).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'a-4']);
    expect(b.seen.map((s) => s.paymentId).sort()).toEqual(['b-0', 'b-1', 'b-2', 'b-3', 'b-4']);
    const qa = openQueue(defaultQueueName('CLIENT_A', PATH));
    const qb = openQueue(defaultQueueName('CLIENT_B', PATH));
    await expect.poll(() => qa.getJobCounts('completed', 'failed'), { timeout: 5000 }).toEqual({ completed: 5, failed: 0 });
    await expect.poll(() => qb.getJobCounts('completed', 'failed'), { timeout: 5000 }).toEqual({ completed: 5, failed: 0 });
    expect(await a.inbox.stats()).toMatchObject({ completed: 5, failed: 0 });
    // Nothing went to the shared name of old.
    expect(await openQueue('ams-notifications').getJobCounts('waiting', 'completed', 'failed')).toEqual({
      waiting: 0,
      completed: 0,
      failed: 0,
    });
  });

  it('an inbox for several client ids takes each of them on one queue', async () => {
    const both = inboxFor(['CLIENT_B', 'CLIENT_A']);
    for (const [clientId, id] of [
      ['CLIENT_A', 'multi-a'],
      ['CLIENT_B', 'multi-b'],
    ] as const) {
      const body = JSON.stringify({ ...JSON.parse(usdBody), paymentId: id });
      const res = await both.inbox.fetchHandler(
        new Request(`http://shop.example${PATH}`, { method: 'POST', headers: alipayHeaders({ body, clientId }), body }),
      );
      expect(res.status).toBe(200);
    }
    await until(() => both.seen.length === 2, 10_000);
    expect(both.seen.map((s) => s.paymentId).sort()).toEqual(['multi-a', 'multi-b']);
    expect(await openQueue(defaultQueueName(['CLIENT_A', 'CLIENT_B'], PATH)).getJobCounts('completed')).toEqual({ completed: 2 });
  });
});
