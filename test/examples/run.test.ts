// The examples run as users run them: `npm start` (tsx examples/start.ts) and the small scripts exit 0 with their output.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATED_FILES, generateKeyFiles } from '../../src/cli/keys';
import pkg from '../../package.json';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;

function run(
  script: string,
  args: string[] = [],
  cwd = root,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((done) => {
    execFile(tsx, [script, ...args], { cwd, timeout: 45_000, env: { ...process.env, NODE_OPTIONS: '', ...env } }, (err, stdout, stderr) => {
      done({
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
    // Amounts as a person reads them: "19.39 USD", never minor units.
    expect(r.stdout).toMatch(/inquiry SUCCESS +paymentId \S+…, \d+\.\d{2} USD$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^✓ settlement reconciled: 1 payment matched, \d+\.\d{2} USD net of fees\.$/);
    expect(r.stdout).not.toContain('minor units');
    // It exited by itself, well before the 20 s watchdog.
    expect(r.ms).toBeLessThan(15_000);
  }, 60_000);
});

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

/** Every module an example imports, as written. */
function importsOf(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2]!,
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('npm start flags', () => {
  it('refuses an unknown flag (exit 2, nothing started) and lists the known ones; --help lists them too', async () => {
    const bogus = await run('examples/start.ts', ['--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stdout).toBe('');
    expect(bogus.stderr).toContain("npm start: Unknown option '--bogus'");
    for (const flag of ['--serve', '--doctor', '--checkout']) expect(bogus.stderr).toContain(flag);
    const typo = await run('examples/start.ts', ['--sreve']);
    expect(typo.code).toBe(2);
    const help = await run('examples/start.ts', ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm start/);
  }, 60_000);
});

describe('the example shop on a busy port', () => {
  it('says the port is taken and how to pick another: exit 1, no stack trace', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as AddressInfo).port;
      const r = await run('examples/express-merchant/main.ts', [], root, { PORT: String(port), AMS_CLIENT_ID: '' });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(
        `example shop: port ${port} on 127.0.0.1 is already in use by another program (a second shop?). Stop it, or pick another port: PORT=3001 npx tsx examples/express-merchant/main.ts`,
      );
    } finally {
      busy.close();
    }
  }, 60_000);
});

describe('examples are copy-pasteable', () => {
  it('import the package by its name, and nothing of this checkout but each other', () => {
    const examples = join(root, 'examples');
    const foreign = filesUnder(examples).flatMap((file) =>
      importsOf(file)
        .filter((spec) =>
          spec.startsWith('.')
            ? relative(examples, resolve(dirname(file), spec)).startsWith('..')
            : !/^(node:|ams-cashier(\/|$)|express$)/.test(spec),
        )
        .map((spec) => `${relative(root, file)} → ${spec}`),
    );
    expect(foreign).toEqual([]);
    expect(importsOf(join(examples, 'pay.ts'))).toContain('ams-cashier');
  });

  it('ship in the tarball', () => {
    expect(pkg.files).toContain('examples');
  });
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

  it('check.json works from node_modules/ams-cashier/examples after `ams-cashier keys generate --out keys`', async () => {
    // The layout of a project that installed the package: the config where npm puts it, the keys in the project.
    const app = mkdtempSync(join(tmpdir(), 'ams-example-app-'));
    cleanups.push(() => rmSync(app, { recursive: true, force: true }));
    mkdirSync(join(app, 'node_modules/ams-cashier/examples'), { recursive: true });
    copyFileSync(`${root}examples/check.json`, join(app, 'node_modules/ams-cashier/examples/check.json'));
    generateKeyFiles(join(app, 'keys'));
    const config = JSON.parse(readFileSync(`${root}examples/check.json`, 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      paymentMethodType: 'ALIPAY_CN',
      contractSettlementCurrency: 'USD',
      paymentCurrencies: ['USD', 'CNY'],
      settlementCurrency: 'USD',
      region: 'NA',
      privateKeyFile: `keys/${GENERATED_FILES.privateKey}`,
      merchantPublicKeyFile: `keys/${GENERATED_FILES.publicKey}`,
    });
    const r = await run(`${root}src/cli/main.ts`, ['check', 'node_modules/ams-cashier/examples/check.json'], app);
    expect(r.stdout).toContain('PASS  merchant public key is the public half of the private key: fingerprints match');
    expect(r.stdout).toMatch(/OK: \d+ passed, 0 failed/);
    expect(r.code).toBe(0);
  }, 60_000);
});
