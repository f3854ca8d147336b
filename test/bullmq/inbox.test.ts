// The inbox in one process on a real redis-server: verify → store → acknowledge, duplicates, forged, retries, dead letters, Redis down.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { createNotificationInbox, inboxJobId, readInboxStatsAt, type InboxJobData, type NotificationInbox } from '../../src/bullmq';
import { AmsConfigError } from '../../src/errors';
import type { PaymentNotification } from '../../src/index';
import { alipay, other } from '../helpers/keys';
import {
  ACK,
  CLIENT_ID,
  PATH,
  listen,
  captureBody,
  disputeBody,
  alipayHeaders,
  recordingLogger,
  until,
  type Running,
} from '../notifications/helpers';
import { rejectsWith, thrown } from '../helpers/expect';
import { connect, ready, sleep } from '../redis/helpers';
import { requireRedisServer, startRedisServer, type RedisServer } from '../redis/redis-server';
import { post, signedPayment } from './helpers';

const HAVE_REDIS = requireRedisServer();

describe('createNotificationInbox options', () => {
  const base = { connection: 'redis://127.0.0.1:1', path: PATH, alipayPublicKey: alipay.publicBase64 };

  it('requires the client id the notifications must carry, naming the option', () => {
    const err = thrown(AmsConfigError, () => createNotificationInbox(base as never));
    expect(err.field).toBe('clientId');
    expect(err.message).toMatch(/clientId: is required/);
  });

  it('refuses callbacks and dedupe on the inbox: they belong to process()', () => {
    const err = thrown(AmsConfigError, () => createNotificationInbox({ ...base, clientId: CLIENT_ID, onPayment: () => {} } as never));
    expect(err.field).toBe('onPayment');
    expect(err.message).toMatch(/inbox\.process\(\{ onPayment \}\)/);
    expect(thrown(AmsConfigError, () => createNotificationInbox({ ...base, clientId: CLIENT_ID, dedupe: false } as never)).field).toBe(
      'dedupe',
    );
  });

  it('refuses a connection that is not a Redis URL, options or client', () => {
    expect(thrown(AmsConfigError, () => createNotificationInbox({ ...base, clientId: CLIENT_ID, connection: 'http://x' })).field).toBe(
      'connection',
    );
    expect(
      thrown(AmsConfigError, () => createNotificationInbox({ ...base, clientId: CLIENT_ID, connection: undefined as never })).field,
    ).toBe('connection');
  });

  it('refuses unknown options, naming its own and the handler options it takes', () => {
    expect(() => createNotificationInbox({ ...base, clientId: CLIENT_ID, colour: 'blue' } as never)).toThrow(
      /unknown option "colour"; known options: .*\bpath\b.*\bconnection\b/,
    );
  });

  it('refuses process() options it does not know and a missing onPayment', () => {
    const inbox = createNotificationInbox({ ...base, clientId: CLIENT_ID });
    expect(thrown(AmsConfigError, () => inbox.process({ onPayment: () => {} }, { jobTimeoutMs: 0 })).field).toBe('jobTimeoutMs');
    expect(thrown(AmsConfigError, () => inbox.process({ onPayment: () => {} }, { jobTimeoutMs: 1.5 })).field).toBe('jobTimeoutMs');
    expect(thrown(AmsConfigError, () => inbox.process({} as never)).field).toBe('onPayment');
    expect(thrown(AmsConfigError, () => inbox.process({ onPayment: () => {} }, { attempts: 0 })).field).toBe('attempts');
    expect(thrown(AmsConfigError, () => inbox.process({ onPayment: () => {} }, { retries: 3 } as never)).field).toBe('retries');
  });
});

