// `ams-cashier notify-test` in text mode: a key pair made and kept when none is given, PASS and FAIL lines with the fix.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationHandler, notificationAck } from '../../src/index';
import { alipay, keyPath } from '../helpers/keys';
import { useBuiltCli } from './helpers';

const cli = useBuiltCli();
const CLIENT_ID = 'SANDBOX_CLI_NOTIFY';
let good: Server;
let lax: Server;
let goodUrl = '';
let laxUrl = '';

beforeAll(async () => {
  good = createServer(createNotificationHandler({ alipayPublicKey: alipay.publicBase64, clientId: CLIENT_ID, onPayment: () => undefined }));
  // Parses the JSON and acknowledges everything, without a look at the signature.
  lax = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(notificationAck().body));
  });
  const urls = await Promise.all(
    [good, lax].map(async (s) => {
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(s.address() as AddressInfo).port}/ams/notify`;
    }),
  );
  [goodUrl, laxUrl] = [urls[0]!, urls[1]!];
});
afterAll(async () => {
  for (const s of [good, lax]) s?.closeAllConnections();
  await Promise.all([good, lax].map((s) => new Promise<void>((r) => (s ? s.close(() => r()) : r()))));
});

describe('ams-cashier notify-test', () => {
  it('passes a correct endpoint: one PASS line per scenario, exit 0', async () => {
    const r = await cli.runAsync([
      'notify-test',
      '--url',
      goodUrl,
      '--client-id',
      CLIENT_ID,
      '--alipay-private-key',
      keyPath('alipay_private.pem'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('PASS'))).toHaveLength(16);
    expect(r.stdout).toMatch(/^Slowest acknowledgement: \d+ ms of the 10000 ms Antom waits\.$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('OK: your endpoint answers every notification as Antom needs (16 scenarios)');
  });

  it('names an endpoint that acknowledges forgeries, with the fix, exit 1', async () => {
    const r = await cli.runAsync([
      'notify-test',
      '--url',
      laxUrl,
      '--client-id',
      CLIENT_ID,
      '--alipay-private-key',
      keyPath('alipay_private.pem'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}forged-signature: .*→ HTTP 200/m);
    expect(r.stdout).toContain('your endpoint accepted a forged notification');
    expect(r.stdout).toMatch(/fix: verify the signature over the raw body/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('NOT READY: 4 of 16 scenarios failed');
  });

  it('without a key: makes a pair, keeps the private half (0600, never printed), prints the public half; refuses to overwrite it', async () => {
    const dir = cli.tmp();
    const r = await cli.runAsync(['notify-test', '--url', goodUrl, '--client-id', CLIENT_ID, '--only', 'payment-result'], { cwd: dir });
    const file = join(dir, 'notify-test-alipay-private.pem');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(r.stdout).toContain('-----BEGIN PUBLIC KEY-----');
    expect(r.stdout).not.toContain(readFileSync(file, 'utf8').split('\n')[1]!);
    // The endpoint is configured with another key: the real notification is not acknowledged.
    expect(r.code).toBe(1);
    const again = await cli.runAsync(['notify-test', '--url', goodUrl, '--client-id', CLIENT_ID], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/notify-test-alipay-private\.pem already exists here/);
  });

  it('unusable input is exit 2: no --url, an unknown scenario', async () => {
    expect((await cli.runAsync(['notify-test', '--client-id', CLIENT_ID])).code).toBe(2);
    const only = await cli.runAsync(['notify-test', '--url', goodUrl, '--client-id', CLIENT_ID, '--only', 'paymnt-result']);
    expect(only.code).toBe(2);
    expect(only.stderr).toContain('unknown scenario(s) "paymnt-result"');
  });
});
