// cashierRedirect's self-submitting page in real Chromium: parameters named submit, action and method still reach the cashier.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cashierRedirect } from '../../src/index';
import { launchChromium, skipBrowser } from './chromium';

/** Parameters that become properties of the form and hide its own `submit`, `action` and `method`. */
const HOSTILE = { submit: 'yes', action: 'pay-now', method: 'card', paymentId: 'p-42' };

interface Arrival {
  method: string;
  path: string;
  fields: Record<string, string>;
}

describe.skipIf(skipBrowser)('cashierRedirect in real Chromium', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  const arrivals: Arrival[] = [];
  const pages = new Map<string, string>();

  beforeAll(async () => {
    // A loopback "shop" that serves the generated pages and a "cashier" that records what the form sent.
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const page = pages.get(url.pathname);
      if (page !== undefined) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
        return;
      }
      if (url.pathname !== '/cashier') {
        res.writeHead(404).end();
        return;
      }
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const form = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
        arrivals.push({ method: req.method ?? '', path: url.pathname, fields: Object.fromEntries(form) });
        res.writeHead(200, { 'content-type': 'text/html' }).end('<h1 id="cashier">cashier</h1>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  for (const method of ['POST', 'GET'] as const) {
    it(`${method}: the page submits itself with every parameter, including submit, action and method`, async () => {
      const redirect = cashierRedirect({ method, redirectUrl: `${origin}/cashier`, parameters: HOSTILE }, { nonce: 'n1' });
      pages.set(`/pay-${method}`, redirect.html);
      const page = await browser.newPage();
      const errors: string[] = [];
      // A script error (`form.submit is not a function`) ends the wait at once, with the error as the failure.
      const failed = new Promise<never>((_resolve, reject) =>
        page.on('pageerror', (e) => {
          errors.push(e.message);
          reject(new Error(`the page's script failed: ${e.message}`));
        }),
      );
      failed.catch(() => undefined);
      // Only this loopback server: anything else the page tries to load is refused.
      await page.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
      try {
        await page.goto(`${origin}/pay-${method}`);
        await Promise.race([page.waitForSelector('#cashier', { timeout: 15_000 }), failed]);
        expect(errors).toEqual([]);
        const arrival = arrivals.find((a) => a.method === method);
        expect(arrival).toEqual({ method, path: '/cashier', fields: HOSTILE });
      } finally {
        await page.close();
      }
    }, 60_000);
  }
});