describe('inbox options go through the one validator', () => {
  const base = { connection: 'redis://127.0.0.1:1', path: PATH, alipayPublicKey: alipay.publicBase64, clientId: CLIENT_ID };
  const make = (extra: object) => () => createNotificationInbox({ ...base, ...extra });

  it('a mistyped option is refused with a did-you-mean, its own or the handler’s', () => {
    expect(thrown(AmsConfigError, make({ keepCompletedMS: 1000 })).message).toBe(
      'Invalid createNotificationInbox config: unknown option "keepCompletedMS" (did you mean "keepCompletedMs"?)',
    );
    const e = thrown(AmsConfigError, make({ maxBodyByte: 1000 }));
    expect([e.field, e.message]).toEqual([
      'maxBodyByte',
      'Invalid createNotificationInbox config: unknown option "maxBodyByte" (did you mean "maxBodyBytes"?)',
    ]);
  });

  it('the old names now and backend are unknown options, refused with clock and cryptoBackend among those there are', () => {
    expect(thrown(AmsConfigError, make({ now: () => new Date() })).message).toMatch(/unknown option "now"; known options: .*\bclock\b/);
    expect(thrown(AmsConfigError, make({ backend: 'node' })).message).toMatch(
      /unknown option "backend"; known options: .*\bcryptoBackend\b/,
    );
  });

  it('keepCompletedMs is a TTL as the stores take it: 1.5 refused with their message', () => {
    const e = thrown(AmsConfigError, make({ keepCompletedMs: 1.5 }));
    expect([e.field, e.message]).toEqual([
      'keepCompletedMs',
      'Invalid createNotificationInbox config: keepCompletedMs: must be a whole number of milliseconds (Redis PX takes no fraction)',
    ]);
  });

  it('a bad value names its field', () => {
    const cases: Array<[extra: object, field: string, message: RegExp]> = [
      [{ enqueueTimeoutMs: 0 }, 'enqueueTimeoutMs', /enqueueTimeoutMs: must be at least 1/],
      [{ durability: 'fsync' }, 'durability', /durability: must be 'aof' \(the default\) or 'best-effort'/],
      [{ queueName: 'a:b' }, 'queueName', /queueName: must be a non-empty string without ":"/],
      [{ prefix: '' }, 'prefix', /prefix: must be a non-empty string/],
      [{ connection: 'http://x' }, 'connection', /connection: must be a redis:\/\/ or rediss:\/\/ URL/],
      [{ maxBodyBytes: -1 }, 'maxBodyBytes', /maxBodyBytes: must be at least 1/],
    ];
    for (const [extra, field, message] of cases) {
      const e = thrown(AmsConfigError, make(extra));
      expect(e.field).toBe(field);
      expect(e.message).toMatch(message);
    }
  });

  it('process(): mistyped callbacks and options are refused with a did-you-mean; bad values name their field', () => {
    const inbox = createNotificationInbox(base);
    const onPayment = () => {};
    expect(thrown(AmsConfigError, () => inbox.process({ onPayment, onRefnd: () => {} } as never)).message).toBe(
      'Invalid inbox.process callbacks config: unknown option "onRefnd" (did you mean "onRefund"?)',
    );
    expect(thrown(AmsConfigError, () => inbox.process({ onPayment }, { concurency: 2 } as never)).message).toBe(
      'Invalid inbox.process config: unknown option "concurency" (did you mean "concurrency"?)',
    );
    expect(thrown(AmsConfigError, () => inbox.process({} as never)).message).toBe(
      'Invalid inbox.process callbacks config: onPayment: is required: a function that handles a payment notification',
    );
    const cases: Array<[options: object, field: string, message: RegExp]> = [
      [{ attempts: 101 }, 'attempts', /attempts: must be a whole number from 1 to 100/],
      [{ concurrency: 1.5 }, 'concurrency', /concurrency: must be a whole number from 1/],
      [{ backoff: { type: 'linear', delay: 10 } }, 'backoff', /backoff: must be the first delay in ms .*\{ type: 'exponential', delay \}/],
      [{ backoff: -1 }, 'backoff', /backoff: must be a whole number from 0/],
      [{ lockDurationMs: 99 }, 'lockDurationMs', /lockDurationMs: must be a whole number from 100/],
      [{ onDeadLetter: 'log' }, 'onDeadLetter', /onDeadLetter: must be a function that receives a job that failed for good/],
    ];
    for (const [options, field, message] of cases) {
      const e = thrown(AmsConfigError, () => inbox.process({ onPayment }, options as never));
      expect(e.field).toBe(field);
      expect(e.message).toMatch(message);
    }
  });

  it('readInboxStatsAt: a mistyped option is refused before any connection; queueName or clientId is required', async () => {
    const typo = await rejectsWith(AmsConfigError, readInboxStatsAt({ connection: base.connection, queuename: 'q' } as never));
    expect(typo.message).toBe('Invalid readInboxStatsAt config: unknown option "queuename" (did you mean "queueName"?)');
    const neither = await rejectsWith(AmsConfigError, readInboxStatsAt({ connection: base.connection }));
    expect(neither.field).toBe('queueName');
    const timeout = await rejectsWith(AmsConfigError, readInboxStatsAt({ connection: base.connection, queueName: 'q', timeoutMs: 0 }));
    expect(timeout.field).toBe('timeoutMs');
  });
});

