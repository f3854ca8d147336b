// The demo as a newcomer meets it: `npm start -- --serve` says what to open, click and read; the cashier page says
// it is simulated and puts the pay button first; examples/pay.ts keeps its link alive in a terminal until Enter.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
});

/** Starts a process and resolves once its stdout contains `marker`, with everything printed so far. */
function startUntil(
  command: string,
  args: string[],
  marker: string | RegExp,
): { child: ChildProcess; out: () => string; ready: Promise<string> } {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${String(marker)}" within 30 s; printed:\n${out}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (typeof marker === 'string' ? out.includes(marker) : marker.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before "${String(marker)}"; printed:\n${out}`));
    });
  });
  return { child, out: () => out, ready };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );

describe('npm start -- --serve', () => {
  it('prints the shop URL, what to click, the cashier URL of each payment and the file to read next', async () => {
    const run = startUntil(tsx, ['examples/start.ts', '--serve'], 'Ctrl-C to stop.');
    const text = await run.ready;
    const shop = /Example shop: +(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
    const gateway = /Embedded AMS gateway: (http:\/\/127\.0\.0\.1:\d+) \(a local simulated Alipay/.exec(text)?.[1];
    expect(shop).toBeDefined();
    expect(gateway).toBeDefined();
    expect(text).toContain('click "Pay with Alipay"');
    expect(text).toContain(`at ${gateway}/alipaycn/pc/cashier?`);
    expect(text).toContain('click "Pay with test account"');
    expect(text).toContain('Read next: examples/express-merchant/app.ts');
    // The button the text names is the shop's; a checkout prints that payment's cashier URL, which serves the page.
    expect(await (await fetch(shop!)).text()).toContain('>Pay with Alipay</button>');
    const checkout = await fetch(`${shop}/checkout`, {
      method: 'POST',
      body: new URLSearchParams({ item: 'T-shirt' }),
      redirect: 'manual',
    });
    expect(checkout.status).toBe(303);
    const line = await new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const m = /cashier for payment \S+: (\S+)/.exec(run.out());
        if (m) {
          clearInterval(poll);
          resolve(m[1]!);
        }
      }, 50);
    });
    expect(line).toBe(checkout.headers.get('location'));
    const page = await (await fetch(line)).text();
    expect(page).toContain('Local simulated cashier');
    run.child.kill('SIGTERM');
    await exited(run.child);
  }, 60_000);
});

describe('npm start -- --checkout', () => {
  it("serves the web checkout shop: Antom's SDK from node_modules, the gateway's Checkout Page as its environment; Ctrl-C stops it", async () => {
    const run = startUntil(tsx, ['examples/start.ts', '--checkout'], 'Ctrl-C to stop.');
    const text = await run.ready;
    const shop = /Web checkout shop: +(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
    const gateway = /Embedded AMS gateway: (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
    expect(shop).toBeDefined();
    expect(text).toContain('click "Pay with test account"');
    expect(text).toContain('Read next: examples/web-checkout/shop.ts');
    const page = await (await fetch(shop!)).text();
    expect(page).toContain('<script src="/ams-checkout.js"></script>');
    // No Antom host in a browser the user opens: the Checkout Page is the gateway's, by URL.
    expect(page).toContain(`"environment":"${gateway}/checkout-page/pages/payment/index.html"`);
    const sdk = await (await fetch(`${shop}/ams-checkout.js`)).text();
    expect(sdk).toContain('antom-checkout-page-sub-page-iframe');
    // Component scenes need Antom's hosts: refused here, with the reason.
    expect((await fetch(`${shop}/?scene=ELEMENT_PAYMENT`)).status).toBe(400);
    const session = await fetch(`${shop}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'Notebook', productScene: 'CHECKOUT_PAYMENT' }),
    });
    const { sessionData } = (await session.json()) as { sessionData: string };
    const ckp = await fetch(`${gateway}/checkout-page/pages/payment/index.html?${new URLSearchParams({ sessionData, mode: 'embed' })}`);
    expect(await ckp.text()).toContain('12.50 USD');
    await expect.poll(() => run.out(), { timeout: 5_000 }).toMatch(/checkout page shown for payment \S+/);
    run.child.kill('SIGINT');
    expect(await exited(run.child)).toBe(0);
    expect(run.out()).toMatch(/stopped\n$/);
  }, 60_000);
});

describe('the embedded cashier page', () => {
  it('says it is a local simulated cashier and shows the pay button before the QR code', async () => {
    const { startAmsGateway } = await import('../../mocks/index');
    const { AmsClient } = await import('../../src/index');
    const { generateKeyPairSync } = await import('node:crypto');
    const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const gw = await startAmsGateway({ clientId: 'SANDBOX_PAGE', merchantPublicKey: merchant.publicKey });
    try {
      const client = new AmsClient({
        clientId: 'SANDBOX_PAGE',
        privateKey: merchant.privateKey,
        alipayPublicKey: gw.alipayPublicKey,
        baseUrl: gw.url,
      });
      const amount = { currency: 'USD', value: '1999' };
      const res = await client.pay({
        productCode: 'CASHIER_PAYMENT',
        paymentRequestId: 'page-1',
        order: {
          referenceOrderId: 'o',
          orderDescription: 'T-shirt',
          orderAmount: amount,
          extendInfo: { chinaExtraTransInfo: { businessType: '4', goodsInfo: 'T-shirt^1', totalQuantity: '1' } },
        },
        paymentAmount: amount,
        paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
        paymentRedirectUrl: 'https://shop.example/r',
        env: { terminalType: 'WEB' },
        settlementStrategy: { settlementCurrency: 'USD' },
      });
      const html = await (await fetch(res.normalUrl!)).text();
      expect(html).toContain('<title>Local simulated cashier — 19.99 USD</title>');
      expect(html).toContain('<h1>Local simulated cashier</h1>');
      expect(html).not.toContain('Scan with the Alipay app');
      expect(html.indexOf('id="pay"')).toBeGreaterThan(0);
      expect(html.indexOf('id="pay"')).toBeLessThan(html.indexOf('<svg'));
      expect(html).toContain('no Alipay app can pay it');
    } finally {
      await gw.close();
    }
  });
});

describe('examples/pay.ts in a terminal', () => {
  it('keeps the gateway up until Enter, so the printed link opens the cashier', async () => {
    // `script` gives the example a real terminal, as when a user runs it.
    const run = startUntil('script', ['-qec', `${tsx} examples/pay.ts`, '/dev/null'], 'press Enter to stop the gateway');
    const text = await run.ready;
    const link = /send the buyer to (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(text)?.[1];
    expect(link).toBeDefined();
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Local simulated cashier');
    run.child.stdin!.write('\r');
    expect(await exited(run.child)).toBe(0);
    await expect(fetch(link!)).rejects.toThrow();
  }, 60_000);
});
