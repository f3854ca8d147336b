// `ams-cashier inbox stats` through the built bin against a real redis-server holding an inbox queue.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationInbox, type NotificationInbox } from '../../src/bullmq';
import { alipay } from '../helpers/keys';
import { CLIENT_ID, PATH } from '../notifications/helpers';
import { signedPayment } from '../bullmq/helpers';
import { requireRedisServer, startRedisServer, type RedisServer } from '../redis/redis-server';
import { buildCli, type BuiltCli } from './helpers';

const HAVE_REDIS = requireRedisServer();

describe.skipIf(!HAVE_REDIS)('ams-cashier inbox stats', () => {
  let cli: BuiltCli;
  let server: RedisServer;
  let inbox: NotificationInbox;
  let url: string;

  beforeAll(async () => {
    [cli, server] = await Promise.all([buildCli(), startRedisServer({ appendonly: true })]);
    url = `redis://127.0.0.1:${server.port}`;
    inbox = createNotificationInbox({
      connection: url,
      queueName: 'cli-stats',
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger: {},
    });
    const send = async (id: string) => {
      const n = signedPayment(id);
      const res = await inbox.fetchHandler(new Request(`http://shop.example${PATH}`, { method: 'POST', headers: n.headers, body: n.body }));
      expect(res.status).toBe(200);
    };
    for (const id of ['cli-ok', 'cli-bad']) await send(id);
    const worker = inbox.process(
      {
        onPayment: (n) => {
          if (n.paymentId === 'cli-bad') throw new Error('no');
        },
      },
      { attempts: 1 },
    );
    for (let i = 0; i < 200; i++) {
      const s = await inbox.stats();
      if (s.completed === 1 && s.failed === 1) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await worker.close();
    // Two more that wait: the oldest-waiting age has something to measure.
    for (const id of ['cli-wait-1', 'cli-wait-2']) await send(id);
  });
  afterAll(async () => {
    await inbox?.close();
    await server?.stop();
    cli?.cleanup();
  });

  it('prints the same counts as inbox.stats(), as JSON', async () => {
    const r = cli.run(['inbox', 'stats', '--redis', url, '--queue', 'cli-stats', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({
      ok: true,
      command: 'inbox stats',
      queue: 'cli-stats',
      queued: 2,
      waiting: 2,
      delayed: 0,
      active: 0,
      completed: 1,
      failed: 1,
    });
    const { oldestWaitingAgeMs: _age, ...counts } = await inbox.stats();
    expect(printed).toMatchObject(counts);
    expect(printed.oldestWaitingAgeMs).toEqual(expect.any(Number));
    expect(printed.oldestWaitingAgeMs as number).toBeGreaterThanOrEqual(0);
    expect(printed.oldestWaitingAgeMs as number).toBeLessThan(60_000);
  });

  it('prints a table a person reads', () => {
    const r = cli.run(['inbox', 'stats', '--redis', url, '--queue', 'cli-stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`inbox queue "cli-stats" at ${url}`);
    expect(r.stdout).toMatch(/queued {6}2 \(waiting 2, delayed for retry 0\)/);
    expect(r.stdout).toMatch(/completed {3}1\n/);
    expect(r.stdout).toMatch(/failed {6}1 {2}\(given up/);
  });

  it('names a refused connection as such, at once, with exit 1, and never prints the password', () => {
    const started = Date.now();
    const r = cli.run(['inbox', 'stats', '--redis', 'redis://:hunter2-secret@127.0.0.1:1', '--queue', 'cli-stats', '--timeout', '5000']);
    expect(r.code).toBe(1);
    // Refused is known at once: no waiting for --timeout (a process start and the CLI's own imports, on a busy machine).
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(r.stderr).toContain('ams-cashier inbox: redis://:***@127.0.0.1:1: nothing listens there (connection refused)');
    expect(r.stderr).not.toMatch(/within|timeout/i);
    expect(r.stderr + r.stdout).not.toContain('hunter2');
    // ioredis also takes the password from the query string.
    const q = cli.run([
      'inbox',
      'stats',
      '--redis',
      'redis://127.0.0.1:1/?password=hunter2-secret&db=0',
      '--queue',
      'cli-stats',
      '--timeout',
      '1500',
    ]);
    expect(q.code).toBe(1);
    expect(q.stderr).toContain('redis://127.0.0.1:1/?password=***&db=0');
    expect(q.stderr + q.stdout).not.toContain('hunter2');
  });

  it('a host name that does not resolve is named as such; a port that never answers is a timeout within --timeout', async () => {
    const dns = cli.run(['inbox', 'stats', '--redis', 'redis://no-such-host.invalid:6379', '--queue', 'cli-stats', '--json']);
    expect(dns.code).toBe(1);
    expect(JSON.parse(dns.stdout)).toMatchObject({
      ok: false,
      command: 'inbox stats',
      error: { code: 'REDIS_UNREACHABLE', message: expect.stringMatching(/the host name does not resolve \((ENOTFOUND|EAI_AGAIN)\)/) },
    });
    // A listener that accepts and never says a word: only the timeout can tell.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const started = Date.now();
      const r = await cli.runAsync(['inbox', 'stats', '--redis', `redis://127.0.0.1:${port}`, '--queue', 'cli-stats', '--timeout', '800']);
      expect(r.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(r.stderr).toContain(`redis://127.0.0.1:${port}: no answer within 800 ms`);
    } finally {
      silent.close();
    }
  });

  it('a queue that was never created is "no such queue", exit 1, pointing at the queues Redis holds', () => {
    const r = cli.run(['inbox', 'stats', '--redis', url, '--queue', 'cli-stat']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`ams-cashier inbox: no such queue "cli-stat" at ${url}: Redis holds nothing under bull:cli-stat`);
    expect(r.stderr).toContain('Did you mean --queue cli-stats?');
    const json = cli.run(['inbox', 'stats', '--redis', url, '--client-id', 'SANDBOX_NEVER_USED', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      command: 'inbox stats',
      error: { code: 'NO_SUCH_QUEUE', message: expect.stringContaining('no such queue "ams-notifications-SANDBOX_NEVER_USED"') },
    });
    // The same queue name under another prefix does not exist either.
    expect(cli.run(['inbox', 'stats', '--redis', url, '--queue', 'cli-stats', '--prefix', 'other']).code).toBe(1);
  });

  it("--client-id reads the default queue of an inbox created without queueName (the client id's own)", async () => {
    const own = createNotificationInbox({
      connection: url,
      path: PATH,
      alipayPublicKey: alipay.publicBase64,
      clientId: CLIENT_ID,
      logger: {},
    });
    try {
      const n = signedPayment('cli-default-queue');
      const res = await own.fetchHandler(new Request(`http://shop.example${PATH}`, { method: 'POST', headers: n.headers, body: n.body }));
      expect(res.status).toBe(200);
      const r = cli.run(['inbox', 'stats', '--redis', url, '--client-id', CLIENT_ID, '--path', PATH, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        queue: `ams-notifications-${CLIENT_ID}@%2Falipay%2Fnotify`,
        queued: 1,
        waiting: 1,
        completed: 0,
      });
    } finally {
      await own.close();
    }
  });

  it('needs --client-id or --queue, not both, and no longer guesses the shared ams-notifications queue', () => {
    const none = cli.run(['inbox', 'stats', '--redis', url]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('missing --client-id (or --queue)');
    const both = cli.run(['inbox', 'stats', '--redis', url, '--queue', 'cli-stats', '--client-id', CLIENT_ID]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --queue or --client-id, not both');
    const colon = cli.run(['inbox', 'stats', '--redis', url, '--queue', 'a:b']);
    expect(colon.code).toBe(2);
    expect(colon.stderr).toContain('--queue must be a non-empty string without ":"');
    // The notify path as the inbox and the handlers take it: one rule, one message.
    const host = cli.run(['inbox', 'stats', '--redis', url, '--client-id', CLIENT_ID, '--path', 'https://shop.example/alipay/notify']);
    expect(host.code).toBe(2);
    expect(host.stderr).toContain('--path: give the path only, without scheme and host');
    expect(cli.run(['inbox', '--help']).stdout).toContain('ams-notifications-<client id>');
  });

  it('refuses a missing --redis or a URL that is not redis:// with exit 2', () => {
    expect(cli.run(['inbox', 'stats']).code).toBe(2);
    const r = cli.run(['inbox', 'stats', '--redis', 'http://127.0.0.1:6379']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--redis must be a redis:// or rediss:// URL');
    expect(cli.run(['inbox', 'purge', '--redis', url]).stderr).toContain('unknown subcommand "purge"');
  });
});
