// The Redis notification store against a real redis-server: claim / busy / done, token checks, TTLs, scripts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { AmsConfigError } from '../../src/errors';
import { createMemoryNotificationStore } from '../../src/index';
import { createRedisNotificationStore } from '../../src/redis';
import { thrown } from '../helpers/expect';
import { connect, disconnectAll, ready, sleep } from './helpers';
import { requireRedisServer, startRedisServer, type RedisServer } from './redis-server';

const HAVE_REDIS = requireRedisServer();

describe.skipIf(!HAVE_REDIS)('createRedisNotificationStore (real Redis)', () => {
  let server: RedisServer;
  let raw: Redis;
  const clients: Redis[] = [];
  let n = 0;
  /** A fresh key per test, so tests never see each other's state. */
  const fresh = (): string => `PAYMENT_RESULT:pay-${process.pid}-${++n}`;
  const client = async (): Promise<Redis> => {
    const c = connect(server.port);
    clients.push(c);
    await ready(c);
    return c;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    raw = connect(server.port);
    await ready(raw);
  });
  afterEach(() => disconnectAll(clients));
  afterAll(async () => {
    raw?.disconnect();
    await server?.stop();
  });

  it('claims once; a second claim is busy; after complete it is done, stored as "done" under the prefix', async () => {
    const store = createRedisNotificationStore({ redis: await client() });
    const key = fresh();
    const first = await store.claim(key);
    expect(first.state).toBe('claimed');
    const token = first.state === 'claimed' ? first.token : '';
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(await raw.get(`ams:notify:${key}`)).toBe(`processing:${token}`);
    expect(await store.claim(key)).toEqual({ state: 'busy' });

    await store.complete(key, token);
    expect(await raw.get(`ams:notify:${key}`)).toBe('done');
    expect(await store.claim(key)).toEqual({ state: 'done' });
    expect(await store.claim(key)).toEqual({ state: 'done' });
  });

  it('exactly one of many concurrent claims from several connections wins', async () => {
    const stores = await Promise.all([1, 2, 3, 4, 5].map(async () => createRedisNotificationStore({ redis: await client() })));
    const key = fresh();
    const claims = await Promise.all(Array.from({ length: 50 }, (_, i) => Promise.resolve(stores[i % stores.length]!.claim(key))));
    expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.state === 'busy')).toHaveLength(49);
  });

  it('claims expire after processingTtlMs (a crashed claimer), and done expires after doneTtlMs', async () => {
    const store = createRedisNotificationStore({ redis: await client(), processingTtlMs: 150, doneTtlMs: 300 });
    const key = fresh();
    const crashed = await store.claim(key);
    expect(crashed.state).toBe('claimed');
    const pttl = await raw.pttl(`ams:notify:${key}`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(150);
    expect(await store.claim(key)).toEqual({ state: 'busy' });
    await sleep(200);

    const next = await store.claim(key);
    expect(next.state).toBe('claimed');
    await store.complete(key, next.state === 'claimed' ? next.token : '');
    const donePttl = await raw.pttl(`ams:notify:${key}`);
    expect(donePttl).toBeGreaterThan(150);
    expect(donePttl).toBeLessThanOrEqual(300);
    expect(await store.claim(key)).toEqual({ state: 'done' });
    await sleep(350);
    expect(await raw.exists(`ams:notify:${key}`)).toBe(0);
    expect((await store.claim(key)).state).toBe('claimed');
  });

  it('the default TTLs are 60 s for a claim and 7 days for done', async () => {
    const store = createRedisNotificationStore({ redis: await client() });
    const key = fresh();
    const c = await store.claim(key);
    const claimTtl = await raw.pttl(`ams:notify:${key}`);
    expect(claimTtl).toBeGreaterThan(59_000);
    expect(claimTtl).toBeLessThanOrEqual(60_000);
    await store.complete(key, c.state === 'claimed' ? c.token : '');
    const doneTtl = await raw.pttl(`ams:notify:${key}`);
    expect(doneTtl).toBeGreaterThan(7 * 24 * 3600_000 - 5000);
    expect(doneTtl).toBeLessThanOrEqual(7 * 24 * 3600_000);
  });

  it('complete with a stale token does not overwrite the claim that took over; the new owner completes it', async () => {
    const store = createRedisNotificationStore({ redis: await client(), processingTtlMs: 100 });
    const key = fresh();
    const old = await store.claim(key);
    await sleep(150);
    const taken = await store.claim(key);
    expect(taken.state).toBe('claimed');
    const oldToken = old.state === 'claimed' ? old.token : 'x';
    const newToken = taken.state === 'claimed' ? taken.token : 'y';
    expect(newToken).not.toBe(oldToken);

    await store.complete(key, oldToken);
    expect(await raw.get(`ams:notify:${key}`)).toBe(`processing:${newToken}`);
    expect(await store.claim(key)).toEqual({ state: 'busy' });
    await store.complete(key, newToken);
    expect(await store.claim(key)).toEqual({ state: 'done' });
    // A late complete or release from the old owner leaves done alone.
    await store.complete(key, oldToken);
    await store.release(key, oldToken);
    expect(await raw.get(`ams:notify:${key}`)).toBe('done');
  });

  it('complete after the own claim expired and nobody took it still records done (the callback did succeed)', async () => {
    const store = createRedisNotificationStore({ redis: await client(), processingTtlMs: 80 });
    const key = fresh();
    const c = await store.claim(key);
    await sleep(120);
    expect(await raw.exists(`ams:notify:${key}`)).toBe(0);
    await store.complete(key, c.state === 'claimed' ? c.token : '');
    expect(await store.claim(key)).toEqual({ state: 'done' });
  });

  it('release deletes only its own claim; then the key can be claimed again', async () => {
    const store = createRedisNotificationStore({ redis: await client() });
    const key = fresh();
    const c = await store.claim(key);
    const token = c.state === 'claimed' ? c.token : '';
    await store.release(key, 'not-the-token');
    expect(await raw.get(`ams:notify:${key}`)).toBe(`processing:${token}`);
    expect(await store.claim(key)).toEqual({ state: 'busy' });
    await store.release(key, token);
    expect(await raw.exists(`ams:notify:${key}`)).toBe(0);
    const again = await store.claim(key);
    expect(again.state).toBe('claimed');
    // Releasing a done key is a no-op: the notification stays handled.
    await store.complete(key, again.state === 'claimed' ? again.token : '');
    await store.release(key, again.state === 'claimed' ? again.token : '');
    expect(await store.claim(key)).toEqual({ state: 'done' });
  });

  it('a prefix separates stores; a foreign value under the prefix is an error, never a claim', async () => {
    const redis = await client();
    const a = createRedisNotificationStore({ redis, prefix: 'shop-a:' });
    const b = createRedisNotificationStore({ redis, prefix: 'shop-b:' });
    const key = fresh();
    expect((await a.claim(key)).state).toBe('claimed');
    expect((await b.claim(key)).state).toBe('claimed');
    expect(await raw.exists(`shop-a:${key}`, `shop-b:${key}`)).toBe(2);

    const other = fresh();
    await raw.set(`shop-a:${other}`, 'something-else');
    await expect(a.claim(other)).rejects.toThrow(/did not write/);
    expect(await raw.get(`shop-a:${other}`)).toBe('something-else');
  });

  it('reloads its scripts when Redis lost them (SCRIPT FLUSH, restart, failover)', async () => {
    const store = createRedisNotificationStore({ redis: await client() });
    const key = fresh();
    await store.claim(key);
    await raw.script('FLUSH');
    expect(await store.claim(key)).toEqual({ state: 'busy' });
    await raw.script('FLUSH');
    const k2 = fresh();
    const c = await store.claim(k2);
    await raw.script('FLUSH');
    await store.complete(k2, c.state === 'claimed' ? c.token : '');
    await raw.script('FLUSH');
    expect(await store.claim(k2)).toEqual({ state: 'done' });
  });

  it('rejects when Redis errors, so the handler can answer 503', async () => {
    const redis = await client();
    const store = createRedisNotificationStore({ redis });
    redis.disconnect();
    await expect(store.claim(fresh())).rejects.toThrow();
    await expect(store.complete(fresh(), 't')).rejects.toThrow();
    await expect(store.release(fresh(), 't')).rejects.toThrow();
  });

  it('validates its options once, with AmsConfigError', async () => {
    const redis = await client();
    const make = (o: unknown) => () => createRedisNotificationStore(o as Parameters<typeof createRedisNotificationStore>[0]);
    expect(make({})).toThrow(AmsConfigError);
    expect(make({ redis: {} })).toThrow(/ioredis client/);
    expect(make({ redis, processingTtlMs: 0 })).toThrow(/processingTtlMs/);
    expect(make({ redis, processingTtlMs: 1.5 })).toThrow(/processingTtlMs/);
    expect(make({ redis, doneTtlMs: -1 })).toThrow(/doneTtlMs/);
    expect(make({ redis, prefix: 3 })).toThrow(/prefix/);
    expect(make({ redis, ttl: 5 })).toThrow(/unknown option.*"ttl"/);
    expect(make({ redis, processingTtlMs: 10, doneTtlMs: 20, prefix: 'x:' })).not.toThrow();
  });
});

