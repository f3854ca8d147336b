// Antom's own web SDK (@alipay/ams-checkout, from node_modules) in real Chromium on sessions from createPaymentSession:
// the Checkout Page pays, fails and cancels; AMSElement and AMSCashierPayment mount, query and reach their payment page.
// Antom's hosts are answered by the embedded gateway; nothing else leaves the machine.
import { mkdirSync } from 'node:fs';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebCheckoutShop, type WebCheckoutShop, type WebScene } from '../../examples/web-checkout/shop';
import { launchChromium, skipBrowser } from './chromium';
import { routeToGateway, type RouteLog } from './route-to-gateway';

const ARTIFACTS = 'test-results/web-sdk';

let shop: WebCheckoutShop;
/** As `npm start -- --checkout` serves it: the Checkout Page by the gateway's own URL, no Antom host at all. */
let localShop: WebCheckoutShop;
let browser: Browser;

beforeAll(async () => {
  if (skipBrowser) return;
  // NA: the sessions carry the region code US, and the component SDKs must pick imgs-na-global for their RPCs.
  [shop, localShop, browser] = await Promise.all([
    startWebCheckoutShop({ environment: 'sandbox', region: 'NA' }),
    startWebCheckoutShop(),
    launchChromium(),
  ]);
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([shop?.close(), localShop?.close()]);
});

interface Opened {
  page: Page;
  log: RouteLog;
  /** What the page printed, for the failure message. */
  console: string[];
}

/** A fresh browser context (the SDK keeps state in localStorage) on the shop's page for one scene. */
async function open(scene: WebScene, at = shop): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
  const log = await routeToGateway(context, at.gateway.url);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const printed: string[] = [];
  page.on('pageerror', (e) => printed.push(`pageerror: ${e.message}`));
  await page.goto(`${at.url}/?scene=${scene}`);
  return { page, log, console: printed };
}

/** Chooses an item and checks out; resolves with the session the shop created for it. */
async function checkOut(page: Page, item = 'Notebook', at = shop) {
  const before = at.sessions.length;
  await page.selectOption('#item', item);
  await page.click('#buy');
  await expect.poll(() => at.sessions.length, { timeout: 10_000 }).toBe(before + 1);
  return at.sessions.at(-1)!;
}

