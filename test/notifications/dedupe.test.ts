// The in-memory notification store: claim / complete / release, expiry, bounds; and the dedupe key.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryNotificationStore, notificationAck, notificationKey, verifyNotification } from '../../src/index';
import type { AmsNotification, NotificationStore } from '../../src/index';
import { NOTIFICATION_ACK_BODY } from '../../src/notifications/ack';
import { alipay } from '../helpers/keys';
import { alipayHeaders, CLIENT_ID, otherBody, PATH, refundBody, usdBody } from './helpers';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms), clock: { now: () => new Date(t) } };
}

function parse(body: string): AmsNotification {
  return verifyNotification({
    path: PATH,
    headers: alipayHeaders({ body }),
    rawBody: body,
    alipayPublicKey: alipay.publicBase64,
    clientId: CLIENT_ID,
  });
}

describe('createMemoryNotificationStore', () => {
  it('claim → busy for others → complete → done', async () => {
    const store = createMemoryNotificationStore();
    const first = await store.claim('k');
    expect(first.state).toBe('claimed');
    const token = first.state === 'claimed' ? first.token : '';
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(await store.claim('k')).toEqual({ state: 'busy' });
    expect((await store.claim('other')).state).toBe('claimed');
    await store.complete('k', token);
    expect(await store.claim('k')).toEqual({ state: 'done' });
    expect(await store.claim('k')).toEqual({ state: 'done' });
  });

  it('release lets the next delivery claim; a release with another token does nothing', async () => {
    const store = createMemoryNotificationStore();
    const a = await store.claim('k');
    if (a.state !== 'claimed') throw new Error('claim');
    await store.release('k', 'not-the-token');
    expect(await store.claim('k')).toEqual({ state: 'busy' });
    await store.release('k', a.token);
    const b = await store.claim('k');
    expect(b.state).toBe('claimed');
    expect(b.state === 'claimed' && b.token).not.toBe(a.token);
  });

  it('a claim expires after processingTtlMs (a crashed callback does not block forever)', async () => {
    const c = clock();
    const store = createMemoryNotificationStore({ processingTtlMs: 1000, clock: c.clock });
    const a = await store.claim('k');
    c.advance(999);
    expect(await store.claim('k')).toEqual({ state: 'busy' });
    c.advance(1);
    const b = await store.claim('k');
    expect(b.state).toBe('claimed');
    if (a.state !== 'claimed' || b.state !== 'claimed') throw new Error('claims');
    // The late first claimer finishing must not override the new claim...
    await store.complete('k', a.token);
    expect(await store.claim('k')).toEqual({ state: 'busy' });
    // ...nor can it release it.
    await store.release('k', a.token);
    expect(await store.claim('k')).toEqual({ state: 'busy' });
    await store.complete('k', b.token);
    expect(await store.claim('k')).toEqual({ state: 'done' });
  });

  it('a done key is forgotten after doneTtlMs', async () => {
    const c = clock();
    const store = createMemoryNotificationStore({ doneTtlMs: 5000, clock: c.clock });
    const a = await store.claim('k');
    if (a.state !== 'claimed') throw new Error('claim');
    await store.complete('k', a.token);
    c.advance(4999);
    expect(await store.claim('k')).toEqual({ state: 'done' });
    c.advance(1);
    expect((await store.claim('k')).state).toBe('claimed');
  });

  it('is bounded: the oldest done keys go first, claims in flight are never evicted', async () => {
    const store = createMemoryNotificationStore({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) {
      const r = await store.claim(k);
      if (r.state === 'claimed') await store.complete(k, r.token);
    }
    expect(store.size).toBe(3);
    const d = await store.claim('d');
    expect(d.state).toBe('claimed');
    expect(store.size).toBe(3);
    expect((await store.claim('a')).state).toBe('claimed'); // 'a' was the oldest done: forgotten
    expect(await store.claim('c')).toEqual({ state: 'done' });
    // Now a, d are claims, c done; a new key evicts c; then with only claims left the store refuses.
    expect((await store.claim('e')).state).toBe('claimed');
    expect(() => store.claim('f')).toThrow(/full/);
    expect(await store.claim('d')).toEqual({ state: 'busy' });
  });

  it('property: under any interleaving, a key is never claimed twice while a live claim exists, and never after done', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            op: fc.constantFrom('claim', 'complete', 'release', 'tick'),
            key: fc.constantFrom('x', 'y'),
            ms: fc.integer({ min: 0, max: 700 }),
          }),
          { maxLength: 60 },
        ),
        async (ops) => {
          const c = clock();
          const store = createMemoryNotificationStore({ processingTtlMs: 1000, doneTtlMs: 100_000, clock: c.clock });
          const model = new Map<string, { token: string; at: number } | 'done'>();
          for (const { op, key, ms } of ops) {
            if (op === 'tick') c.advance(ms);
            else if (op === 'claim') {
              const r = await store.claim(key);
              const m = model.get(key);
              if (m === 'done') expect(r.state).toBe('done');
              else if (m && c.now() - m.at < 1000) expect(r.state).toBe('busy');
              else {
                expect(r.state).toBe('claimed');
                if (r.state === 'claimed') model.set(key, { token: r.token, at: c.now() });
              }
            } else {
              const m = model.get(key);
              if (!m || m === 'done' || c.now() - m.at >= 1000) continue;
              if (op === 'complete') {
                await store.complete(key, m.token);
                model.set(key, 'done');
              } else {
                await store.release(key, m.token);
                model.delete(key);
              }
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses nonsense options', () => {
    expect(() => createMemoryNotificationStore({ processingTtlMs: 0 })).toThrow(/processingTtlMs/);
    expect(() => createMemoryNotificationStore({ maxEntries: -1 })).toThrow(/maxEntries/);
  });
});

