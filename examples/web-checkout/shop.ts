// The server half of Antom's web checkout: a shop that creates a payment session, hands its paymentSessionData to the
// browser half (page.js, on @alipay/ams-checkout) and learns the outcome from the signed notification.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { AmsClient, createNotificationHandler, toMinorUnits, type PaymentNotification } from 'ams-cashier';
import { CHECKOUT_PAGE_PATH, startAmsGateway, type AmsGateway } from 'ams-cashier/mocks';

/** Which browser class mounts a session of each productScene (page.js holds the same table). */
export const SDK_CLASS_BY_SCENE = Object.freeze({
  CHECKOUT_PAYMENT: 'AMSCheckoutPage',
  ELEMENT_PAYMENT: 'AMSElement',
  CASHIER_PAYMENT: 'AMSCashierPayment',
} as const);
export type WebScene = keyof typeof SDK_CLASS_BY_SCENE;

/** Prices live on the server. The second item ends in the gateway's magic …4052: paying it fails at the cashier. */
export const WEB_CATALOG: Readonly<Record<string, string>> = { Notebook: '12.50', 'Declined notebook': '40.52' };

export interface WebCheckoutShopOptions {
  /**
   * The SDK's `environment`. `'sandbox'` or `'prod'` load Antom's hosts (checkout.antom.com, ac.alipay.com,
   * imgs-*-global.alipay.com): the browser tests route those to the gateway. Default: the gateway's own Checkout
   * Page URL, which AMSCheckoutPage accepts as its environment and any browser reaches; the component SDKs need
   * Antom's hosts and are offered only with `'sandbox'` / `'prod'`.
   */
  environment?: 'sandbox' | 'prod';
  /** The gateway's region (the RPC host the component SDKs pick). Default SEA. */
  region?: 'NA' | 'SEA' | 'EU';
  /** Default 0: a free port. */
  port?: number;
}