/** The payment page frame the SDK mounted, once its document is the gateway's. */
async function sdkFrame(page: Page, host: string): Promise<Frame> {
  await expect.poll(() => page.frames().some((f) => new URL(f.url()).host === host), { timeout: 10_000 }).toBe(true);
  return page.frames().find((f) => new URL(f.url()).host === host && !f.url().includes('isPreload=true'))!;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

async function eventText(page: Page): Promise<string | null> {
  return page.textContent('#event');
}

describe.skipIf(skipBrowser)('Antom web SDK in real Chromium', () => {
  it('AMSCheckoutPage: the buyer pays on the gateway page, the notification says paid, onEventCallback says SDK_PAYMENT_SUCCESSFUL', async () => {
    const { page, log } = await open('CHECKOUT_PAYMENT');
    const session = await checkOut(page);
    const frame = await sdkFrame(page, 'checkout.antom.com');
    // The SDK's own URL: sandbox adds shadow=true; the session goes through untouched.
    const framed = new URL(frame.url());
    expect(framed.pathname).toBe('/checkout-page/pages/payment/index.html');
    expect(Object.fromEntries(framed.searchParams)).toEqual({
      sessionData: session.sessionData,
      lang: 'en_US',
      mode: 'embed',
      shadow: 'true',
    });
    expect(await frame.textContent('#amount')).toBe('12.50 USD');
    expect(await frame.textContent('#badge')).toBe('sandbox');

    await frame.click('#pay');
    await expect.poll(() => eventText(page), { timeout: 10_000 }).toBe('SDK_PAYMENT_SUCCESSFUL');
    // The shop's notification handler had verified PAYMENT_RESULT before the page told the SDK.
    expect(shop.notifications.filter((n) => n.paymentRequestId === session.paymentRequestId).map((n) => n.outcome)).toEqual(['paid']);
    await expect.poll(() => page.textContent('#order'), { timeout: 10_000 }).toBe('paid');
    expect(shop.gateway.getPayment(session.paymentRequestId)?.status).toBe('SUCCESS');
    expect(log.rpcs).toEqual([]);
    await shoot(page, 'checkout-page-paid');
  }, 30_000);

  it('AMSCheckoutPage on the gateway page by URL (npm start -- --checkout): declined is SDK_PAYMENT_FAIL, notified failed; cancel is SDK_PAYMENT_CANCEL', async () => {
    const { page, log } = await open('CHECKOUT_PAYMENT', localShop);
    const host = new URL(localShop.gateway.url).host;
    const declined = await checkOut(page, 'Declined notebook', localShop);
    let frame = await sdkFrame(page, host);
    // An environment that is a URL replaces the page address; no shadow, nothing sent to Antom's hosts.
    expect(Object.fromEntries(new URL(frame.url()).searchParams)).toEqual({
      sessionData: declined.sessionData,
      lang: 'en_US',
      mode: 'embed',
    });
    await frame.click('#pay');
    await expect.poll(() => eventText(page), { timeout: 10_000 }).toBe('SDK_PAYMENT_FAIL');
    expect(localShop.notifications.filter((n) => n.paymentRequestId === declined.paymentRequestId).map((n) => n.outcome)).toEqual([
      'failed',
    ]);
    await expect.poll(() => page.textContent('#order'), { timeout: 10_000 }).toBe('failed');
    await shoot(page, 'checkout-page-failed');

    const cancelled = await checkOut(page, 'Notebook', localShop);
    await expect
      .poll(() => page.frames().some((f) => f.url().includes(encodeURIComponent(cancelled.sessionData.slice(0, 20)))), { timeout: 10_000 })
      .toBe(true);
    frame = await sdkFrame(page, host);
    await frame.click('#cancel');
    await expect.poll(() => eventText(page), { timeout: 10_000 }).toBe('SDK_PAYMENT_CANCEL');
    expect(localShop.gateway.getPayment(cancelled.paymentRequestId)?.status).toBe('CANCELLED');
    expect(localShop.notifications.some((n) => n.paymentRequestId === cancelled.paymentRequestId)).toBe(false);
    await expect.poll(() => page.textContent('#order'), { timeout: 10_000 }).toBe('pending');
    expect(log.pages).toEqual([]);
    expect(log.rpcs).toEqual([]);
    await shoot(page, 'checkout-page-cancelled');
  }, 30_000);

  it('AMSElement mounts on an ELEMENT_PAYMENT session: the query RPC carries the whole session; the buyer pays on its page', async () => {
    const { page, log, console: printed } = await open('ELEMENT_PAYMENT');
    const session = await checkOut(page);
    const frame = await sdkFrame(page, 'checkout.antom.com');
    await expect.poll(() => frame.getAttribute('body', 'data-state'), { timeout: 10_000, message: printed.join('\n') }).toBe('ready');
    expect(new URL(frame.url()).pathname).toBe('/elements/1.47.2/pages/element_payment/index.html');
    expect(log.rpcs[0]).toEqual({
      host: 'imgs-na-global.alipay.com',
      operationType: 'com.ipay.iexpcashier.sdkAction.query',
      origin: shop.url,
      body: [
        expect.objectContaining({
          paymentSessionData: session.sessionData,
          paymentSessionConfig: { productScene: 'ELEMENT_PAYMENT', productSceneVersion: '1.0', paymentMethodCategoryType: 'ALL' },
        }),
      ],
    });
    expect(await frame.textContent('#amount')).toBe('12.50 USD');
    // mount() resolved without an error: the page answered within the SDK's 10 s.
    expect(await eventText(page)).toBe('none yet');

    await frame.click('#pay');
    await expect.poll(() => eventText(page), { timeout: 10_000 }).toBe('SDK_PAYMENT_SUCCESSFUL');
    expect(log.rpcs.map((r) => r.operationType)).toEqual([
      'com.ipay.iexpcashier.sdkAction.query',
      'com.ipay.iexpcashier.cashier.submitPayByPaymentSession',
    ]);
    await expect.poll(() => page.textContent('#order'), { timeout: 10_000 }).toBe('paid');
    await shoot(page, 'element-paid');
  }, 30_000);

  it('AMSCashierPayment mounts on a CASHIER_PAYMENT session: its query carries the first three segments; the APM page shows', async () => {
    const { page, log, console: printed } = await open('CASHIER_PAYMENT');
    const session = await checkOut(page);
    const frame = await sdkFrame(page, 'ac.alipay.com');
    await expect.poll(() => frame.getAttribute('body', 'data-state'), { timeout: 10_000, message: printed.join('\n') }).toBe('ready');
    expect(new URL(frame.url()).pathname).toBe('/page/antom-web-checkout/src/component-app/CASHIER_PAYMENT_APM/1.0/index.1.47.2.html');
    expect(log.rpcs).toEqual([
      {
        host: 'imgs-na-global.alipay.com',
        operationType: 'com.ipay.iexpcashier.sdkAction.query',
        origin: shop.url,
        body: [
          expect.objectContaining({
            paymentSessionData: session.sessionData.split('&&').slice(0, 3).join('&&'),
            paymentSessionConfig: { productScene: 'CASHIER_PAYMENT', productSceneVersion: '1.0', paymentMethodCategoryType: 'APM' },
          }),
        ],
      },
    ]);
    // An APM page: the wallet, not the card.
    expect(await frame.textContent('#methods')).toBe('Alipay');
    expect(await frame.isVisible('#pay')).toBe(true);
    await shoot(page, 'cashier-payment-mounted');
  }, 30_000);

  it('a redirect from a routed host is followed by the router, never by the browser: the cashier’s 303 lands on the shop', async () => {
    const { page, log } = await open('CHECKOUT_PAYMENT');
    const amount = { currency: 'USD', value: '700' };
    const session = await shop.client.createPaymentSession({
      productCode: 'CASHIER_PAYMENT',
      productScene: 'ELEMENT_PAYMENT',
      paymentRequestId: 'redirected-1',
      order: { referenceOrderId: 'redirected-1', orderDescription: 'Ink', orderAmount: amount },
      paymentAmount: amount,
      paymentRedirectUrl: `${shop.url}/?scene=CHECKOUT_PAYMENT`,
    });
    // The cashier page as if Antom's host served it: its form posts to that host, which answers 303 to the shop.
    const cashier = new URL(session.normalUrl!);
    await page.goto(`https://checkout.antom.com${cashier.pathname}${cashier.search}`);
    await page.click('#pay');
    await page.waitForSelector('#buy');
    // The router fetched the 303's target itself and answered the POST with it: the address bar never left Antom's host.
    expect(page.url()).toBe('https://checkout.antom.com/alipaycn/pc/cashier/pay');
    expect(shop.gateway.getPayment('redirected-1')?.status).toBe('SUCCESS');
    expect(log.aborted.filter((u) => u.endsWith('(redirect)'))).toEqual([]);
  }, 30_000);
});