describe('notificationKey', () => {
  it('notifyType:paymentId for payments', () => {
    expect(notificationKey(parse(usdBody))).toBe('PAYMENT_RESULT:812202715898044274806386466931604175JNxpyudMsn202005180001827071');
    const pending = usdBody.replace('PAYMENT_RESULT', 'PAYMENT_PENDING');
    expect(notificationKey(parse(pending))).toBe('PAYMENT_PENDING:812202715898044274806386466931604175JNxpyudMsn202005180001827071');
  });

  it('a result not yet final has a key of its own, so the final one with the same id still runs its callback', async () => {
    const unknown = usdBody.replace('"resultStatus":"S"', '"resultStatus":"U"');
    expect(notificationKey(parse(unknown))).toBe('PAYMENT_RESULT:812202715898044274806386466931604175JNxpyudMsn202005180001827071:pending');
    const processing = refundBody.replace('"refundStatus":"SUCCESS"', '"refundStatus":"PROCESSING_NEW"');
    expect(notificationKey(parse(processing))).toBe('REFUND_RESULT:2020051812345678900001:pending');
    // Through a store: the pending one, its redelivery, then the final one.
    const store = createMemoryNotificationStore();
    const seen: string[] = [];
    for (const body of [unknown, unknown, usdBody]) {
      const n = parse(body);
      const claim = await store.claim(notificationKey(n));
      if (claim.state !== 'claimed') continue;
      seen.push(n.kind === 'payment' ? n.outcome : n.kind);
      await store.complete(notificationKey(n), claim.token);
    }
    expect(seen).toEqual(['pending', 'paid']);
  });

  it('notifyType:refundId for refunds', () => {
    expect(notificationKey(parse(refundBody))).toBe('REFUND_RESULT:2020051812345678900001');
  });

  it('notifyType plus a hash of the raw body for other notifications, stable across deliveries', () => {
    const n = parse(otherBody);
    const k = notificationKey(n, otherBody);
    expect(k).toMatch(/^UPDATE_AMOUNT_RESULT:sha256:[0-9a-f]{32}$/);
    expect(notificationKey(parse(otherBody), Buffer.from(otherBody))).toBe(k);
    const changed = otherBody.replace('upd-1', 'upd-2');
    expect(notificationKey(parse(changed), changed)).not.toBe(k);
    expect(notificationKey(n)).toMatch(/^UPDATE_AMOUNT_RESULT:sha256:/);
    expect(notificationKey(n)).toBe(notificationKey(parse(otherBody)));
  });
});