export interface WebCheckoutShop {
  /** The shop's page: open it in a browser. `?scene=ELEMENT_PAYMENT` or `CASHIER_PAYMENT` with `environment`. */
  url: string;
  gateway: AmsGateway;
  client: AmsClient;
  /** Every session the shop created, as it handed it to the browser. */
  sessions: Array<{ paymentRequestId: string; productScene: WebScene; sessionData: string }>;
  /** Every verified payment notification, in arrival order. */
  notifications: PaymentNotification[];
  close(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** The SDK's browser bundle, read from node_modules (it defines AMSCheckoutPage, AMSElement, … on `window`). */
function sdkBundle(): Buffer {
  const pkg = createRequire(import.meta.url).resolve('@alipay/ams-checkout/package.json');
  return readFileSync(join(dirname(pkg), 'dist/umd/ams-checkout.min.js'));
}

const page = (config: Record<string, unknown>): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Web checkout example</title>
<style>body{font-family:system-ui,sans-serif;max-width:640px;margin:32px auto;color:#1f2a37}
button{font-size:16px;padding:10px 18px;border-radius:8px;border:0;background:#1677ff;color:#fff;cursor:pointer}
#checkout{min-height:40px;margin:16px 0}#checkout iframe{min-height:560px}.event{font-family:monospace}</style></head>
<body><h1>Web checkout example</h1>
<p><select id="item">${Object.entries(WEB_CATALOG)
  .map(([name, price]) => `<option value="${name}">${name} — ${price} USD</option>`)
  .join('')}</select> <button id="buy" type="button">Check out</button></p>
<div id="checkout"></div>
<p>SDK event: <span class="event" id="event">none yet</span></p>
<p>The shop's record: <span class="event" id="order">no order yet</span></p>
<script src="/ams-checkout.js"></script>
<script>window.shopConfig = ${JSON.stringify(config).replace(/</g, '\\u003c')};</script>
<script src="/page.js"></script>
</body></html>`;

/** Starts the gateway and the shop on loopback. */
export async function startWebCheckoutShop(options: WebCheckoutShopOptions = {}): Promise<WebCheckoutShop> {
  const clientId = 'SANDBOX_WEB_CHECKOUT';
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const gateway = await startAmsGateway({
    clientId,
    merchantPublicKey: keys.publicKey,
    region: options.region ?? 'SEA',
    notifyRetryCompression: 1000,
  });
  // With real credentials: { clientId, privateKey, alipayPublicKey, region } and no gateway.
  const client = new AmsClient({ clientId, privateKey: keys.privateKey, alipayPublicKey: gateway.alipayPublicKey, baseUrl: gateway.url });
  const sessions: WebCheckoutShop['sessions'] = [];
  const notifications: PaymentNotification[] = [];
  const bundle = sdkBundle();
  const pageScript = readFileSync(join(here, 'page.js'));
  const app = express();

  app.get('/', (req, res) => {
    const scene = typeof req.query.scene === 'string' && req.query.scene in SDK_CLASS_BY_SCENE ? req.query.scene : 'CHECKOUT_PAYMENT';
    if (scene !== 'CHECKOUT_PAYMENT' && !options.environment) {
      res.status(400).type('text').send('The component SDKs load Antom\'s own hosts: start the shop with environment "sandbox".');
      return;
    }
    // The Checkout Page's environment may be its page URL: the gateway's, when no Antom host is routed here.
    const environment = options.environment ?? `${gateway.url}${CHECKOUT_PAGE_PATH}`;
    res.type('html').send(page({ scene, environment }));
  });
  app.get('/ams-checkout.js', (_req, res) => void res.type('js').send(bundle));
  app.get('/page.js', (_req, res) => void res.type('js').send(pageScript));

  // The server half: a session for the chosen item, its paymentSessionData handed over unchanged and unread.
  app.post('/session', express.json({ limit: '4kb' }), async (req, res) => {
    const { item, productScene } = (req.body ?? {}) as { item?: unknown; productScene?: unknown };
    const price = typeof item === 'string' && Object.hasOwn(WEB_CATALOG, item) ? WEB_CATALOG[item]! : undefined;
    const scene = typeof productScene === 'string' && productScene in SDK_CLASS_BY_SCENE ? (productScene as WebScene) : undefined;
    if (!price || !scene) {
      res.status(400).json({ error: 'unknown item or productScene' });
      return;
    }
    const amount = { currency: 'USD', value: toMinorUnits(price, 'USD') };
    const paymentRequestId = `web-${randomUUID()}`;
    const origin = `${req.protocol}://${req.get('host')}`;
    try {
      const session = await client.createPaymentSession({
        productCode: 'CASHIER_PAYMENT',
        productScene: scene,
        paymentRequestId,
        order: { referenceOrderId: paymentRequestId, orderDescription: item as string, orderAmount: amount },
        paymentAmount: amount,
        paymentRedirectUrl: `${origin}/`,
        paymentNotifyUrl: `${origin}/alipay/notify`,
        env: { terminalType: 'WEB' },
      });
      sessions.push({ paymentRequestId, productScene: scene, sessionData: session.paymentSessionData });
      res.json({ paymentRequestId, sessionData: session.paymentSessionData });
    } catch (err) {
      res.status(502).json({ error: err instanceof Error ? err.message : 'the session could not be created' });
    }
  });

  // What the shop knows: only a verified notification says paid (the SDK's event is the buyer's browser talking).
  app.get('/order', (req, res) => {
    const id = typeof req.query.paymentRequestId === 'string' ? req.query.paymentRequestId : '';
    res.json({ outcome: [...notifications].reverse().find((n) => n.paymentRequestId === id)?.outcome ?? 'pending' });
  });
  app.post(
    '/alipay/notify',
    createNotificationHandler({ client, path: '/alipay/notify', onPayment: (n) => void notifications.push(n), onRefund: () => undefined }),
  );

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    gateway,
    client,
    sessions,
    notifications,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await gateway.close();
      })();
      return closing;
    },
  };
}
