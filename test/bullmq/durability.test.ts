// "Acknowledged" must mean "Redis keeps it": the inbox reads Redis's persistence, refuses to acknowledge without an AOF (unless best-effort), and waits for WAITAOF where Redis has it; a kill -9 after the 200 loses nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { createNotificationInbox, inboxJobId, type InboxJobData, type NotificationInbox } from '../../src/bullmq';
import { alipay } from '../helpers/keys';
import { ACK, CLIENT_ID, PATH, recordingLogger, until, type LogLine } from '../notifications/helpers';
import { connect, ready } from '../redis/helpers';
import { requireRedisServer, startRedisServer, type RedisServer, type RedisServerOptions } from '../redis/redis-server';
import { startRespProxy, type RespProxy } from '../redis/resp-proxy';
import { signedPayment } from './helpers';

const HAVE_REDIS = requireRedisServer();

describe.skipIf(!HAVE_REDIS)('inbox durability on a real redis-server', () => {
  const servers: RedisServer[] = [];
  const inboxes: NotificationInbox[] = [];
  const queues: Queue[] = [];
  const proxies: RespProxy[] = [];
  let n = 0;

  afterEach(async () => {
    await Promise.all(inboxes.splice(0).map((i) => i.close()));
    await Promise.all(queues.splice(0).map((q) => q.close()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
    // Throwaway servers: SIGKILL (Redis 7.0 holds a SIGTERM for seconds while an AOF rewrite runs).
    await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
  });

  async function redis(options: RedisServerOptions): Promise<RedisServer> {
    const server = await startRedisServer(options);
    servers.push(server);
    return server;
  }

  /** An inbox on `port` (a redis-server or a proxy), its queue seen directly on `redisPort`, and a clock the test moves. */
  function inboxOn(port: number, redisPort: number, extra: Record<string, unknown> = {}) {
    const { logger, logs } = recordingLogger();
    let now = Date.parse('2026-11-22T00:00:00Z');
    const queueName = `durable-${++n}`;
    const inbox = createNotificationInbox({
      connection: `redis://127.0.0.1:${port}`,
      queueName,
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger,
      clock: { now: () => new Date(now) },
      enqueueTimeoutMs: 2000,
      ...extra,
    });
    inboxes.push(inbox);
    const queue = new Queue<InboxJobData>(queueName, { connection: { host: '127.0.0.1', port: redisPort } });
    queue.on('error', () => {}); // the test's own view of the queue; Redis may be down on purpose
    queues.push(queue);
    const deliver = async (id: string) => {
      const note = signedPayment(id);
      const res = await inbox.fetchHandler(
        new Request(`http://shop.example${PATH}`, { method: 'POST', headers: note.headers, body: note.body }),
      );
      return { status: res.status, body: await res.text() };
    };
    const job = (id: string) => queue.getJob(inboxJobId(`PAYMENT_RESULT:${id}`));
    return { inbox, queue, logs, deliver, job, advance: (ms: number) => void (now += ms) };
  }

  const errors = (logs: LogLine[]) => logs.filter((l) => l.level === 'error').map((l) => `${l.message} ${String(l.meta?.error ?? '')}`);

  it('appendonly no: refuses to acknowledge (503), stores nothing, and names the fix; acknowledges once AOF is on', async () => {
    const server = await redis({ appendonly: false });
    const { deliver, job, logs, advance } = inboxOn(server.port, server.port);
    const first = await deliver('pay-no-aof');
    expect(first.status).toBe(503);
    expect(first.body).not.toBe(ACK);
    expect(JSON.parse(first.body)).toMatchObject({ error: 'queue_unavailable' });
    expect(await job('pay-no-aof')).toBeUndefined();
    const logged = errors(logs).join('\n');
    expect(logged).toMatch(/^ams: inbox refuses to acknowledge: Redis would not keep the notification/);
    expect(logged).toMatch(/Redis has no append-only file \(CONFIG GET appendonly answered "no"\)/);
    expect(logged).toMatch(/appendonly yes in redis\.conf/);
    expect(logged).toMatch(/durability: 'best-effort'/);
    // Every redelivery is refused the same way while nothing changes.
    expect((await deliver('pay-no-aof')).status).toBe(503);

    const admin = connect(server.port);
    await ready(admin);
    expect(await admin.call('CONFIG', 'SET', 'appendonly', 'yes')).toBe('OK');
    admin.disconnect();
    advance(6000); // a Redis without AOF is read again after 5 s
    const after = await deliver('pay-no-aof');
    expect(after).toEqual({ status: 200, body: ACK });
    expect((await job('pay-no-aof'))?.data.key).toBe('PAYMENT_RESULT:pay-no-aof');
  });

  it("appendonly no with durability: 'best-effort' acknowledges; a kill -9 then loses the notification, as the README says", async () => {
    const server = await redis({ appendonly: false });
    const { deliver, job, logs } = inboxOn(server.port, server.port, { durability: 'best-effort' });
    expect(await deliver('pay-best-effort')).toEqual({ status: 200, body: ACK });
    expect(await job('pay-best-effort')).toBeDefined();
    expect(errors(logs)).toEqual([]);
    await server.stop('SIGKILL');
    await server.restart();
    expect(await job('pay-best-effort')).toBeUndefined();
  });

  it('appendonly yes, appendfsync always: an acknowledged notification survives kill -9 of Redis and is processed after the restart', async () => {
    const server = await redis({ appendonly: true, appendfsync: 'always' });
    const { deliver, job, inbox, logs } = inboxOn(server.port, server.port);
    expect(await deliver('pay-survives')).toEqual({ status: 200, body: ACK });
    expect(logs.some((l) => l.level === 'info' && /persistence read/.test(l.message) && l.meta?.appendfsync === 'always')).toBe(true);
    await server.stop('SIGKILL');
    await server.restart();
    const kept = await job('pay-survives');
    expect(kept?.data).toMatchObject({ key: 'PAYMENT_RESULT:pay-survives', notification: { paymentId: 'pay-survives' } });
    const seen: string[] = [];
    inbox.process({ onPayment: (p) => void seen.push(p.paymentId) });
    await until(() => seen.length === 1, 15_000);
    expect(seen).toEqual(['pay-survives']);
  });

  it('a Redis that forbids CONFIG (as managed services do): persistence is read from INFO persistence instead', async () => {
    const forbid = ['--rename-command', 'CONFIG', ''];
    const withAof = await redis({ appendonly: true, args: forbid });
    const on = inboxOn(withAof.port, withAof.port);
    expect(await on.deliver('pay-info-aof')).toEqual({ status: 200, body: ACK });
    expect(on.logs.find((l) => /persistence read/.test(l.message))?.meta).toMatchObject({ aof: true, source: 'INFO' });

    const withoutAof = await redis({ appendonly: false, args: forbid });
    const off = inboxOn(withoutAof.port, withoutAof.port);
    expect((await off.deliver('pay-info-no-aof')).status).toBe(503);
    expect(errors(off.logs).join('\n')).toMatch(/INFO persistence shows aof_enabled:0/);
  });

  it('WAITAOF: used where this redis-server has it; where it does not (Redis < 7.2), detected once, logged, and the AOF setting decides', async () => {
    const server = await redis({ appendonly: true });
    const admin = connect(server.port);
    await ready(admin);
    const info = (await admin.call('COMMAND', 'INFO', 'WAITAOF')) as unknown[];
    admin.disconnect();
    const hasWaitaof = Array.isArray(info) && info[0] !== null;
    const { deliver, logs } = inboxOn(server.port, server.port);
    for (const id of ['pay-waitaof-1', 'pay-waitaof-2', 'pay-waitaof-3']) expect(await deliver(id)).toEqual({ status: 200, body: ACK });
    const noted = logs.filter((l) => /has no WAITAOF/.test(l.message));
    if (hasWaitaof) expect(noted).toEqual([]);
    else {
      expect(noted).toHaveLength(1);
      expect(noted[0]!.meta?.error).toMatch(/unknown command/i);
    }
  });

  it('Redis unreachable at the first delivery: 503 at once (the persistence check fails fast), and close() returns', async () => {
    const server = await redis({ appendonly: true });
    const port = server.port;
    await server.stop('SIGKILL');
    const { deliver, inbox, logs } = inboxOn(port, port);
    const started = Date.now();
    expect((await deliver('pay-nowhere')).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(errors(logs).join('\n')).toMatch(/could not store the notification/);
    await inbox.close();
  });

  describe('with WAITAOF answered through a proxy (this redis-server may predate it)', () => {
    /** The proxy answers WAITAOF with `[local, 0]` through EVAL, in order on the connection, as Redis 7.2 would. */
    async function behindProxy(local: () => number) {
      const server = await redis({ appendonly: true });
      const proxy = await startRespProxy(server.port, (args) =>
        args[0]!.toUpperCase() === 'WAITAOF' ? ['EVAL', 'return {tonumber(ARGV[1]), 0}', '0', String(local())] : undefined,
      );
      proxies.push(proxy);
      return { proxy, ...inboxOn(proxy.port, server.port) };
    }

    it('acknowledges once WAITAOF confirms the local AOF, after the job and a barrier write on a connection of its own', async () => {
      const { proxy, deliver, job } = await behindProxy(() => 1);
      expect(await deliver('pay-confirmed')).toEqual({ status: 200, body: ACK });
      expect(await job('pay-confirmed')).toBeDefined();
      const waits = proxy.commands.filter((c) => c[1] === 'WAITAOF');
      expect(waits).toHaveLength(1);
      expect(waits[0]!.slice(2)).toEqual(['1', '0', '2000']);
      const conn = waits[0]![0];
      const own = proxy.commands.filter((c) => c[0] === conn).map((c) => c[1]);
      expect(own.slice(-2)).toEqual(['SET', 'WAITAOF']);
      expect(proxy.commands.find((c) => c[0] === conn && c[1] === 'SET')![2]).toMatch(/:ams-aof-barrier$/);
    });

    it('answers 503 when WAITAOF says the AOF does not have it within the timeout; the redelivery is acknowledged once it does', async () => {
      let local = 0;
      const { deliver, logs } = await behindProxy(() => local);
      const refused = await deliver('pay-not-fsynced');
      expect(refused.status).toBe(503);
      expect(errors(logs).join('\n')).toMatch(/Redis did not confirm within 2000 ms that the job is in its append-only file/);
      local = 1;
      expect(await deliver('pay-not-fsynced')).toEqual({ status: 200, body: ACK });
    });

    it('many deliveries at once share WAITAOF rounds (group commit), and every one is acknowledged', async () => {
      const { proxy, deliver } = await behindProxy(() => 1);
      const answers = await Promise.all(Array.from({ length: 20 }, (_v, i) => deliver(`pay-group-${i}`)));
      expect(answers.every((a) => a.status === 200 && a.body === ACK)).toBe(true);
      const rounds = proxy.commands.filter((c) => c[1] === 'WAITAOF').length;
      expect(rounds).toBeGreaterThanOrEqual(1);
      // Shared: at least two deliveries a round on average (one round each would be no group commit at all).
      expect(rounds).toBeLessThanOrEqual(10);
    });
  });
});
