// `npm start -- --checkout`: the web checkout shop and the embedded gateway on loopback until Ctrl-C; you pay on the
// Checkout Page (Antom's AMSCheckoutPage from @alipay/ams-checkout) in a browser you open.
import { startWebCheckoutShop } from './shop.js';

/** Serves until SIGINT or SIGTERM, printing what to click and what happened; resolves once everything is closed. */
export async function serveWebCheckout(): Promise<void> {
  const shop = await startWebCheckoutShop();
  console.log(
    [
      `Web checkout shop:    ${shop.url}   ← open this in a browser`,
      `Embedded AMS gateway: ${shop.gateway.url} (a local simulated Alipay; no real money moves)`,
      '',
      'What to click:',
      '  1. Pick an item and click "Check out": the shop calls client.createPaymentSession() and the page mounts',
      "     Antom's AMSCheckoutPage (@alipay/ams-checkout) on the session; the Checkout Page is the gateway's.",
      '  2. In the Checkout Page, click "Pay with test account" (or "Cancel"; "Declined notebook" fails).',
      '  3. The page shows the SDK event (SDK_PAYMENT_SUCCESSFUL) and the shop\'s record, "paid" once the signed',
      '     notification has been verified.',
      '',
      'Read next: examples/web-checkout/shop.ts (the server half) and examples/web-checkout/page.js (the browser half).',
      'Ctrl-C to stop.',
    ].join('\n'),
  );
  const paymentIds = new Set<string>();
  shop.gateway.core.on((e) => {
    if (e.type === 'payment.created' && e.paymentId) paymentIds.add(e.paymentId);
    if (e.paymentId === undefined || !paymentIds.has(e.paymentId)) return;
    if (e.type === 'cashier.viewed') console.log(`checkout page shown for payment ${e.paymentId}`);
    if (e.type === 'payment.succeeded' || e.type === 'payment.failed' || e.type === 'payment.cancelled')
      console.log(`payment ${e.paymentId}: ${e.type.slice('payment.'.length)}`);
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await shop.close();
  console.log('stopped');
}
