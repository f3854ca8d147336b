// `npm start`: the embedded gateway and the example shop on loopback, a scripted buyer, and a timeline of one payment.
// `npm start -- --serve` keeps both up so you can pay by hand in a browser; `npm start -- --doctor` runs doctor;
// `npm start -- --checkout` serves the web checkout (Antom's Checkout Page SDK) for a browser you open.
import { parseArgs } from 'node:util';
import { fromMinorUnits } from 'ams-cashier';
import { parseReports, reconcile } from 'ams-cashier/reports';
import { startEmbeddedShop } from './express-merchant/embedded.js';

const FLAGS = {
  serve: 'keep the gateway and the shop up, to pay by hand in a browser',
  doctor: 'what `ams-cashier doctor` says for each kind of credentials mistake',
  checkout: 'the Checkout Page flow (createPaymentSession), in a browser you open',
  help: 'this help',
} as const;
const USAGE = `Usage: npm start [-- --serve | --doctor | --checkout]\n${Object.entries(FLAGS)
  .map(([flag, what]) => `  --${flag.padEnd(9)} ${what}`)
  .join('\n')}`;
// Every flag is known or refused: a mistyped --serve must not quietly play the scripted demo instead.
try {
  parseArgs({ options: Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: 'boolean' }])), strict: true });
} catch (err) {
  console.error(`npm start: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  process.exit(2);
}
if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}

// `npm start -- --doctor`: what `ams-cashier doctor` / `client.doctor()` say for each kind of credentials mistake.
if (process.argv.includes('--doctor')) {
  const { runDoctorDemo } = await import('./doctor.js');
  process.exit(await runDoctorDemo());
}

// `npm start -- --checkout`: the Checkout Page flow with @alipay/ams-checkout, until Ctrl-C.
if (process.argv.includes('--checkout')) {
  const { serveWebCheckout } = await import('./web-checkout/serve.js');
  await serveWebCheckout();
  process.exit(0);
}

const serve = process.argv.includes('--serve');
const t0 = performance.now();
const timeline: Array<{ ms: number; step: string; detail: string }> = [];
const mark = (step: string, detail = ''): void => void timeline.push({ ms: performance.now() - t0, step, detail });
const once = new Set<string>();
let settlement = '';
const markOnce = (step: string, detail = ''): void => {
  if (once.has(step)) return;
  once.add(step);
  mark(step, detail);
};

const shop = await startEmbeddedShop({
  logger: {
    debug: (message, meta) => {
      if (message === 'ams: request' && meta?.api === 'pay')
        markOnce('request signed', `pay, ${String(meta.bodyBytes)} bytes, Request-Time ${String(meta.requestTime)}`);
    },
  },
  onEvent: (type, detail) => {
    if (type === 'notification.verified')
      markOnce('notification verified', `by the shop's notify endpoint (outcome ${String(detail.outcome)})`);
    if (type === 'notification.acknowledged') markOnce('acknowledged', 'HTTP 200 with the exact acknowledgement body');
  },
});
shop.gateway.core.on((e) => {
  if (e.type === 'request.verified' && e.api === 'pay')
    markOnce('gateway verified', `signature checked with the merchant's public key (${e.message ?? ''})`);
  if (e.type === 'cashier.viewed') markOnce('cashier', 'the buyer sees the cashier page');
  if (e.type === 'payment.succeeded') markOnce('paid', 'the buyer paid with the test account');
});

