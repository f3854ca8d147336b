// testNotificationEndpoint against our own handlers (every scenario passes) and against broken ones (each failure named).
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ALIPAY_PRIVATE, ALIPAY_PUBLIC, closeLast, NOTIFY_PATH as PATH, readAll, serve } from './notify-endpoints';
import { testNotificationEndpoint } from '../../src/notify-test/run';
import { AmsConfigError } from '../../src/errors';
import {
  createFetchNotificationHandler,
  createNotificationHandler,
  matchNotification,
  notificationAck,
  verifyNotification,
} from '../../src/index';

const CLIENT_ID = 'SANDBOX_NOTIFY_TEST_1';

function answer(res: ServerResponse, a: { status: number; headers: Record<string, string>; body: string }): void {
  res.writeHead(a.status, a.headers).end(a.body);
}

const failing = (r: Awaited<ReturnType<typeof testNotificationEndpoint>>): string[] => r.scenarios.filter((s) => !s.ok).map((s) => s.name);

describe('testNotificationEndpoint against correct endpoints', () => {
  it('the Node handler passes every scenario, within the wait', { timeout: 60_000 }, async () => {
    const paid: string[] = [];
    const url = await serve(
      createNotificationHandler({
        alipayPublicKey: ALIPAY_PUBLIC,
        clientId: CLIENT_ID,
        onPayment: (n) => void (n.outcome === 'paid' && paid.push(n.paymentRequestId)),
        onOther: () => undefined,
      }),
    );
    const report = await testNotificationEndpoint({ url, clientId: CLIENT_ID, alipayPrivateKey: ALIPAY_PRIVATE });
    expect(failing(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.scenarios.map((s) => s.name)).toEqual([
      'payment-result',
      'redelivery',
      'pending-then-result',
      'amount-mismatch',
      'payment-failed',
      'refund-result',
      'capture-result',
      'unknown-notify-type',
      'unknown-fields',
      'reordered-body',
      'forged-signature',
      'signature-over-other-bytes',
      'another-merchant',
      'missing-signature',
      'slow-body',
      'large-body',
    ]);
    expect(report.slowestAckMs).toBeLessThan(report.waitMs);
    // The forged ones were answered, and not with the acknowledgement.
    expect(report.scenarios.find((s) => s.name === 'forged-signature')!.status).toBe(401);
    expect(report.scenarios.find((s) => s.name === 'large-body')!.status).toBe(413);
    expect(report.alipayPublicKey).toBeUndefined();
  });

  it(
    'the Fetch handler passes too, and the order hook feeds the payments, sees pending not paid, and paid only for the amount',
    { timeout: 60_000 },
    async () => {
      const orders = new Map<string, 'open' | 'paid'>();
      const amount = { currency: 'EUR', value: '2500' };
      let n = 0;
      const handler = createFetchNotificationHandler({
        alipayPublicKey: ALIPAY_PUBLIC,
        clientId: CLIENT_ID,
        onPayment: (p) => {
          if (!orders.has(p.paymentRequestId)) throw new Error('unknown order');
          const match = matchNotification(
            p,
            { paymentRequestId: p.paymentRequestId, paymentAmount: amount },
            { outcomes: ['paid', 'failed', 'pending'] },
          );
          if (!match.ok) return; // genuine, but not this order's amount: acknowledged, never paid
          if (p.outcome === 'paid') orders.set(p.paymentRequestId, 'paid');
        },
        onOther: () => undefined,
      });
      const url = await serve(async (req, res) => {
        const body = await readAll(req);
        const r = await handler(
          new Request(`http://x${req.url}`, { method: 'POST', headers: req.headers as Record<string, string>, body: new Uint8Array(body) }),
        );
        res.writeHead(r.status, Object.fromEntries(r.headers)).end(Buffer.from(await r.arrayBuffer()));
      });
      const report = await testNotificationEndpoint({
        url,
        clientId: CLIENT_ID,
        alipayPrivateKey: ALIPAY_PRIVATE,
        order: {
          create: async () => {
            const paymentRequestId = `ORDER-${++n}`;
            orders.set(paymentRequestId, 'open');
            return { paymentRequestId, paymentAmount: amount };
          },
          isPaid: async (id) => orders.get(id) === 'paid',
        },
      });
      expect(failing(report)).toEqual([]);
      expect([...orders.values()].filter((s) => s === 'paid').length).toBeGreaterThan(3);
    },
  );
});

describe('testNotificationEndpoint names what a broken endpoint does wrong', () => {
  it('parsing JSON before verifying (re-serialized body) fails the reordered body; a 200 with an empty body acknowledges nothing', async () => {
    const url = await serve(async (req, res) => {
      const parsed: unknown = JSON.parse((await readAll(req)).toString('utf8'));
      try {
        verifyNotification({
          path: PATH,
          headers: req.headers as Record<string, string>,
          rawBody: JSON.stringify(parsed),
          alipayPublicKey: ALIPAY_PUBLIC,
          clientId: CLIENT_ID,
        });
        answer(res, notificationAck());
      } catch {
        res.writeHead(401).end();
      }
    });
    const report = await testNotificationEndpoint({
      url,
      clientId: CLIENT_ID,
      alipayPrivateKey: ALIPAY_PRIVATE,
      only: ['payment-result', 'reordered-body'],
    });
    expect(failing(report)).toEqual(['reordered-body']);
    expect(report.scenarios[1]!.fix).toMatch(/verify the bytes as received/);

    const empty = await serve(async (req, res) => {
      await readAll(req);
      res.writeHead(200).end();
    });
    const r2 = await testNotificationEndpoint({
      url: empty,
      clientId: CLIENT_ID,
      alipayPrivateKey: ALIPAY_PRIVATE,
      only: ['payment-result'],
    });
    expect(r2.scenarios[0]).toMatchObject({
      ok: false,
      status: 200,
      fix: 'answer with exactly the acknowledgement body (notificationAck())',
    });
  });

  it('an endpoint that acknowledges everything fails every forgery, loudly', async () => {
    const url = await serve(async (req, res) => {
      await readAll(req);
      answer(res, notificationAck());
    });
    const report = await testNotificationEndpoint({ url, clientId: CLIENT_ID, alipayPrivateKey: ALIPAY_PRIVATE });
    expect(failing(report)).toEqual(['forged-signature', 'signature-over-other-bytes', 'another-merchant', 'missing-signature']);
    expect(report.scenarios.find((s) => s.name === 'forged-signature')!.problem).toMatch(/your endpoint accepted a forged notification/);
    expect(report.ok).toBe(false);
  });

  it(
    'an endpoint that marks PAYMENT_PENDING paid is named; one that never answers a slow body times out',
    { timeout: 30_000 },
    async () => {
      const paid = new Set<string>();
      let n = 0;
      const url = await serve(
        createNotificationHandler({
          alipayPublicKey: ALIPAY_PUBLIC,
          clientId: CLIENT_ID,
          // The bug: anything with resultStatus S ships.
          onPayment: (p) => void (p.result.resultStatus === 'S' && paid.add(p.paymentRequestId)),
        }),
      );
      const report = await testNotificationEndpoint({
        url,
        clientId: CLIENT_ID,
        alipayPrivateKey: ALIPAY_PRIVATE,
        only: ['pending-then-result'],
        order: {
          create: async () => ({ paymentRequestId: `O-${++n}`, paymentAmount: { currency: 'USD', value: '100' } }),
          isPaid: async (id) => paid.has(id),
        },
      });
      expect(report.scenarios[0]).toMatchObject({ ok: false, problem: expect.stringMatching(/a pending payment is not paid/) });

      // The same endpoint pays an order for an amount that is not its own; one that acknowledges and never pays is named too.
      const mismatch = await testNotificationEndpoint({
        url,
        clientId: CLIENT_ID,
        alipayPrivateKey: ALIPAY_PRIVATE,
        only: ['amount-mismatch'],
        order: {
          create: async () => ({ paymentRequestId: `O-${++n}`, paymentAmount: { currency: 'USD', value: '100' } }),
          isPaid: async (id) => paid.has(id),
        },
      });
      expect(mismatch.scenarios[0]).toMatchObject({
        ok: false,
        status: 200,
        problem: expect.stringMatching(/paid by a notification for 99 USD, not its 100 USD/),
        fix: expect.stringMatching(/matchNotification/),
      });
      const never = await testNotificationEndpoint({
        url,
        clientId: CLIENT_ID,
        alipayPrivateKey: ALIPAY_PRIVATE,
        only: ['payment-result'],
        order: {
          create: async () => ({ paymentRequestId: `O-${++n}`, paymentAmount: { currency: 'USD', value: '100' } }),
          isPaid: async () => false,
        },
      });
      expect(never.scenarios[0]).toMatchObject({
        ok: false,
        status: 200,
        problem: expect.stringMatching(/acknowledged, but your order is not paid/),
      });

      const silent = await serve(() => undefined);
      const r2 = await testNotificationEndpoint({
        url: silent,
        clientId: CLIENT_ID,
        alipayPrivateKey: ALIPAY_PRIVATE,
        only: ['slow-body'],
        waitMs: 500,
      });
      expect(r2.scenarios[0]).toMatchObject({ ok: false, problem: 'no answer within 500 ms' });
    },
  );

  it('without a key, a pair is made and its public half returned; an endpoint with another key acknowledges none of the real ones', async () => {
    const url = await serve(createNotificationHandler({ alipayPublicKey: ALIPAY_PUBLIC, clientId: CLIENT_ID, onPayment: () => undefined }));
    const report = await testNotificationEndpoint({ url, clientId: CLIENT_ID, only: ['payment-result', 'forged-signature'] });
    expect(report.alipayPublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(report.alipayPrivateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(failing(report)).toEqual(['payment-result']);
  });
});

describe('testNotificationEndpoint where nothing answers', () => {
  it('nothing listening is an AmsConnectionError, never a report of passed refusals', async () => {
    const url = await serve(() => undefined);
    const port = new URL(url).port;
    await closeLast();
    await expect(testNotificationEndpoint({ url, clientId: CLIENT_ID, alipayPrivateKey: ALIPAY_PRIVATE })).rejects.toThrow(
      new RegExp(`nothing answers at http://127.0.0.1:${port} \\(ECONNREFUSED\\)`),
    );
  });

  it('an endpoint that never answers fails the forgeries too: silence is not a refusal', async () => {
    const url = await serve(() => undefined);
    const report = await testNotificationEndpoint({
      url,
      clientId: CLIENT_ID,
      alipayPrivateKey: ALIPAY_PRIVATE,
      only: ['forged-signature', 'large-body'],
      waitMs: 300,
    });
    expect(report.scenarios.map((s) => [s.name, s.ok, s.problem])).toEqual([
      ['forged-signature', false, 'no answer within 300 ms'],
      ['large-body', false, 'no answer within 300 ms'],
    ]);
  });
});

describe('testNotificationEndpoint options', () => {
  it('bad options are AmsConfigErrors naming the option and what to give, before anything is sent', async () => {
    const bad = async (options: object): Promise<AmsConfigError> => {
      const err = await testNotificationEndpoint(options as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AmsConfigError);
      return err as AmsConfigError;
    };
    const url = 'http://127.0.0.1:1/notify';
    expect((await bad({ clientId: 'C' })).message).toBe(
      'Invalid testNotificationEndpoint config: url: is required: the URL your notify endpoint listens on, such as "http://localhost:3000/alipay/notify"',
    );
    expect((await bad({ url: 'ftp://x/notify', clientId: 'C' })).field).toBe('url');
    expect((await bad({ url: 'not a url', clientId: 'C' })).field).toBe('url');
    expect((await bad({ url, clientId: 'C', waitMs: 50 })).message).toContain('waitMs: must be at least 100 (ms)');
    expect((await bad({ url, clientId: 'C', only: ['paymnt-result'] })).message).toContain('did you mean "payment-result"?');
    expect((await bad({ url, clientId: 'C', order: { create: 'yes' } })).field).toBe('order.create');
    expect((await bad({ url, clientid: 'C' })).message).toContain('did you mean "clientId"?');
  });
});

describe('testNotificationEndpoint without the order hook', () => {
  it("says on every scenario whose verdict needs the order that it was not checked: ok is the answer's alone", async () => {
    const ack = notificationAck();
    const url = await serve((_req, res) => answer(res, ack));
    const report = await testNotificationEndpoint({
      url,
      clientId: CLIENT_ID,
      alipayPrivateKey: ALIPAY_PRIVATE,
      only: ['payment-result', 'amount-mismatch', 'refund-result'],
    });
    const notes = Object.fromEntries(report.scenarios.map((s) => [s.name, s.note ?? '']));
    expect(notes['payment-result']).toMatch(/the order's state was not checked \(give order\.isPaid, or --order-url\)/);
    expect(notes['amount-mismatch']).toMatch(/not checked/);
    // A refund has no order to look at: nothing to say.
    expect(notes['refund-result']).toBe('');
  });
});