/**
 * One valid notification through the processor with a store that may hang. The store timeout is a fake timer;
 * verification runs on the threadpool in real time: step both until the answer comes.
 */
async function processWithHangingStore(store: NotificationStore): Promise<{ status: number; body: string; called: number }> {
  const { vi } = await import('vitest');
  const { createNotificationProcessor, STORE_CLAIM_TIMEOUT_MS } = await import('../../src/notifications/processor');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    let called = 0;
    const processor = createNotificationProcessor({
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger: {},
      onPayment: () => void called++,
      dedupe: store,
    });
    const answer = processor.process({
      method: 'POST',
      urlPath: PATH,
      headers: alipayHeaders({ body: usdBody }),
      rawBody: Buffer.from(usdBody),
    });
    let settled = false;
    void answer.then(() => (settled = true));
    for (const end = Date.now() + 15_000; !settled && Date.now() < end;) {
      await new Promise((r) => setImmediate(r));
      await vi.advanceTimersByTimeAsync(STORE_CLAIM_TIMEOUT_MS / 4);
    }
    const res = await answer;
    return { status: res.status, body: res.body, called };
  } finally {
    vi.useRealTimers();
  }
}

describe('a store that hangs', () => {
  const never = () => new Promise<never>(() => {});
  it('at claim: answers 503 after the timeout instead of holding the request open', async () => {
    const res = await processWithHangingStore({ claim: never, complete: async () => {}, release: async () => {} });
    expect(res.status).toBe(503);
    expect(res.called).toBe(0);
  });
  it('at complete: still acknowledges after the timeout, so the callback does not run again', async () => {
    const res = await processWithHangingStore({
      claim: async () => ({ state: 'claimed', token: 't' }),
      complete: never,
      release: async () => {},
    });
    expect(res).toEqual({ status: 200, body: NOTIFICATION_ACK_BODY, called: 1 });
  });
});

describe('a store that answers nonsense fails loudly, runs nothing and acknowledges nothing', () => {
  const claims: Array<[string, unknown]> = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'claimed'],
    ['an unknown state', { state: 'maybe', token: 't' }],
    ['a claim without a token', { state: 'claimed' }],
  ];
  for (const [what, claim] of claims) {
    it(`claim() returning ${what}: 503, no callback, an error log naming the store`, async () => {
      const { createNotificationProcessor } = await import('../../src/notifications/processor');
      const { recordingLogger } = await import('./helpers');
      const rec = recordingLogger();
      let called = 0;
      class LegacyStore implements NotificationStore {
        claim = async () => claim as never;
        complete = async () => undefined;
        release = async () => undefined;
      }
      const processor = createNotificationProcessor({
        path: PATH,
        alipayPublicKey: alipay.publicBase64,
        clientId: CLIENT_ID,
        logger: rec.logger,
        onPayment: () => void called++,
        dedupe: new LegacyStore(),
      });
      const res = await processor.process({ method: 'POST', urlPath: PATH, headers: alipayHeaders({ body: usdBody }), rawBody: usdBody });
      processor.written(res);
      expect(res.status).toBe(503);
      expect(res.body).not.toBe(NOTIFICATION_ACK_BODY);
      expect(called).toBe(0);
      const errors = rec.logs.filter((l) => l.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toContain('"LegacyStore"');
      expect(rec.logs.some((l) => /acknowledged/.test(l.message) && !/not acknowledged/.test(l.message))).toBe(false);
    });
  }
});