describe.skipIf(!HAVE_REDIS)('the inbox on a real Redis', () => {
  let server: RedisServer;
  let url: string;
  let n = 0;
  const open: { inbox: NotificationInbox; http?: Running }[] = [];

  beforeAll(async () => {
    // appendonly yes: the default durability ('aof') acknowledges only with an append-only file.
    server = await startRedisServer({ appendonly: true });
    url = `redis://127.0.0.1:${server.port}`;
  });
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.http?.close();
      await o.inbox.close();
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function setup(extra: Record<string, unknown> = {}) {
    const { logger, logs } = recordingLogger();
    const queueName = `inbox-test-${++n}`;
    const inbox = createNotificationInbox({
      connection: url,
      queueName,
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger,
      enqueueTimeoutMs: 1000,
      ...extra,
    });
    const http = await listen(inbox.nodeHandler);
    open.push({ inbox, http });
    const queue = new Queue<InboxJobData>(queueName, { connection: { host: '127.0.0.1', port: server.port } });
    return { inbox, http, logs, queue, queueName };
  }

  it('acknowledges a verified notification only once it is a job whose id is the encoded dedupe key, carrying body and headers', async () => {
    const { http, queue } = await setup();
    const note = signedPayment('pay-store-1');
    const answer = await post(http.url, note);
    expect(answer).toMatchObject({ status: 200, body: ACK });
    const job = await queue.getJob(inboxJobId('PAYMENT_RESULT:pay-store-1'));
    expect(job?.id).toBe('PAYMENT_RESULT%3Apay-store-1');
    expect(job?.data).toMatchObject({
      v: 1,
      key: 'PAYMENT_RESULT:pay-store-1',
      path: PATH,
      rawBody: note.body,
      rawBodyEncoding: 'utf8',
      headers: { 'client-id': CLIENT_ID, signature: note.headers.signature, 'request-time': note.headers['request-time'] },
      notification: { kind: 'payment', notifyType: 'PAYMENT_RESULT', paymentId: 'pay-store-1' },
    });
    await queue.close();
  });

  it('makes one job of a notification delivered three times, and acknowledges each delivery', async () => {
    const { http, queue, inbox } = await setup();
    const note = signedPayment('pay-dup-1');
    const answers = await Promise.all([post(http.url, note), post(http.url, note), post(http.url, note)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    expect(await inbox.stats()).toMatchObject({ queued: 1, waiting: 1, active: 0, completed: 0, failed: 0 });
    await queue.close();
  });

  it('refuses forged and other-client notifications as the handler does, and stores nothing', async () => {
    const { http, queue } = await setup();
    const forged = signedPayment('pay-forged', other.privatePem);
    const a = await post(http.url, forged);
    expect(a.status).toBe(401);
    const body = JSON.stringify({ ...JSON.parse(signedPayment('x').body), paymentId: 'pay-other-client' });
    const b = await fetch(http.url + PATH, { method: 'POST', headers: alipayHeaders({ body, clientId: 'SOMEONE_ELSE' }), body });
    expect(b.status).toBe(401);
    expect(await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed')).toEqual({
      waiting: 0,
      active: 0,
      completed: 0,
      failed: 0,
      delayed: 0,
    });
    await queue.close();
  });

  it('accepts through the Fetch handler too, keeping the exact body', async () => {
    const { inbox, queue } = await setup();
    const note = signedPayment('pay-fetch-1');
    const res = await inbox.fetchHandler(
      new Request(`http://shop.example${PATH}`, { method: 'POST', headers: note.headers, body: note.body }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(ACK);
    const job = await queue.getJob(inboxJobId('PAYMENT_RESULT:pay-fetch-1'));
    expect(job?.data.rawBody).toBe(note.body);
    await queue.close();
  });

  it('runs onPayment in a worker with the notification, key, attempt and raw body, and counts it completed', async () => {
    const { http, inbox } = await setup();
    const seen: { n: PaymentNotification; key: string; attempt: number; raw: string; sig: string | undefined }[] = [];
    inbox.process({
      onPayment: (n, ctx) =>
        void seen.push({ n, key: ctx.key, attempt: ctx.attempt, raw: ctx.rawBody.toString('utf8'), sig: ctx.headers.signature }),
    });
    const note = signedPayment('pay-run-1');
    expect((await post(http.url, note)).status).toBe(200);
    await until(() => seen.length === 1, 10_000);
    expect(seen[0]).toMatchObject({ key: 'PAYMENT_RESULT:pay-run-1', attempt: 1, raw: note.body, sig: note.headers.signature });
    expect(seen[0]!.n.paymentId).toBe('pay-run-1');
    await expect.poll(() => inbox.stats(), { timeout: 5000 }).toMatchObject({ queued: 0, active: 0, completed: 1, failed: 0 });
  });

  it('retries a failing callback with backoff and succeeds on the third attempt', async () => {
    const { http, inbox } = await setup();
    const attempts: number[] = [];
    const at: number[] = [];
    inbox.process(
      {
        onPayment: (_n, ctx) => {
          attempts.push(ctx.attempt);
          at.push(Date.now());
          if (ctx.attempt < 3) throw new Error(`transient failure ${ctx.attempt}`);
        },
      },
      { backoff: { type: 'exponential', delay: 100 } },
    );
    expect((await post(http.url, signedPayment('pay-retry-1'))).status).toBe(200);
    await until(() => attempts.length === 3, 10_000);
    expect(attempts).toEqual([1, 2, 3]);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(90);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(190);
    await expect.poll(() => inbox.stats(), { timeout: 5000 }).toMatchObject({ completed: 1, failed: 0 });
  });

  it('gives up after `attempts`, keeps the job in the failed set with its error, and calls onDeadLetter once', async () => {
    const { http, inbox, queue } = await setup();
    let runs = 0;
    const dead: { key: string; error: string; attempt: number }[] = [];
    inbox.process(
      {
        onPayment: () => {
          runs++;
          throw new Error('ERP is down');
        },
      },
      {
        attempts: 3,
        backoff: 20,
        onDeadLetter: (d) => void dead.push({ key: d.context.key, error: (d.error as Error).message, attempt: d.context.attempt }),
      },
    );
    expect((await post(http.url, signedPayment('pay-dead-1'))).status).toBe(200);
    await expect.poll(() => inbox.stats(), { timeout: 10_000 }).toMatchObject({ failed: 1, queued: 0, active: 0 });
    expect(runs).toBe(3);
    expect(dead).toEqual([{ key: 'PAYMENT_RESULT:pay-dead-1', error: 'ERP is down', attempt: 3 }]);
    const job = await queue.getJob(inboxJobId('PAYMENT_RESULT:pay-dead-1'));
    expect(job?.failedReason).toBe('ERP is down');
    await queue.close();
  });

  it('a callback that never settles fails its attempt after jobTimeoutMs and is retried, while the worker goes on with other jobs', async () => {
    const { http, inbox, logs } = await setup();
    const runs: string[] = [];
    const aborted: unknown[] = [];
    inbox.process(
      {
        onPayment: (n, ctx) => {
          runs.push(`${n.paymentId}#${ctx.attempt}`);
          if (n.paymentId === 'pay-hangs' && ctx.attempt === 1) {
            ctx.signal.addEventListener('abort', () => aborted.push(ctx.signal.reason));
            return new Promise(() => {}); // never settles
          }
          return undefined;
        },
      },
      // Concurrency 1, the default: without the timeout the hung callback would hold the only slot for ever.
      { jobTimeoutMs: 300, backoff: 50 },
    );
    expect((await post(http.url, signedPayment('pay-hangs'))).status).toBe(200);
    await until(() => runs.length === 1, 10_000);
    expect((await post(http.url, signedPayment('pay-after-hang'))).status).toBe(200);
    await until(() => runs.includes('pay-after-hang#1') && runs.includes('pay-hangs#2'), 10_000);
    expect(runs[0]).toBe('pay-hangs#1');
    expect(aborted).toHaveLength(1);
    expect(String(aborted[0])).toMatch(/InboxJobTimeout: the onPayment callback did not settle within 300 ms \(jobTimeoutMs\)/);
    const warned = logs.find((l) => l.level === 'warn' && /will be retried/.test(l.message));
    expect(warned?.meta).toMatchObject({
      key: 'PAYMENT_RESULT:pay-hangs',
      attempt: 1,
      error: expect.stringMatching(/did not settle within 300 ms/),
    });
    await expect.poll(() => inbox.stats(), { timeout: 5000 }).toMatchObject({ completed: 2, failed: 0, active: 0 });
  });

  it('a callback that never settles on its last attempt goes to the failed set with the timeout as its reason', async () => {
    const { http, inbox, queue } = await setup();
    const dead: string[] = [];
    inbox.process(
      { onPayment: () => new Promise(() => {}) },
      { jobTimeoutMs: 100, attempts: 2, backoff: 10, onDeadLetter: (d) => void dead.push((d.error as Error).message) },
    );
    expect((await post(http.url, signedPayment('pay-hangs-for-ever'))).status).toBe(200);
    await expect.poll(() => inbox.stats(), { timeout: 10_000 }).toMatchObject({ failed: 1, active: 0, queued: 0 });
    expect(dead).toEqual([expect.stringMatching(/did not settle within 100 ms/)]);
    expect((await queue.getJob(inboxJobId('PAYMENT_RESULT:pay-hangs-for-ever')))?.attemptsMade).toBe(2);
    await queue.close();
  });

  it('a job not written by the inbox (no notification or raw body) fails once, for good, without running a callback', async () => {
    const { inbox, queue } = await setup();
    let runs = 0;
    inbox.process({ onPayment: () => void runs++ }, { backoff: 10 });
    await queue.add('PAYMENT_RESULT', { v: 1, key: 'PAYMENT_RESULT:hand-made' } as never, {
      jobId: 'hand-made',
      attempts: 100,
      backoff: { type: 'fixed', delay: 10 },
    });
    await expect
      .poll(async () => (await queue.getJob('hand-made'))?.failedReason, { timeout: 10_000 })
      .toMatch(/was not written by the inbox/);
    const job = await queue.getJob('hand-made');
    expect(job?.attemptsMade).toBe(1);
    expect(runs).toBe(0);
    await queue.close();
  });

  it('routes a CAPTURE_RESULT to onCapture and a dispute to onDispute, and fails a kind without a callback straight to the dead letters', async () => {
    const { inbox } = await setup();
    const captured: string[] = [];
    const disputes: string[] = [];
    const dead: string[] = [];
    const worker = inbox.process(
      {
        onPayment: () => {},
        onCapture: (n) => void captured.push(n.notifyType),
        onDispute: (n, { key }) => void disputes.push(`${n.disputeNotificationType} ${n.outcome} ${key}`),
      },
      {
        backoff: 10,
        onDeadLetter: (d) => void dead.push(`${d.notification.notifyType} attempt ${d.context.attempt}: ${(d.error as Error).message}`),
      },
    );
    const send = (body: string) =>
      inbox.fetchHandler(new Request(`http://shop.example${PATH}`, { method: 'POST', headers: alipayHeaders({ body }), body }));
    expect((await send(captureBody)).status).toBe(200);
    expect((await send(disputeBody)).status).toBe(200);
    expect((await send('{"notifyType":"DISPUTE_RESULT","disputeId":"d-1"}')).status).toBe(200);
    await until(() => captured.length === 1 && disputes.length === 1 && dead.length === 1, 10_000);
    expect(captured).toEqual(['CAPTURE_RESULT']);
    expect(disputes).toEqual(['DISPUTE_CREATED respond DISPUTE:DISPUTE_CREATED:dsp-1']);
    expect(dead).toEqual(['DISPUTE_RESULT attempt 1: no callback for DISPUTE_RESULT: give onOther to inbox.process()']);
    await worker.close();
  });

  it('answers 503 within enqueueTimeoutMs when Redis hangs, and the late write does not make a second job', async () => {
    const { http, queue } = await setup();
    const blocker = connect(server.port);
    await ready(blocker);
    const note = signedPayment('pay-slow-redis');
    // CLIENT PAUSE holds every client's commands: the add is sent but not answered for 2 s.
    const sleeping = blocker.call('CLIENT', 'PAUSE', '2000', 'ALL');
    await sleep(50);
    const during = await post(http.url, note);
    expect(during.status).toBe(503);
    expect(during.ms).toBeGreaterThanOrEqual(900);
    expect(during.ms).toBeLessThan(1900);
    expect(await sleeping).toBe('OK');
    blocker.disconnect();
    await sleep(1200);
    const again = await post(http.url, note);
    expect(again).toMatchObject({ status: 200, body: ACK });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    await queue.close();
  });

  it('stores the body an Express-style parser already read as a Buffer, and refuses a body over maxBodyBytes', async () => {
    const { inbox, queue } = await setup({ maxBodyBytes: 4096 });
    const pre = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        (req as typeof req & { body?: Buffer }).body = Buffer.concat(chunks);
        void inbox.nodeHandler(req, res);
      });
    });
    open.push({ inbox, http: pre });
    const note = signedPayment('pay-express-raw');
    expect((await post(pre.url, note)).status).toBe(200);
    expect((await queue.getJob(inboxJobId('PAYMENT_RESULT:pay-express-raw')))?.data.rawBody).toBe(note.body);

    const big = JSON.stringify({ ...JSON.parse(note.body), paymentId: 'pay-too-big', padding: 'x'.repeat(5000) });
    const res = await inbox.fetchHandler(
      new Request(`http://shop.example${PATH}`, { method: 'POST', headers: alipayHeaders({ body: big }), body: big }),
    );
    expect(res.status).toBe(413);
    expect(await queue.getJob(inboxJobId('PAYMENT_RESULT:pay-too-big'))).toBeUndefined();
    await queue.close();
  });

  it('answers 503 without acknowledging while Redis is down, and stores the redelivery once it is back', async () => {
    const { http, inbox, logs } = await setup();
    const processed: string[] = [];
    inbox.process({ onPayment: (n) => void processed.push(n.paymentId) });
    expect((await post(http.url, signedPayment('pay-before-outage'))).status).toBe(200);
    await until(() => processed.length === 1, 10_000);

    await server.stop();
    const note = signedPayment('pay-during-outage');
    const during = await post(http.url, note);
    expect(during.status).toBe(503);
    expect(during.body).not.toBe(ACK);
    expect(JSON.parse(during.body)).toMatchObject({ error: 'queue_unavailable' });
    expect(during.ms).toBeLessThan(2500);
    const fetchDuring = await inbox.fetchHandler(
      new Request(`http://shop.example${PATH}`, { method: 'POST', headers: note.headers, body: note.body }),
    );
    expect(fetchDuring.status).toBe(503);
    expect(logs.some((l) => l.level === 'error' && /could not store the notification/.test(l.message))).toBe(true);

    await server.restart();
    // Alipay redelivers until acknowledged.
    let answer = during;
    const deadline = Date.now() + 15_000;
    while (answer.status !== 200 && Date.now() < deadline) {
      await sleep(200);
      answer = await post(http.url, note);
    }
    expect(answer).toMatchObject({ status: 200, body: ACK });
    await until(() => processed.includes('pay-during-outage'), 15_000);
    expect(processed.filter((id) => id === 'pay-during-outage')).toHaveLength(1);
  });
});
