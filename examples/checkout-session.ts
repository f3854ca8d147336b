// The server side of Antom's web checkout: create a payment session, hand it to the page, act on the notification. Run: npx tsx examples/checkout-session.ts
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AmsClient, createNotificationHandler, toMinorUnits, type PaymentNotification } from 'ams-cashier';
import { startAmsGateway } from 'ams-cashier/mocks';

const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = await startAmsGateway({ clientId: 'SANDBOX_DEMO_MERCHANT', merchantPublicKey: merchantKeys.publicKey });
// With real credentials: { clientId, privateKey, alipayPublicKey, region: 'NA' } and no gateway.
const client = new AmsClient({
  clientId: 'SANDBOX_DEMO_MERCHANT',
  privateKey: merchantKeys.privateKey,
  alipayPublicKey: gateway.alipayPublicKey,
  baseUrl: gateway.url,
});

// The shop's notify endpoint: decide on `outcome` only (PAYMENT_PENDING has resultStatus S and is not paid).
let resolveNotified: (n: PaymentNotification) => void = () => {};
const notified = new Promise<PaymentNotification>((resolve) => (resolveNotified = resolve));
const shop = createServer(
  createNotificationHandler({
    client,
    path: '/alipay/notify',
    onPayment: (n) => {
      if (n.outcome === 'paid') console.log(`notification: ${n.paymentRequestId} is paid — ship it`);
      else console.log(`notification: ${n.paymentRequestId} is ${n.outcome}`);
      resolveNotified(n);
    },
  }),
);
await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
const notifyUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/alipay/notify`;

try {
  const amount = { currency: 'USD', value: toMinorUnits('12.50', 'USD') };
  const session = await client.createPaymentSession({
    productCode: 'CASHIER_PAYMENT',
    productScene: 'CHECKOUT_PAYMENT', // the browser mounts AMSCheckoutPage (ELEMENT_PAYMENT: AMSElement; CASHIER_PAYMENT: AMSCashierPayment)
    paymentRequestId: `session-example-${Date.now()}`,
    order: { referenceOrderId: 'order-7', orderDescription: 'Notebook', orderAmount: amount },
    paymentAmount: amount,
    paymentRedirectUrl: 'https://merchant.example/return',
    paymentNotifyUrl: notifyUrl,
  });
  // The browser half (examples/web-checkout/page.js): session.paymentSessionData, unchanged and unread, as `sessionData`
  // to `new AMSCheckoutPage({ environment, locale, onEventCallback }).mountComponent({ sessionData }, '#checkout')`.
  console.log(`session ${session.paymentSessionId}: ${session.paymentSessionData.length} characters of sessionData for the web SDK`);
  console.log(`checkout page: or redirect the buyer to ${session.normalUrl}`);

  // Here the buyer pays on the checkout page; the embedded gateway lets us play that part.
  const payment = gateway.payments.at(-1)!;
  await gateway.core.completePayment(payment.paymentId);
  const n = await notified;
  console.log(`outcome ${n.outcome}, acknowledged`);
} finally {
  await gateway.close();
  await new Promise<void>((resolve) => shop.close(() => resolve()));
}