describe('"acknowledged" is logged only for an acknowledgement that was built and written', () => {
  it('a signed ack that fails to build at delivery answers 500, runs nothing twice and logs no "acknowledged"', async () => {
    const { createNotificationProcessor } = await import('../../src/notifications/processor');
    const { recordingLogger } = await import('./helpers');
    const { merchant } = await import('../helpers/keys');
    const rec = recordingLogger();
    let called = 0;
    // The ack's clock is the only user of the clock here (no toleranceMs): make it fail when the ack is signed.
    const processor = createNotificationProcessor({
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger: rec.logger,
      signAck: { clientId: CLIENT_ID, privateKey: merchant.privatePkcs8Pem },
      clock: {
        now: () => {
          throw new Error('clock unavailable');
        },
      },
      onPayment: () => void called++,
    });
    const res = await processor.process({ method: 'POST', urlPath: PATH, headers: alipayHeaders({ body: usdBody }), rawBody: usdBody });
    processor.written(res);
    expect(res.status).toBe(500);
    expect(res.body).not.toBe(NOTIFICATION_ACK_BODY);
    expect(called).toBe(1);
    expect(rec.logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      expect.stringContaining('acknowledgement could not be built'),
    ]);
    expect(rec.logs.some((l) => l.message === 'ams: notification acknowledged')).toBe(false);
  });

  it('logs it once per written ack, and not when the callback threw', async () => {
    const { createNotificationProcessor } = await import('../../src/notifications/processor');
    const { recordingLogger } = await import('./helpers');
    const { merchant } = await import('../helpers/keys');
    const rec = recordingLogger();
    let fail = true;
    const processor = createNotificationProcessor({
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger: rec.logger,
      dedupe: false,
      signAck: { clientId: CLIENT_ID, privateKey: merchant.privatePkcs8Pem },
      onPayment: () => {
        if (fail) throw new Error('ERP down');
      },
    });
    const deliver = () => processor.process({ method: 'POST', urlPath: PATH, headers: alipayHeaders({ body: usdBody }), rawBody: usdBody });
    const acked = () => rec.logs.filter((l) => l.message === 'ams: notification acknowledged');

    const refused = await deliver();
    expect(refused.status).toBe(500);
    processor.written(refused);
    expect(acked()).toHaveLength(0);

    fail = false;
    const ok = await deliver();
    expect(ok.status).toBe(200);
    expect(ok.headers['signature']).toMatch(/^algorithm=RSA256,keyVersion=1,signature=/);
    expect(acked()).toHaveLength(0); // built, not yet written
    processor.written(ok);
    expect(acked()).toHaveLength(1);
    expect(acked()[0]!.meta).toMatchObject({ notifyType: 'PAYMENT_RESULT' });
  });
});

describe('old option names (see CHANGELOG)', () => {
  it('are unknown options, refused with the options there are, instead of being ignored', () => {
    expect(() => createMemoryNotificationStore({ now: () => 0 } as never)).toThrow(
      expect.objectContaining({ name: 'AmsConfigError', field: 'now' }),
    );
    expect(() => createMemoryNotificationStore({ now: () => 0 } as never)).toThrow(/unknown option "now"; known options: .*\bclock\b/);
    const input = { path: '/n', headers: {}, rawBody: '{}', alipayPublicKey: 'x', clientId: 'c' };
    expect(() => verifyNotification({ ...input, backend: 'jsrsasign' } as never)).toThrow(
      /unknown option "backend"; known options: .*\bcryptoBackend\b/,
    );
    expect(() => verifyNotification({ ...input, now: () => new Date() } as never)).toThrow(
      /unknown option "now"; known options: .*\bclock\b/,
    );
  });
});

describe('options that are not objects', () => {
  it('a signed ack whose sign options are a string is a config error, not a TypeError', () => {
    expect(() => notificationAck({ sign: 'key' as never })).toThrow(expect.objectContaining({ name: 'AmsConfigError' }));
  });
});
