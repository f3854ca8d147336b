// The examples run as users run them: `npm start` (tsx examples/start.ts) and the small scripts exit 0 with their output.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPrivateKey, loadPublicKey } from '../../src/index';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;

function run(script: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(tsx, [script, ...args], { cwd: root, timeout: 45_000, env: { ...process.env, NODE_OPTIONS: '' } }, (err, stdout, stderr) => {
      resolve({
        code: err ? (((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number) ?? 1) : 0,
        stdout,
        stderr,
        ms: Date.now() - started,
      });
    });
  });
}

describe('npm start', () => {
  it('plays the whole payment over real sockets, prints the timeline in order, and exits 0 with nothing left running', async () => {
    const r = await run('examples/start.ts');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const steps = ['request signed', 'gateway verified', 'cashier', 'paid', 'notification verified', 'acknowledged', 'inquiry SUCCESS'];
    const positions = steps.map((s) => r.stdout.indexOf(`  ${s}`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(r.stdout).toMatch(/\+\s*\d+ ms/);
    expect(r.stdout).toContain('the return page shows "paid"');
    expect(r.stdout).toContain('✓ paid, notified, acknowledged and confirmed by inquiry.');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^✓ settlement reconciled: 1 payment matched, \d+ USD \(minor units\) net of fees\.$/,
    );
    // It exited by itself, well before the 20 s watchdog.
    expect(r.ms).toBeLessThan(15_000);
  }, 60_000);
});

describe('examples', () => {
  it('pay.ts: the smallest payment', async () => {
    const r = await run('examples/pay.ts');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^U\/PAYMENT_IN_PROCESS: send the buyer to http:\/\/127\.0\.0\.1:\d+\/alipaycn\/pc\/cashier\?/);
  }, 60_000);

  it('fetch-handler.ts: the Fetch route verifies and acknowledges', async () => {
    const r = await run('examples/fetch-handler.ts');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/notification acknowledged after 1 attempt\(s\); paid: fetch-example-\d+/);
  }, 60_000);

  it('acquirer.ts: one client per merchant, payments kept apart by Agent-Token', async () => {
    const r = await run('examples/acquirer.ts');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('noodle-bar: PAYMENT_IN_PROCESS');
    expect(r.stdout).toContain('tea-house: PAYMENT_IN_PROCESS');
    expect(r.stdout).toContain('the gateway holds 2 payments');
  }, 60_000);

  it('checkout-session.ts: a session for the web checkout, paid at the checkout page, acted on by outcome', async () => {
    const r = await run('examples/checkout-session.ts');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^session SESSION_\w+: \d+ characters of sessionData for the web SDK$/m);
    expect(r.stdout).toMatch(
      /^checkout page: or redirect the buyer to http:\/\/127\.0\.0\.1:\d+\/checkout-page\/pages\/payment\/index\.html\?sessionData=/m,
    );
    expect(r.stdout).toMatch(/^notification: session-example-\d+ is paid — ship it\noutcome paid, acknowledged$/m);
  }, 60_000);

  it('customs.ts: pay, success, declare (taken, not decided), inquire until customs answers', async () => {
    const r = await run('examples/customs.ts');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.replace(/customsPaymentId \w+/, 'customsPaymentId X')),
    ).toEqual([
      'payment SUCCESS',
      'declaration taken (SUCCESS): customsPaymentId X',
      'declaration WAITING_FOR_PROCESSING',
      'declaration PROCESSING',
      'declaration SUCCESS',
    ]);
  }, 60_000);

  it('dispute.ts: the rate before paying, then dispute → template → defense → judged, acted on by outcome', async () => {
    const r = await run('examples/dispute.ts');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'rate: 1 USD = 7.14285714 CNY (guaranteed)',
      'dispute DISPUTE_CREATED: Goods not received; respond within 11 days',
      'template: PDF',
      'defense taken (SUCCESS)',
      'dispute DEFENSE_SUPPLIED: defended',
      'dispute DISPUTE_JUDGED: won',
    ]);
  }, 60_000);

  it('check.json: a complete go-live config whose key files exist and load', () => {
    const config = JSON.parse(readFileSync(`${root}examples/check.json`, 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      paymentMethodType: 'ALIPAY_CN',
      contractSettlementCurrency: 'USD',
      paymentCurrencies: ['USD', 'CNY'],
      settlementCurrency: 'USD',
      region: 'NA',
      keyVersion: '1',
    });
    expect(String(config.clientId)).toMatch(/^SANDBOX_/);
    // Key paths are relative to the config file, as the CLI reads them.
    const dir = `${root}examples/`;
    for (const key of ['privateKeyFile', 'alipayPublicKeyFile']) expect(existsSync(dir + String(config[key]))).toBe(true);
    expect(() => loadPrivateKey(readFileSync(dir + String(config.privateKeyFile), 'utf8'))).not.toThrow();
    expect(() => loadPublicKey(readFileSync(dir + String(config.alipayPublicKeyFile), 'utf8'))).not.toThrow();
  });

  it('check.json passes `ams-cashier check`', async () => {
    const r = await run('src/cli/main.ts', ['check', 'examples/check.json']);
    expect(r.stdout).toMatch(/OK: \d+ passed, 0 failed/);
    expect(r.code).toBe(0);
  }, 60_000);
});