// Options are checked before any command: a real ioredis client that never connects is enough here.
describe('createRedisNotificationStore options (no Redis needed)', () => {
  const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false });
  afterAll(() => redis.disconnect());
  const make = (o: object) => () => createRedisNotificationStore({ redis, ...o });

  it('one TTL rule with the memory store: 1.5 is refused by both, with the same message; whole ms up to 365 days pass both', () => {
    for (const field of ['processingTtlMs', 'doneTtlMs']) {
      for (const bad of [1.5, 0, -1, Number.NaN, '60000', 366 * 24 * 3600_000]) {
        const inRedis = thrown(AmsConfigError, make({ [field]: bad }));
        const inMemory = thrown(AmsConfigError, () => createMemoryNotificationStore({ [field]: bad }));
        expect(inRedis.field).toBe(field);
        expect(inMemory.field).toBe(field);
        expect(inRedis.message.replace('createRedisNotificationStore', '')).toBe(
          inMemory.message.replace('createMemoryNotificationStore', ''),
        );
      }
      expect(thrown(AmsConfigError, make({ [field]: 1.5 })).message).toBe(
        `Invalid createRedisNotificationStore config: ${field}: must be a whole number of milliseconds (Redis PX takes no fraction)`,
      );
      for (const good of [1, 60_000, 365 * 24 * 3600_000]) {
        expect(make({ [field]: good })).not.toThrow();
        expect(() => createMemoryNotificationStore({ [field]: good })).not.toThrow();
      }
    }
  });

  it('an unknown option is refused with a did-you-mean; an old or far name with the options there are', () => {
    const typo = thrown(AmsConfigError, make({ doneTTL: 5 }));
    expect(typo.field).toBe('doneTTL');
    expect(typo.message).toBe('Invalid createRedisNotificationStore config: unknown option "doneTTL" (did you mean "doneTtlMs"?)');
    expect(thrown(AmsConfigError, make({ now: () => new Date() })).message).toBe(
      'Invalid createRedisNotificationStore config: unknown option "now"; known options: redis, prefix, processingTtlMs, doneTtlMs',
    );
  });

  it('a missing or wrong redis names the field and what to give', () => {
    const missing = thrown(AmsConfigError, () => createRedisNotificationStore({} as never));
    expect([missing.field, missing.message]).toEqual([
      'redis',
      'Invalid createRedisNotificationStore config: redis: is required: an ioredis client (new Redis(...) or new Redis.Cluster(...))',
    ]);
    expect(thrown(AmsConfigError, make({ redis: { get() {} } })).message).toMatch(/redis: must be an ioredis client/);
    expect(thrown(AmsConfigError, make({ prefix: 3 })).message).toMatch(/prefix: must be a string/);
  });
});
