// A real browser (Debian's Chromium via playwright-core) buys at the example shop and pays on the gateway's cashier page.
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedShop, type EmbeddedShop } from '../../examples/express-merchant/embedded';
import { launchChromium, skipBrowser } from './chromium';

let shop: EmbeddedShop | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

describe.skipIf(skipBrowser)('real browser', () => {
  it('opens the checkout, pays on the cashier page, and lands on the return page showing "paid"', async () => {
    browser = await launchChromium();
    shop = await startEmbeddedShop();
    const page = await browser.newPage();
    // Only loopback: anything else the page tries to load is refused.
    await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    page.setDefaultTimeout(15_000);

    await page.goto(shop.merchantUrl);
    // The shop answers the browser with cashierRedirect's self-submitting form (not a 303): that page is what goes.
    const checkout = page.waitForResponse((r) => new URL(r.url()).pathname === '/checkout');
    await page.click('#checkout');
    const answered = await checkout;
    expect(answered.status()).toBe(200);
    expect(answered.headers()['content-type']).toMatch(/^text\/html/);
    await page.waitForURL((url) => url.pathname === '/alipaycn/pc/cashier');
    // The shop answered with cashierRedirect's self-submitting form: the cashier got every parameter of the pay answer.
    const landed = new URL(page.url());
    const sent = JSON.parse(shop.gateway.payments[0]!.parameters) as Record<string, unknown>;
    expect(Object.keys(sent).length).toBeGreaterThan(3);
    for (const [k, v] of Object.entries(sent)) expect(landed.searchParams.get(k)).toBe(String(v));
    expect(await page.textContent('#amount')).toBe('19.99 USD');
    expect(await page.locator('svg').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Pay with test account' }).click();
    await page.waitForURL((url) => url.pathname === '/return');
    await expect.poll(() => page.textContent('#status'), { timeout: 10_000 }).toBe('paid');

    const order = [...shop.merchant.orders.values()][0]!;
    expect(order).toMatchObject({ status: 'paid', source: 'notification' });
    expect(shop.gateway.deliveries[0]?.state).toBe('acknowledged');
  }, 60_000);
});