if (serve) {
  console.log(
    [
      `Example shop:         ${shop.merchantUrl}   ← open this in a browser`,
      `Embedded AMS gateway: ${shop.gateway.url} (a local simulated Alipay; no real money moves)`,
      '',
      'What to click:',
      `  1. On the shop page, click "Pay with Alipay": the shop calls client.pay() and sends you to the cashier`,
      `     at ${shop.gateway.url}/alipaycn/pc/cashier?… (each payment's cashier URL is printed below as it is created).`,
      '  2. On the cashier page, click "Pay with test account".',
      '  3. You are sent back to the shop\'s return page: it shows "paid" once the signed notification has arrived.',
      '',
      'Read next: examples/express-merchant/app.ts — the merchant code (checkout → pay → redirect, the notify endpoint,',
      '           the return page); examples/pay.ts is the smallest payment.',
      'Ctrl-C to stop.',
    ].join('\n'),
  );
  shop.gateway.core.on((e) => {
    if (e.type !== 'payment.created' || e.paymentId === undefined) return;
    const url = shop.gateway.core.getPayment(e.paymentId)?.normalUrl;
    if (url) console.log(`cashier for payment ${e.paymentId}: ${url}`);
  });
  const stop = (): void => {
    void shop.close().then(() => console.log('stopped'));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} else {
  // If anything is left running after the demo, say what and fail instead of hanging.
  const watchdog = setTimeout(() => {
    console.error('still running 20 s after start; open handles:', process.getActiveResourcesInfo());
    process.exit(1);
  }, 20_000);
  watchdog.unref();
  try {
    await playBuyer();
    printTimeline();
  } catch (err) {
    printTimeline();
    console.error(`\n✗ ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  } finally {
    await shop.close();
  }
}

async function expectStatus(res: Response, status: number, what: string): Promise<void> {
  if (res.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${res.status}: ${(await res.text()).slice(0, 200)}`);
}

async function playBuyer(): Promise<void> {
  // 1. The buyer orders at the shop, which calls pay and redirects to the cashier.
  const checkout = await fetch(`${shop.merchantUrl}/checkout`, {
    method: 'POST',
    body: new URLSearchParams({ item: 'T-shirt' }),
    redirect: 'manual',
  });
  await expectStatus(checkout, 303, 'checkout');
  const cashierUrl = checkout.headers.get('location')!;

  // 2. The cashier page, then its "Pay with test account" form.
  const cashier = await fetch(cashierUrl);
  await expectStatus(cashier, 200, 'cashier page');
  const html = await cashier.text();
  const action = /<form method="post" action="([^"]+\/pay)"><input type="hidden" name="paymentId" value="([^"]+)">/.exec(html);
  if (!action) throw new Error('the cashier page has no pay form');
  const paymentId = action[2]!;
  const paid = await fetch(new URL(action[1]!, cashierUrl), {
    method: 'POST',
    body: new URLSearchParams({ paymentId }),
    redirect: 'manual',
  });
  await expectStatus(paid, 303, 'pay at the cashier');

  // 3. Back at the shop.
  const back = await fetch(paid.headers.get('location')!);
  await expectStatus(back, 200, 'return page');
  const status = /id="status">([a-z]+)</.exec(await back.text())?.[1];
  mark('returned', `the return page shows "${status}"`);

  // 4. The shop verified and acknowledged the notification; then ask the gateway ourselves.
  await shop.gateway.waitForNotification({ paymentId, until: 'acknowledged', timeoutMs: 10_000 });
  const payment = shop.gateway.getPayment(paymentId)!;
  const inquiry = await shop.client.inquiryPayment({ paymentRequestId: payment.paymentRequestId });
  if (inquiry.paymentStatus !== 'SUCCESS') throw new Error(`inquiry says ${inquiry.paymentStatus}`);
  mark(`inquiry ${inquiry.paymentStatus}`, `paymentId ${paymentId.slice(0, 20)}…, ${money(inquiry.paymentAmount)}`);
  if (status !== 'paid') throw new Error(`the return page showed "${status}", not "paid"`);

  // 5. The next day: the gateway's settlement reports, reconciled with the shop's own record of the payment.
  const files = shop.gateway.reports({ date: new Date(payment.paymentTime!) });
  const reports = await parseReports(files.map((f) => ({ fileName: f.name, input: f.content })));
  const result = reconcile({
    settlementItems: reports.filter((r) => r.kind === 'settlementItems'),
    settlementSummary: reports.filter((r) => r.kind === 'settlementSummary'),
    ledger: [{ paymentRequestId: payment.paymentRequestId, paymentId, type: 'PAYMENT', amount: payment.paymentAmount }],
  });
  if (!result.ok)
    throw new Error(
      `the settlement reports do not reconcile (${Object.entries(result.counts)
        .filter(([, n]) => n > 0)
        .map(([kind, n]) => `${n} ${kind}`)
        .join(', ')}${result.incomplete.length ? `, incomplete: ${result.incomplete.join(', ')}` : ''})`,
    );
  settlement = `${result.matched.length} payment matched, ${result.totals.map(money).join(', ')} net of fees`;
}

/** AMS amounts are minor units on the wire ("1939" USD); a person reads "19.39 USD". */
function money(amount: { value: string; currency: string } | undefined): string {
  if (amount === undefined) return '(no amount)';
  const negative = amount.value.startsWith('-');
  const major = fromMinorUnits(negative ? amount.value.slice(1) : amount.value, amount.currency, { allowZero: true });
  return `${negative ? '-' : ''}${major} ${amount.currency}`;
}

function printTimeline(): void {
  console.log('One cashier payment, end to end (embedded AMS gateway, example shop, scripted buyer):\n');
  const order = ['request signed', 'gateway verified', 'cashier', 'paid', 'notification verified', 'acknowledged', 'returned'];
  const sorted = [...timeline].sort((a, b) => a.ms - b.ms || order.indexOf(a.step) - order.indexOf(b.step));
  sorted.forEach((e, i) =>
    console.log(`${String(i + 1).padStart(2)}. +${e.ms.toFixed(0).padStart(5)} ms  ${e.step.padEnd(22)} ${e.detail}`),
  );
  const missing = [...order, 'inquiry SUCCESS'].filter((s) => !timeline.some((e) => e.step === s));
  if (missing.length === 0) console.log('\n✓ paid, notified, acknowledged and confirmed by inquiry.');
  else console.log(`\nmissing steps: ${missing.join(', ')}`);
  if (settlement) console.log(`✓ settlement reconciled: ${settlement}.`);
}
