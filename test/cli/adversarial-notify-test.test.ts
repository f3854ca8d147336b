// `ams-cashier notify-test --order-url` against a shop whose order state cannot be read: never "not paid", so never a pass.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io';
import { runCli } from '../../src/cli/run';
import { createNotificationHandler } from '../../src/index';
import { alipay, keyPath } from '../helpers/keys';

const CLIENT_ID = 'SANDBOX_CLI_NOTIFY_ADV';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))));
});

async function listen(server: Server, path: string): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readStdin: async () => Buffer.alloc(0),
    cwd: process.cwd(),
    clock: { now: () => new Date() },
  };
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('notify-test --order-url reads the order state or stops', () => {
  it.each([
    ['a GET the shop does not serve (404)', (res: import('node:http').ServerResponse) => res.writeHead(404).end()],
    [
      'a GET answering something else than {"paid"}',
      (res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"PAID"}'),
    ],
  ])('%s: the "must stay unpaid" scenarios are not passed on it (exit 2, naming the GET)', async (_, answerGet) => {
    // The shop's notification endpoint is sound; only its status route cannot be read.
    const notify = await listen(
      createServer(createNotificationHandler({ alipayPublicKey: alipay.publicBase64, clientId: CLIENT_ID, onPayment: () => undefined })),
      '/ams/notify',
    );
    let n = 0;
    const orders = await listen(
      createServer((req, res) => {
        req.resume();
        if (req.method === 'POST')
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ paymentRequestId: `ADV-${++n}`, paymentAmount: { currency: 'USD', value: '1999' } }));
        else answerGet(res);
      }),
      '/test/orders',
    );
    const r = await run([
      'notify-test',
      '--url',
      notify,
      '--client-id',
      CLIENT_ID,
      '--alipay-private-key',
      keyPath('alipay_private.pem'),
      '--order-url',
      orders,
      '--only',
      'amount-mismatch,payment-failed,forged-signature',
    ]);
    expect(r.out).not.toMatch(/^OK:/m);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--order-url: GET \?paymentRequestId= .*it must answer \{"paid": true\} or \{"paid": false\}/);
  });
});
